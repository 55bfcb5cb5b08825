import Foundation
import Records
import Testing

/// `tasktrace pbt` end to end on the synthetic dataset (3 tasks, 500 training examples,
/// population 4, interval 10, 50 steps): the lineage in pbt.h5 as h5py reads it, the member
/// records' weight schedules, the final table, a sweep's best scalarization, refusals, bad
/// configurations and SIGTERM.
@Suite(.serialized) struct PBTTests {
    static func configuration(steps: Int = 50, evalEvery: Int = 25, extra: String = "") -> String {
        """
        seed = 4
        population = 4
        interval = 10
        \(extra)
        [base]
        dataset = { name = "synthetic", taskCount = 3, trainCount = 500, validationCount = 200, testCount = 100 }
        widths = [8]
        steps = \(steps)
        batchSize = 32
        evalEvery = \(evalEvery)
        trainEvalCount = 200
        """
    }

    /// Runs `tasktrace` with one BLAS thread.
    func tasktraceRun(_ arguments: [String], in directory: URL) throws -> ProcessResult {
        try run(tasktraceExecutable, arguments, in: directory, environment: ["OPENBLAS_NUM_THREADS": "1"])
    }

    func scratch(with configuration: String) throws -> ScratchDirectory {
        let scratch = try ScratchDirectory()
        try configuration.write(toFile: scratch.path("pbt.toml"), atomically: true, encoding: .utf8)
        return scratch
    }

    @Test func aSmallRunWritesTheLineageMemberRecordsAndTheTable() throws {
        let scratch = try scratch(with: Self.configuration())
        defer { scratch.remove() }
        let result = try tasktraceRun(["pbt", "--config", "pbt.toml", "--out", "out", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("PBT winner") && result.output.contains("equal weights"))
        // h5py reads the lineage with the documented shapes; parents follow the fitness
        // ranking (Q = 1: the worst copies the best, everyone else continues from itself);
        // the member records' weight rows change only at synchronisations where the member
        // was replaced, and equal the lineage's weights from that step on; the fitness is
        // the mean validation R^2 of the member's evaluation row at the step.
        let check = try python("""
        import h5py, json, numpy as np
        f = h5py.File('out/pbt.h5', 'r')
        a = f.attrs
        assert a['schema'] == 'tasktrace-pbt/1' and a['status'] == 'complete', dict(a)
        assert a['population'] == 4 and a['interval'] == 10 and a['replace'] == 1, dict(a)
        assert json.loads(a['config'])['population'] == 4 and list(a['tasks']) == ['t0', 't1', 't2']
        step, fitness, parent = f['sync/step'][:], f['sync/fitness'][:], f['sync/parent'][:]
        weights, initial = f['sync/weights'][:], f['members/initial_weights'][:]
        assert step.tolist() == [10, 20, 30, 40], step
        assert fitness.shape == (4, 4) and parent.shape == (4, 4) and weights.shape == (4, 4, 3), (fitness.shape, parent.shape, weights.shape)
        assert f['sync/record'].shape == (4, 4) and initial.shape == (4, 3) and f['members/seed'][:].tolist() == [4, 5, 6, 7]
        for name in ['sync/step', 'sync/fitness', 'sync/parent', 'sync/weights', 'sync/record', 'members/seed', 'members/initial_weights']:
            assert f[name].attrs['description'] and f[name].attrs['units'], name
        assert np.allclose(weights.sum(axis=2), 1) and np.allclose(initial.sum(axis=1), 1)
        assert np.allclose(initial[0], 1 / 3)
        previous = initial
        for k in range(4):
            order = sorted(range(4), key=lambda i: (-fitness[k, i], i))
            for i in range(4):
                if i == order[-1]:
                    assert parent[k, i] == order[0], (k, i, fitness[k], parent[k])
                else:
                    assert parent[k, i] == i, (k, i, fitness[k], parent[k])
                    assert (weights[k, i] == previous[i]).all(), (k, i)
            previous = weights[k]
        changes = 0
        for i in range(4):
            m = h5py.File(f'out/member-{i}.h5', 'r')
            assert m.attrs['status'] == 'complete'
            w, s = m['train/weight'][:], m['train/step'][:]
            assert s.tolist() == list(range(50)) and (w[0] == initial[i]).all()
            for t in range(1, 50):
                if not (w[t] == w[t - 1]).all():
                    changes += 1
                    assert t in step.tolist() and parent[step.tolist().index(t), i] != i, (i, t)
            for k, at in enumerate(step):
                segment = w[at:] if k == 3 else w[at:step[k + 1]]
                assert (segment == weights[k, i]).all(), (i, k)
            eval_step, metric = m['eval/step'][:].tolist(), m['eval/val_metric'][:]
            for k, at in enumerate(step):
                assert np.isclose(metric[eval_step.index(at)].mean(), fitness[k, i]), (i, k)
        assert changes >= 1
        e = h5py.File('out/equal.h5', 'r')
        assert e.attrs['status'] == 'complete' and np.allclose(e['train/weight'][:], 1 / 3) and e['train/step'].shape == (50,)
        print('OK', changes)
        """, in: scratch.url)
        #expect(check.status == 0 && check.output.hasPrefix("OK"), "\(check.output)\(check.error)")
        let table = try String(contentsOfFile: scratch.path("out/pbt-table.csv"), encoding: .utf8)
        let lines = table.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.count == 3)
        #expect(lines[0].first == "row" && lines[0].contains("val_r2_t2") && lines[0].last == "optimizer_steps")
        #expect(lines[0].contains("weight_t0") && lines[0].contains("fitness"))
        #expect(lines.dropFirst().map { $0[0] } == ["PBT winner", "equal weights"])
        #expect(lines.dropFirst().map { $0.last } == ["200", "50"])
        let pbtJSON = try #require(FileManager.default.contents(atPath: scratch.path("out/pbt.json")))
        let object = try #require(try JSONSerialization.jsonObject(with: pbtJSON) as? [String: Any])
        #expect(object["population"] as? Int == 4 && object["replace"] as? Int == 1 && object["explore"] as? String == "perturb")

        let refused = try tasktraceRun(["pbt", "--config", "pbt.toml", "--out", "out", "--quiet"], in: scratch.url)
        #expect(refused.status == 2 && refused.error.split(separator: "\n").count == 1 && refused.error.contains("--force"))
        let again = try tasktraceRun(["pbt", "--config", "pbt.toml", "--out", "out", "--quiet", "--force"], in: scratch.url)
        #expect(again.status == 0, "\(again.error)")
    }

    @Test func theSweepsBestScalarizationJoinsTheTable() throws {
        let scratch = try scratch(with: Self.configuration(steps: 30, evalEvery: 10))
        defer { scratch.remove() }
        let study = """
        seeds = [1, 2]
        out = "sweep"
        [base]
        dataset = { name = "synthetic", taskCount = 3, trainCount = 500, validationCount = 200, testCount = 100 }
        widths = [8]
        steps = 30
        batchSize = 32
        evalEvery = 10
        trainEvalCount = 200
        [[mt]]
        name = "first"
        weights = [0.8, 0.1, 0.1]
        [[mt]]
        name = "flat"
        [[mt]]
        name = "pc"
        method = "pcgrad"
        """
        try study.write(toFile: scratch.path("study.toml"), atomically: true, encoding: .utf8)
        let studied = try tasktraceRun(["study", "--config", "study.toml", "--jobs", "2", "--quiet"], in: scratch.url)
        #expect(studied.status == 0, "\(studied.output)\(studied.error)")
        let result = try tasktraceRun(["pbt", "--config", "pbt.toml", "--out", "out", "--sweep", "sweep", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        // The best scalarization variant by mean final validation R^2 over the two seeds,
        // computed from the records by h5py (pcgrad is not a scalarization).
        let best = try python("""
        import h5py
        def fitness(v):
            return sum(h5py.File(f'sweep/mt-{v}-seed{s}.h5', 'r')['eval/val_metric'][-1].mean() for s in (1, 2)) / 2
        scores = {v: fitness(v) for v in ('first', 'flat')}
        best = max(scores, key=scores.get)
        print(best, repr(scores[best]))
        """, in: scratch.url)
        let fields = best.output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(best.status == 0 && fields.count == 2, "\(best.error)")
        let table = try String(contentsOfFile: scratch.path("out/pbt-table.csv"), encoding: .utf8)
        let sweepRow = try #require(table.split(separator: "\n").first { $0.hasPrefix("sweep best,") }).split(separator: ",").map(String.init)
        #expect(sweepRow[1] == "\(fields[0]) (2 seeds)")
        #expect(abs((Double(sweepRow[sweepRow.count - 2]) ?? .nan) - (Double(fields[1]) ?? .infinity)) < 1e-12)
        #expect(sweepRow.last == "180", "six MT runs of 30 steps")
    }

    @Test func badConfigurationFieldsExitTwoNamingTheField() throws {
        let cases: [(text: String, field: String)] = [
            (Self.configuration(extra: "populaton = 4"), "populaton"),
            (Self.configuration(extra: "explore = \"mutate\""), "explore"),
            (Self.configuration(extra: "fitness = \"accuracy\""), "fitness"),
            (Self.configuration(extra: "replace = 3"), "replace"),
            (Self.configuration() + "\nmethod = \"pcgrad\"", "base.method"),
            (Self.configuration() + "\nseed = 3", "base.seed"),
            (Self.configuration() + "\nprobeEvery = -1", "base.probeEvery"),
        ]
        for (text, field) in cases {
            let scratch = try scratch(with: text)
            defer { scratch.remove() }
            let result = try tasktraceRun(["pbt", "--config", "pbt.toml", "--out", "out", "--quiet"], in: scratch.url)
            #expect(result.status == 2, "\(field): \(result.output)\(result.error)")
            #expect(result.error.split(separator: "\n").count == 1 && result.error.contains(field), "\(field): \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("out")), "\(field): a folder was made")
        }
        let scratch = try scratch(with: Self.configuration())
        defer { scratch.remove() }
        let missing = try tasktraceRun(["pbt", "--config", "pbt.toml", "--out", "out", "--sweep", "nowhere", "--quiet"], in: scratch.url)
        #expect(missing.status == 2 && missing.error.split(separator: "\n").count == 1 && missing.error.contains("nowhere"),
                "\(missing.error)")
    }

    @Test func sigtermCheckpointsEveryMemberAndClosesEverythingAsInterrupted() throws {
        let scratch = try scratch(with: Self.configuration(steps: 100_000, evalEvery: 50))
        defer { scratch.remove() }
        let (process, _, errorFile) = try start(tasktraceExecutable, ["pbt", "--config", "pbt.toml", "--out", "out", "--quiet"],
                                                in: scratch.url, environment: ["OPENBLAS_NUM_THREADS": "1"])
        let lineage = scratch.path("out/pbt.h5")
        let deadline = Date().addingTimeInterval(120)
        var synchronised = false
        while Date() < deadline && process.isRunning && !synchronised {
            Thread.sleep(forTimeInterval: 0.2)
            if let reader = try? RecordReader(lineage) {
                synchronised = ((try? reader.rowCount("/sync/step")) ?? 0) >= 2
                reader.close()
            }
        }
        #expect(synchronised, "no synchronisation within two minutes")
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 143,
                "\((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")")
        let pbt = try RecordReader(lineage)
        #expect(try pbt.stringAttribute("status") == "interrupted" && pbt.cleanlyClosed)
        pbt.close()
        for member in 0..<4 {
            let reader = try RecordReader(scratch.path("out/member-\(member).h5"))
            let status = try reader.stringAttribute("status")
            let checkpoint = try reader.readInt64s("/checkpoint/step")[0]
            let rows = try reader.rowCount("/train/step")
            #expect(status == "interrupted" && reader.cleanlyClosed && checkpoint == Int64(rows) && rows >= 20, "member \(member)")
            reader.close()
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out/equal.h5")))
    }
}
