import Foundation
import Records
import Testing

@Suite struct InspectTests {
    /// The values inspect reports, read independently with h5py.
    static let independentRead = """
    f = h5py.File('run.h5', 'r', swmr=True)
    t = f['tasks'].attrs
    c = json.loads(f.attrs['config'])
    out = {
        'status': f.attrs['status'], 'schema': f.attrs['schema'], 'tool_version': f.attrs['tool_version'],
        'created': f.attrs['created'], 'mode': t['mode'], 'names': list(t['names']), 'kinds': list(t['kinds']),
        'metrics': list(t['metrics']), 'train_rows': f['train/step'].shape[0], 'eval_rows': f['eval/step'].shape[0],
        'last_step': int(f['train/step'][-1]), 'last_train_loss': f['train/loss'][-1].tolist(),
        'eval_step': int(f['eval/step'][-1]), 'train_loss': f['eval/train_loss'][-1].tolist(),
        'val_loss': f['eval/val_loss'][-1].tolist(), 'val_metric': f['eval/val_metric'][-1].tolist(),
        'checkpoint_step': int(f['checkpoint/step'][0]), 'config': c,
    }
    print(json.dumps(out))
    """

    @Test func summaryAndJSONAgreeWithTheRecord() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = try recordSmallRun("run.h5", in: scratch, extra: ["--eval-every", "15", "--weights", "0.7,0.3", "--widths", "32,16"])
        let expected = try jsonObject(try h5py(Self.independentRead, in: scratch))

        let json = try tasktrace(["inspect", "run.h5", "--json"], in: scratch.url)
        #expect(json.status == 0, "\(json.error)")
        #expect(json.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        let report = try jsonObject(json.output)
        for key in ["status", "schema", "tool_version", "created", "mode", "last_step", "checkpoint_step"] {
            #expect(String(describing: report[key]!) == String(describing: expected[key]!), "\(key)")
        }
        #expect(Set(report.keys) == ["file", "schema", "tool_version", "created", "status", "cleanly_closed", "warnings",
                                     "mode", "tasks", "config", "config_error", "rows", "last_step", "last_train_loss",
                                     "last_eval", "checkpoint_step"])
        #expect(report["file"] as? String == "run.h5")
        #expect(report["cleanly_closed"] as? Bool == true && (report["warnings"] as? [Any])?.isEmpty == true)
        #expect(report["config_error"] is NSNull)
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["name"] as? String } == (expected["names"] as! [String]).map { $0 })
        #expect(tasks.map { $0["kind"] as? String } == (expected["kinds"] as! [String]).map { $0 })
        #expect(tasks.map { $0["metric"] as? String } == (expected["metrics"] as! [String]).map { $0 })
        let rows = try #require(report["rows"] as? [String: Any])
        #expect(rows["train"] as? Int == expected["train_rows"] as? Int && rows["train"] as? Int == 40)
        #expect(rows["eval"] as? Int == expected["eval_rows"] as? Int && rows["eval"] as? Int == 4)  // 0, 15, 30, 40
        #expect(rows["probe"] is NSNull && rows["snapshots"] is NSNull)
        expectNumbers(report["last_train_loss"], expected["last_train_loss"], "last_train_loss")
        let lastEval = try #require(report["last_eval"] as? [String: Any])
        #expect(lastEval["step"] as? Int == expected["eval_step"] as? Int)
        for (key, source) in [("train_loss", "train_loss"), ("val_loss", "val_loss"), ("val_metric", "val_metric")] {
            expectNumbers(lastEval[key], expected[source], key)
        }
        let config = try #require(report["config"] as? [String: Any])
        let recorded = try #require(expected["config"] as? [String: Any])
        #expect(config["widths"] as? [Int] == [32, 16] && config["widths"] as? [Int] == recorded["widths"] as? [Int])
        #expect(config["batch_size"] as? Int == 32 && config["steps"] as? Int == 40 && config["total_steps"] as? Int == 40)
        #expect(config["epochs"] is NSNull && config["task"] is NSNull && config["seed"] as? Int == 0)
        #expect(config["optimizer"] as? String == "adam" && config["learning_rate"] as? Double == 0.001)
        #expect(config["weights"] as? [Double] == [0.7, 0.3] && config["activation"] as? String == "relu")
        let dataset = try #require(config["dataset"] as? [String: Any])
        #expect(dataset["name"] as? String == "synthetic" && dataset["train_count"] as? Int == 2000)
        #expect(dataset["validation_count"] as? Int == 1000 && dataset["rho"] as? Double == 0.5)

        let text = try tasktrace(["inspect", "run.h5"], in: scratch.url)
        #expect(text.status == 0, "\(text.error)")
        let lines = text.output.split(separator: "\n").map(String.init)
        #expect(lines.count <= 24, "one screen: \(text.output)")
        func line(_ label: String) -> String { lines.first { $0.hasPrefix(label + " ") } ?? "" }
        #expect(line("file").hasSuffix("run.h5") && line("status").hasSuffix("complete"))
        #expect(line("schema").contains("tasktrace/1") && line("schema").contains(expected["created"] as! String))
        #expect(line("mode").contains("MT") && line("tasks").contains("t0 (regression, metric r2)"))
        #expect(line("dataset").contains("synthetic: 2000 train, 1000 validation") && line("dataset").contains("rho 0.5"))
        #expect(line("model").contains("32,16") && line("optimizer").contains("adam, lr 0.001"))
        #expect(line("training").contains("batch size 32, 40 steps, seed 0") && line("weights") == "weights     t0 0.7, t1 0.3")
        #expect(line("rows").contains("train steps 40, evaluations 4, probes off, snapshots off"))
        let lastLoss = expected["last_train_loss"] as! [Double]
        #expect(line("last step").contains("39 (0-based; 40 taken): minibatch loss t0 \(format(lastLoss[0])), t1 \(format(lastLoss[1]))"))
        let valLoss = expected["val_loss"] as! [Double], valMetric = expected["val_metric"] as! [Double]
        #expect(line("last eval").contains("step 40: t0 train loss"))
        #expect(line("last eval").contains("t1 train loss \(format((expected["train_loss"] as! [Double])[1])), val loss \(format(valLoss[1])), val r2 \(format(valMetric[1]))"))
        #expect(line("checkpoint").hasSuffix("step 40"))
        #expect(!text.output.contains("WARNING"))
    }

    @Test func aSingleTaskRecordOfEpochsShowsItsLength() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let result = try tasktrace(["record", "--dataset", "synthetic", "--train-count", "256", "--epochs", "2",
                                    "--batch-size", "64", "--task", "t1", "--widths", "8", "--quiet", "--out", "st.h5"],
                                   in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        let report = try jsonObject(try tasktrace(["inspect", "st.h5", "--json"], in: scratch.url).output)
        let config = try #require(report["config"] as? [String: Any])
        #expect(report["mode"] as? String == "st" && config["task"] as? String == "t1")
        #expect(config["epochs"] as? Int == 2 && config["steps"] as? Int == 8 && config["total_steps"] as? Int == 8)
        #expect(config["weights"] as? [Double] == [1])
        #expect((report["tasks"] as? [[String: Any]])?.map { $0["name"] as? String } == ["t1"])
        let text = try tasktrace(["inspect", "st.h5"], in: scratch.url).output
        #expect(text.contains("2 epochs (8 steps)") && text.contains("ST, 1 task") && text.contains("single task t1"))
    }

    @Test func badFilesGiveOneLineAndExitTwo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Data("just text\n".utf8).write(to: scratch.url.appendingPathComponent("notes.h5"))
        try h5py("""
        with h5py.File('plain.h5', 'w') as f: f['x'] = np.arange(3)
        with h5py.File('other.h5', 'w') as f: f.attrs['schema'] = 'something/2'
        """, in: scratch)
        _ = try recordSmallRun("run.h5", in: scratch, extra: ["--widths", "8"])
        try FileManager.default.copyItem(atPath: scratch.path("run.h5"), toPath: scratch.path("broken.h5"))
        try FileManager.default.copyItem(atPath: scratch.path("run.h5"), toPath: scratch.path("reshaped.h5"))
        try h5py("""
        with h5py.File('broken.h5', 'r+') as f: del f['eval/val_loss']
        with h5py.File('reshaped.h5', 'r+') as f:
            del f['train/loss']
            f['train/loss'] = np.zeros((40, 3))
        """, in: scratch)
        let cases: [(String, [String])] = [
            ("missing.h5", ["missing.h5", "no such file"]),
            ("notes.h5", ["notes.h5", "not an HDF5 file"]),
            ("plain.h5", ["plain.h5", "schema"]),
            ("other.h5", ["other.h5", "something/2"]),
            ("broken.h5", ["broken.h5", "/eval/val_loss"]),
            ("reshaped.h5", ["reshaped.h5", "/train/loss"]),
        ]
        for (file, naming) in cases {
            for flags in [[], ["--json"]] {
                let result = try tasktrace(["inspect", file] + flags, in: scratch.url)
                expectOneLineFailure(result, naming: naming, "inspect \(file) \(flags)")
                #expect(result.output.isEmpty)
            }
        }
        expectOneLineFailure(try tasktrace(["inspect"], in: scratch.url), naming: [], "no file")
    }

    @Test func aKilledWriterIsReportedAsNotClosedCleanly() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let (writer, _, _) = try start(tasktraceExecutable, [
            "record", "--dataset", "synthetic", "--steps", "1000000", "--batch-size", "32", "--widths", "16",
            "--flush-every", "5", "--checkpoint-every", "25", "--eval-every", "10", "--quiet", "--out", "live.h5",
        ], in: scratch.url)
        defer { if writer.isRunning { kill(writer.processIdentifier, SIGKILL) } }

        // While the writer runs, inspect reads the record and says it is not closed.
        var live: [String: Any]?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let result = try tasktrace(["inspect", "live.h5", "--json"], in: scratch.url)
            if result.status == 0, let report = try? jsonObject(result.output),
               let rows = report["rows"] as? [String: Any], (rows["train"] as? Int ?? 0) >= 60 {
                live = report
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let running = try #require(live, "inspect never saw 60 rows of the running record")
        #expect(running["cleanly_closed"] as? Bool == false && running["status"] as? String == "running")

        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        #expect(writer.terminationReason == .uncaughtSignal)

        let text = try tasktrace(["inspect", "live.h5"], in: scratch.url)
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("NOT closed cleanly"))
        #expect(text.output.contains("writer killed or still running; rows up to the last flush are readable; "
                                     + "`tasktrace record --resume live.h5` continues it"))
        let report = try jsonObject(try tasktrace(["inspect", "live.h5", "--json"], in: scratch.url).output)
        #expect(report["cleanly_closed"] as? Bool == false && report["status"] as? String == "running")
        #expect((report["warnings"] as? [String])?.first?.hasPrefix("not closed cleanly") == true)
        let rows = try #require(report["rows"] as? [String: Any])
        let trainRows = try #require(rows["train"] as? Int)
        #expect(trainRows >= 60 && trainRows % 5 == 0, "rows up to the last flush: \(trainRows)")
        #expect(report["last_step"] as? Int == trainRows - 1)
        let checkpoint = try #require(report["checkpoint_step"] as? Int)
        #expect(checkpoint >= 50 && checkpoint % 25 == 0 && checkpoint <= trainRows)

        // The same rows through RecordReader, which also sees the open-for-writing mark.
        let reader = try RecordReader(scratch.path("live.h5"))
        defer { reader.close() }
        #expect(!reader.cleanlyClosed)
        #expect(try reader.rowCount("/train/step") == trainRows)
    }

    @Test func unequalRowCountsAreAWarningWhileOpenAndAnErrorOnceClosed() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let tasks = [TrajectoryTask(name: "a", kind: .regression), TrajectoryTask(name: "b", kind: .classification)]
        let schema = TrajectorySchema(tasks: tasks, mode: .mt, toolVersion: "test", config: #"{"dataset": {"name": "synthetic"}, "widths": 3}"#, seed: 1,
                                      probe: false)
        let writer = try RecordWriter(creating: scratch.path("open.h5"), layout: schema.layout())
        for step in 0..<5 {
            try writer.append("/train/step", integer: Int64(step))
            try writer.append("/train/loss", row: [Double(step), 2 * Double(step)])
            try writer.append("/train/weight", row: [0.5, 0.5])
            try writer.append("/train/lr", value: 0.1)
            try writer.append("/grads/gramian", row: [1, 0, 0, 1])
            try writer.append("/grads/cosine", row: [1, 0, 0, 1])
            try writer.append("/grads/update_norm", value: 1)
        }
        try writer.append("/train/step", integer: 5)  // a row the other datasets do not have yet
        try writer.flush()

        // Open for writing (this process holds it): a warning, and the smaller count.
        let open = try tasktrace(["inspect", "open.h5", "--json"], in: scratch.url)
        #expect(open.status == 0, "\(open.error)")
        let report = try jsonObject(open.output)
        #expect(report["cleanly_closed"] as? Bool == false)
        let warnings = report["warnings"] as? [String] ?? []
        #expect(warnings.count == 2 && warnings.last?.contains("/train/step=6") == true, "\(warnings)")
        #expect((report["rows"] as? [String: Any])?["train"] as? Int == 5 && report["last_step"] as? Int == 4)
        #expect(report["last_train_loss"] as? [Double] == [4, 8] && report["last_eval"] is NSNull)
        #expect(report["checkpoint_step"] is NSNull)
        // An unreadable config does not stop the summary.
        #expect(report["config"] is NSNull && (report["config_error"] as? String)?.contains("widths") == true)
        let text = try tasktrace(["inspect", "open.h5"], in: scratch.url)
        #expect(text.status == 0 && text.output.contains("config      unreadable: ") && text.output.contains("last eval   none yet"))
        #expect(text.output.components(separatedBy: "WARNING").count == 3)

        // Closed cleanly, the same mismatch is a broken record.
        try writer.finish(status: "complete")
        expectOneLineFailure(try tasktrace(["inspect", "open.h5"], in: scratch.url),
                             naming: ["open.h5", "inconsistent row counts", "/train/step=6"], "closed record")
    }

    func expectNumbers(_ actual: Any?, _ expected: Any?, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let a = actual as? [Double] ?? [], e = expected as? [Double] ?? []
        #expect(a.count == e.count && !a.isEmpty, "\(key): \(String(describing: actual))", sourceLocation: sourceLocation)
        for (x, y) in zip(a, e) { #expect(nearlyEqual(x, y, 1e-12), "\(key): \(x) vs \(y)", sourceLocation: sourceLocation) }
    }

    func format(_ value: Double) -> String { String(format: "%.6g", value) }
}
