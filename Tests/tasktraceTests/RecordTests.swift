import Foundation
import Records
import Testing
import Training

/// `tasktrace record` end to end: the file h5py reads, live reading, SIGKILL and resume,
/// SIGTERM, divergence, refusal to overwrite.
@Suite(.serialized) struct RecordTests {
    /// A small synthetic run, fast in a debug build.
    static let small = ["--dataset", "synthetic", "--widths", "64", "--batch-size", "32", "--seed", "4", "--quiet"]

    @Test func h5pyReadsTheRecordAndItMatchesWhatTheRunPrinted() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let run = try tasktrace(["record"] + Self.small + ["--steps", "60", "--eval-every", "20", "--probe-every", "30", "--out", "run.h5"], in: scratch.url)
        #expect(run.status == 0, "\(run.error)")
        // "  t0: train loss X, val loss Y, val r2 Z" lines, printed with round-trip precision.
        let printed = run.output.split(separator: "\n").filter { $0.hasPrefix("  t") }.map { line in
            line.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }
        }
        #expect(printed.count == 2 && printed.allSatisfy { $0.count == 3 })
        let script = """
        import h5py, json
        f = h5py.File('run.h5', 'r')
        out = {'status': f.attrs['status'], 'schema': f.attrs['schema'], 'names': list(f['tasks'].attrs['names']),
               'mode': f['tasks'].attrs['mode'], 'seed': int(f.attrs['seed']),
               'config_steps': json.loads(f.attrs['config'])['steps'],
               'shapes': {k: list(f[k].shape) for k in ['train/step', 'train/loss', 'train/weight', 'train/lr',
                          'grads/gramian', 'grads/cosine', 'grads/update_norm', 'eval/step', 'eval/val_loss']},
               'described': all('description' in f[k].attrs and 'units' in f[k].attrs for k in
                          ['train/loss', 'grads/cosine', 'eval/val_metric', 'checkpoint/step']),
               'eval_steps': [int(s) for s in f['eval/step'][:]],
               'last_train_loss': [repr(float(x)) for x in f['eval/train_loss'][-1]],
               'last_val_loss': [repr(float(x)) for x in f['eval/val_loss'][-1]],
               'last_val_metric': [repr(float(x)) for x in f['eval/val_metric'][-1]],
               'weights': [float(x) for x in f['train/weight'][0]],
               'cosine_diagonal': [float(f['grads/cosine'][i, t, t]) for i in range(60) for t in range(2)],
               'probe_shapes': {k: list(f['probe/' + k].shape) for k in ['step', 'gramian', 'cosine', 'sharpness',
                                'hessian_trace', 'fisher_trace', 'grad_noise_trace', 'noise_scale', 'coherence',
                                'directional_conflict', 'dist_init', 'weight_norm']},
               'probe_steps': [int(s) for s in f['probe/step'][:]],
               'dist_init_first': float(f['probe/dist_init'][0]),
               'probe_gramian_symmetric': bool((f['probe/gramian'][:] == f['probe/gramian'][:].transpose(0, 2, 1)).all())}
        print(json.dumps(out))
        """
        let result = try python(script, in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "complete")
        #expect(json["schema"] as? String == "tasktrace/1")
        #expect(json["names"] as? [String] == ["t0", "t1"])
        #expect(json["mode"] as? String == "mt")
        #expect(json["seed"] as? Int == 4 && json["config_steps"] as? Int == 60)
        let shapes = try #require(json["shapes"] as? [String: [Int]])
        #expect(shapes["train/step"] == [60] && shapes["train/loss"] == [60, 2] && shapes["train/weight"] == [60, 2])
        #expect(shapes["grads/gramian"] == [60, 2, 2] && shapes["grads/cosine"] == [60, 2, 2] && shapes["grads/update_norm"] == [60])
        #expect(shapes["eval/step"] == [4] && shapes["eval/val_loss"] == [4, 2])
        #expect(json["described"] as? Bool == true)
        #expect(json["eval_steps"] as? [Int] == [0, 20, 40, 60])
        #expect(json["weights"] as? [Double] == [0.5, 0.5])
        #expect((json["cosine_diagonal"] as? [Double])?.allSatisfy { abs($0 - 1) < 1e-12 } == true)
        let probeShapes = try #require(json["probe_shapes"] as? [String: [Int]])
        #expect(probeShapes["step"] == [3] && probeShapes["gramian"] == [3, 2, 2] && probeShapes["sharpness"] == [3, 3])
        #expect(probeShapes["hessian_trace"] == [3, 3] && probeShapes["fisher_trace"] == [3, 2] && probeShapes["coherence"] == [3, 2])
        #expect(probeShapes["directional_conflict"] == [3] && probeShapes["weight_norm"] == [3])
        #expect(json["probe_steps"] as? [Int] == [0, 30, 60])
        #expect(json["dist_init_first"] as? Double == 0)
        #expect(json["probe_gramian_symmetric"] as? Bool == true)
        // Floats travel as Python repr strings: Foundation's JSON number parsing may round.
        func recorded(_ key: String) -> [Double] { (json[key] as? [String] ?? []).compactMap(Double.init) }
        for t in 0..<2 {
            #expect(recorded("last_train_loss")[t] == printed[t][0])
            #expect(recorded("last_val_loss")[t] == printed[t][1])
            #expect(recorded("last_val_metric")[t] == printed[t][2])
        }
    }

    @Test func h5pyReadsTheRecordWhileTheRunIsStillWriting() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let (process, _, _) = try start(tasktraceExecutable, ["record"] + Self.small + ["--steps", "200000", "--flush-every", "10",
                                                             "--out", "live.h5"], in: scratch.url)
        defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }
        let script = """
        import h5py, time, json
        for attempt in range(300):
            try:
                f = h5py.File('live.h5', 'r', swmr=True)
                n = f['train/loss'].shape[0]
                if n >= 20:
                    print(json.dumps({'rows': n, 'status': f.attrs['status'], 'finite': bool((f['train/loss'][:n] == f['train/loss'][:n]).all())}))
                    break
                f.close()
            except Exception:
                pass
            time.sleep(0.1)
        """
        let result = try python(script, in: scratch.url)
        #expect(process.isRunning, "the run ended before the reader saw it writing")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.error)")
        #expect((json["rows"] as? Int ?? 0) >= 20)
        #expect(json["status"] as? String == "running")
        #expect(json["finite"] as? Bool == true)
    }

    /// Polls the live record until its checkpoint reaches `step`.
    func waitForCheckpoint(_ path: String, atLeast step: Int64, process: Process) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if let reader = try? RecordReader(path) {
                let reached = ((try? reader.readInt64s("/checkpoint/step"))?.first ?? -1) >= step
                reader.close()
                if reached { return }
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        Issue.record("the run never reached checkpoint \(step) while running")
    }

    /// Every dataset outside /checkpoint, read back as doubles.
    func rows(_ path: String) throws -> [String: [Double]] {
        let reader = try RecordReader(path)
        defer { reader.close() }
        var result: [String: [Double]] = [:]
        for group in ["/train", "/grads", "/eval", "/probe"] where reader.exists(group) {
            // Wall-clock time is the one row value a resumed run cannot reproduce.
            for name in try reader.children(of: group) where "\(group)/\(name)" != "/train/wall_time" {
                result["\(group)/\(name)"] = try reader.readDoubles("\(group)/\(name)")
            }
        }
        return result
    }

    @Test func sigkillKeepsEveryFlushedRowAndResumeReproducesTheUninterruptedRun() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let arguments = ["record"] + Self.small + ["--steps", "6000", "--eval-every", "100", "--flush-every", "10",
                                                  "--checkpoint-every", "500", "--probe-every", "1000"]
        let (process, _, _) = try start(tasktraceExecutable, arguments + ["--out", "killed.h5"], in: scratch.url)
        try waitForCheckpoint(scratch.path("killed.h5"), atLeast: 500, process: process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)

        // The file opens; it is marked as not closed cleanly and holds whole flushes only.
        let reader = try RecordReader(scratch.path("killed.h5"))
        #expect(!reader.cleanlyClosed)
        let steps = try reader.readInt64s("/train/step")
        #expect(steps.count >= 500 && steps.count % 10 == 0 && steps.count < 6000)
        #expect(steps == (0..<Int64(steps.count)).map { $0 })
        let status = try reader.stringAttribute("status")
        #expect(status == "running")
        reader.close()

        let resumed = try tasktrace(["record", "--resume", "killed.h5", "--quiet"], in: scratch.url)
        #expect(resumed.status == 0, "\(resumed.error)")
        let full = try tasktrace(arguments + ["--out", "full.h5"], in: scratch.url)
        #expect(full.status == 0)
        let a = try rows(scratch.path("full.h5")), b = try rows(scratch.path("killed.h5"))
        #expect(a.keys.sorted() == b.keys.sorted() && a.count == 24)
        // Bit patterns, so that NaN rows (an undefined noise scale) compare equal to themselves.
        for key in a.keys.sorted() { #expect(a[key]?.map(\.bitPattern) == b[key]?.map(\.bitPattern), "\(key) differs after resume") }
        let check = try RecordReader(scratch.path("killed.h5"))
        let finalStatus = try check.stringAttribute("status")
        #expect(check.cleanlyClosed && finalStatus == "complete")
        check.close()
    }

    @Test func sigtermStopsWithACheckpointAndTheResumedRunCompletesIdentically() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let arguments = ["record"] + Self.small + ["--steps", "6000", "--eval-every", "100", "--checkpoint-every", "1000"]
        let (process, _, _) = try start(tasktraceExecutable, arguments + ["--out", "stopped.h5"], in: scratch.url)
        try waitForCheckpoint(scratch.path("stopped.h5"), atLeast: 0, process: process)
        Thread.sleep(forTimeInterval: 0.3)
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 143)
        let reader = try RecordReader(scratch.path("stopped.h5"))
        let status = try reader.stringAttribute("status")
        #expect(reader.cleanlyClosed && status == "interrupted")
        let stoppedAt = try reader.readInt64s("/checkpoint/step")[0]
        let recordedRows = try reader.rowCount("/train/step")
        #expect(recordedRows == Int(stoppedAt))
        reader.close()
        #expect(try tasktrace(["record", "--resume", "stopped.h5", "--quiet"], in: scratch.url).status == 0)
        #expect(try tasktrace(arguments + ["--out", "full.h5"], in: scratch.url).status == 0)
        let a = try rows(scratch.path("full.h5")), b = try rows(scratch.path("stopped.h5"))
        for key in a.keys.sorted() { #expect(a[key]?.map(\.bitPattern) == b[key]?.map(\.bitPattern), "\(key) differs after resume") }
    }

    @Test func aHugeLearningRateEndsDivergedWithTheFileIntact() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let result = try tasktrace(["record"] + Self.small + ["--steps", "200", "--optimizer", "sgd", "--lr", "1e9",
                                                              "--out", "diverged.h5"], in: scratch.url)
        #expect(result.status == 3)
        #expect(result.error.split(separator: "\n").count == 1 && result.error.contains("diverged"))
        let check = try python("""
        import h5py, numpy as np
        f = h5py.File('diverged.h5', 'r')
        loss, gram, norm = f['train/loss'][:], f['grads/gramian'][:], f['grads/update_norm'][:]
        finite = np.isfinite(loss).all(axis=1) & np.isfinite(gram).all(axis=(1, 2)) & np.isfinite(norm)
        print(f.attrs['status'], loss.shape[0], bool(finite[:-1].all()), bool(finite[-1]))
        """, in: scratch.url)
        let fields = check.output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields.count == 4, "\(check.error)")
        #expect(fields.first == "diverged")
        #expect(Int(fields[1]) ?? 0 >= 1 && Int(fields[1]) ?? 999 < 200)
        #expect(fields[2] == "True" && fields[3] == "False")  // finite rows, then the diverging row, kept
    }

    @Test func gradientSnapshotsHoldTheFullTaskGradientsCompressed() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        #expect(try tasktrace(["record"] + Self.small + ["--steps", "25", "--snapshot-every", "10", "--out", "s.h5"], in: scratch.url).status == 0)
        let result = try python("""
        import h5py, numpy as np
        f = h5py.File('s.h5', 'r')
        g = f['snapshots/task_gradients']
        shared = 100 * 64 + 64
        # Row 0 of the trunk part of each task's gradient squared equals the step's Gramian diagonal.
        diag = [float((g[0, t, :shared].astype(np.float64) ** 2).sum()) for t in range(2)]
        gram = [float(f['grads/gramian'][0, t, t]) for t in range(2)]
        print(list(g.shape), g.compression, [int(s) for s in f['snapshots/step'][:]],
              all(abs(d - r) <= 1e-5 * r for d, r in zip(diag, gram)))
        """, in: scratch.url)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[3, 2, 6594] gzip [0, 10, 20] True", "\(result.error)")
    }

    @Test func anExistingRecordIsKeptUnlessForced() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        #expect(try tasktrace(["record"] + Self.small + ["--steps", "5", "--out", "r.h5"], in: scratch.url).status == 0)
        let before = try Data(contentsOf: scratch.url.appendingPathComponent("r.h5"))
        let refused = try tasktrace(["record"] + Self.small + ["--steps", "7", "--out", "r.h5"], in: scratch.url)
        #expect(refused.status == 2 && refused.error.contains("--force"))
        #expect(try Data(contentsOf: scratch.url.appendingPathComponent("r.h5")) == before)
        #expect(try tasktrace(["record"] + Self.small + ["--steps", "7", "--out", "r.h5", "--force"], in: scratch.url).status == 0)
        let reader = try RecordReader(scratch.path("r.h5"))
        let rowCount = try reader.rowCount("/train/step")
        #expect(rowCount == 7)
        reader.close()
    }

    @Test func aRecordThatIsCompleteIsNotResumed() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        #expect(try tasktrace(["record"] + Self.small + ["--steps", "5", "--out", "done.h5"], in: scratch.url).status == 0)
        let result = try tasktrace(["record", "--resume", "done.h5"], in: scratch.url)
        #expect(result.status == 2 && result.error.contains("complete"))
    }
}

/// `tasktrace record --model multilenet`: the convolutional model end to end, with probes,
/// dropout and resume; bad `--model` and `--dropout` values.
@Suite(.serialized) struct MultiLeNetRecordTests {
    /// 300 MultiFashion training images; a probe batch that fits them.
    static let configuration = """
    {"dataset": {"name": "multifashion", "trainCount": 300, "validationCount": 100},
     "batchSize": 32, "trainEvalCount": 100, "evalEvery": 3,
     "probe": {"batchSize": 64, "microbatchSize": 16, "hessianBatchSize": 32, "lanczosIterations": 4, "hutchinsonSamples": 2}}
    """

    @Test(.enabled(if: fashionMNISTAvailable, "needs the Fashion-MNIST files"))
    func aProbedRunWithDropoutRecordsItsModelAndProbes() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Self.configuration.write(toFile: scratch.path("run.json"), atomically: true, encoding: .utf8)
        let flags = ["record", "--config", "run.json", "--model", "multilenet", "--dropout", "0.25", "--steps", "8",
                     "--probe-every", "4", "--checkpoint-every", "4", "--quiet"]
        let whole = try tasktrace(flags + ["--out", "whole.h5"], in: scratch.url)
        #expect(whole.status == 0, "\(whole.error)")
        let recorded = try RecordedModel(file: scratch.path("whole.h5"))
        #expect(recorded.configuration.model == .multilenet && recorded.configuration.dropout == 0.25)
        #expect(recorded.model.layout.view(named: "trunk.3.weight")?.shape == [20, 10, 5, 5])
        let inspect = try tasktrace(["inspect", "whole.h5"], in: scratch.url)
        #expect(inspect.output.contains("MultiLeNet, dropout 0.25"), "\(inspect.output)")
        let script = """
        import h5py, json, numpy as np
        f = h5py.File('whole.h5', 'r')
        print(json.dumps({'config': json.loads(f.attrs['config']),
                          'probe_steps': [int(s) for s in f['probe/step'][:]],
                          'sharpness_finite': bool(np.isfinite(f['probe/sharpness'][:]).all()),
                          'fisher_positive': bool((f['probe/fisher_trace'][:] > 0).all())}))
        """
        let result = try python(script, in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let config = try #require(json["config"] as? [String: Any])
        #expect(config["model"] as? String == "multilenet" && config["dropout"] as? Double == 0.25)
        #expect(json["probe_steps"] as? [Int] == [0, 4, 8])
        #expect(json["sharpness_finite"] as? Bool == true && json["fisher_positive"] as? Bool == true)
    }

    @Test(.enabled(if: fashionMNISTAvailable, "needs the Fashion-MNIST files"))
    func sigkillAndResumeReproduceTheUninterruptedRunWithDropout() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Self.configuration.write(toFile: scratch.path("run.json"), atomically: true, encoding: .utf8)
        let flags = ["record", "--config", "run.json", "--model", "multilenet", "--dropout", "0.5", "--steps", "30",
                     "--checkpoint-every", "5", "--flush-every", "1", "--quiet"]
        #expect(try tasktrace(flags + ["--out", "whole.h5"], in: scratch.url).status == 0)
        // Kill once the checkpoint of step 5 is complete (rows of a later flush are on disk: the
        // checkpoint's own rows are flushed after its step is written), then resume.
        let (process, _, _) = try start(tasktraceExecutable, flags + ["--out", "killed.h5"], in: scratch.url)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let reader = try? RecordReader(scratch.path("killed.h5")) {
                let step = (try? reader.readInt64s("/checkpoint/step").first) ?? nil
                let rows = (try? reader.readInt64s("/train/step").count) ?? 0
                reader.close()
                if let step, step >= 5, rows >= step + 2 { break }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let resumed = try tasktrace(["record", "--resume", "killed.h5", "--quiet"], in: scratch.url)
        #expect(resumed.status == 0, "\(resumed.error)")
        let script = """
        import h5py, json
        a = h5py.File('whole.h5', 'r'); b = h5py.File('killed.h5', 'r')
        print(json.dumps({k: bool((a[k][:] == b[k][:]).all()) and a[k].shape == b[k].shape
                          for k in ['train/loss', 'grads/gramian', 'eval/val_loss', 'checkpoint/parameters/trunk.0.weight']}))
        """
        let result = try python(script, in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"{"train/loss": true, "grads/gramian": true, "eval/val_loss": true, "checkpoint/parameters/trunk.0.weight": true}"#)
    }

    @Test func badModelAndDropoutValuesAreOneLineAndExitTwo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let small = ["record", "--dataset", "synthetic", "--steps", "2", "--quiet", "--out", "x.h5"]
        expectOneLineFailure(try tasktrace(small + ["--model", "lenet"], in: scratch.url), naming: ["model", "lenet"], "--model lenet")
        expectOneLineFailure(try tasktrace(small + ["--model", "multilenet", "--dropout", "1.5"], in: scratch.url),
                             naming: ["dropout"], "--dropout 1.5")
        expectOneLineFailure(try tasktrace(small + ["--dropout", "abc"], in: scratch.url), naming: ["dropout"], "--dropout abc")
        expectOneLineFailure(try tasktrace(small + ["--model", "multilenet"], in: scratch.url),
                             naming: ["model", "multilenet"], "multilenet on synthetic vectors")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("x.h5")))
    }
}
