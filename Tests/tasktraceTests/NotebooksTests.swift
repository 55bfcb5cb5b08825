import Foundation
import Testing

/// The Python side in notebooks-data/, run with Debian's python3: the record writer
/// (`tasktrace_record.py`) writes files that `tasktrace inspect` accepts and that are laid out
/// like `tasktrace record`'s, and `plot_study.py` draws every figure of an analysis file.
@Suite struct NotebooksTests {
    /// notebooks-data/ of this package (this file is Tests/tasktraceTests/NotebooksTests.swift).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("notebooks-data")

    /// Path of a script in notebooks-data/.
    static func script(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Runs a notebooks-data script with Debian's python3.
    static func runScript(_ name: String, _ arguments: [String], in scratch: ScratchDirectory) throws -> ProcessResult {
        try run(systemPython, [script(name)] + arguments, in: scratch.url)
    }

    /// The example's options for a short run: 60 steps, evaluations at 0, 20, 40, 60 and
    /// probes at 0, 30, 60.
    static let exampleOptions = ["--steps", "60", "--eval-every", "20", "--probe-every", "30"]

    // MARK: - The record writer

    @Test func exampleRecordsPassInspectWithTheirRowCounts() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let example = try Self.runScript("example_numpy_loop.py", ["runs"] + Self.exampleOptions + ["--seeds", "1", "2"],
                                         in: scratch)
        #expect(example.status == 0, "\(example.error)")
        let paths = example.output.split(separator: "\n").map(String.init)
        let names = ["st-t0-seed1.h5", "st-t1-seed1.h5", "mt-seed1.h5", "st-t0-seed2.h5", "st-t1-seed2.h5", "mt-seed2.h5"]
        #expect(paths == names.map { "runs/\($0)" })

        for path in paths {
            let inspect = try tasktrace(["inspect", path, "--json"], in: scratch.url)
            #expect(inspect.status == 0, "\(path): \(inspect.error)")
            guard inspect.status == 0 else { continue }
            let report = try jsonObject(inspect.output)
            let multiTask = path.contains("/mt-")
            #expect(report["schema"] as? String == "tasktrace/1", "\(path)")
            #expect(report["status"] as? String == "complete", "\(path)")
            #expect(report["cleanly_closed"] as? Bool == true && (report["warnings"] as? [Any])?.isEmpty == true,
                    "\(path): \(String(describing: report["warnings"]))")
            #expect(report["mode"] as? String == (multiTask ? "mt" : "st"), "\(path)")
            let tasks = try #require(report["tasks"] as? [[String: Any]])
            let expectedTasks = multiTask ? ["t0", "t1"] : [path.contains("st-t0") ? "t0" : "t1"]
            #expect(tasks.map { $0["name"] as? String } == expectedTasks, "\(path)")
            #expect(tasks.allSatisfy { $0["kind"] as? String == "regression" && $0["metric"] as? String == "r2" })
            let rows = try #require(report["rows"] as? [String: Any])
            #expect(rows["train"] as? Int == 60 && rows["eval"] as? Int == 4 && rows["probe"] as? Int == 3, "\(path): \(rows)")
            #expect(rows["snapshots"] is NSNull)
            #expect(report["last_step"] as? Int == 59)
            let lastEval = try #require(report["last_eval"] as? [String: Any])
            #expect(lastEval["step"] as? Int == 60)
            #expect((lastEval["val_loss"] as? [Double])?.count == expectedTasks.count, "\(path): finite losses")
            // The example's configuration is its own, not a TaskTrace run configuration.
            #expect(report["config"] is NSNull && report["config_error"] is String)
            #expect(report["checkpoint_step"] is NSNull)
        }

        // Runs of one seed pair: same seed, same `dataset` object; the ST runs have weight 1.
        let pairing = try h5py("""
        out = {}
        for seed in (1, 2):
            files = [h5py.File(f'runs/{n}-seed{seed}.h5', 'r', swmr=True) for n in ('st-t0', 'st-t1', 'mt')]
            configs = [json.loads(f.attrs['config']) for f in files]
            out[seed] = {'datasets_equal': all(c['dataset'] == configs[0]['dataset'] for c in configs),
                         'seeds': [int(f.attrs['seed']) for f in files],
                         'st_weights': [f['train/weight'][:].tolist() == [[1.0]] * 60 for f in files[:2]],
                         'tasks': [c['task'] for c in configs]}
        print(json.dumps(out))
        """, in: scratch)
        let pairs = try jsonObject(pairing)
        for seed in [1, 2] {
            let entry = try #require(pairs["\(seed)"] as? [String: Any])
            #expect(entry["datasets_equal"] as? Bool == true)
            #expect(entry["seeds"] as? [Int] == [seed, seed, seed])
            #expect(entry["st_weights"] as? [Bool] == [true, true])
            #expect((entry["tasks"] as? [Any]).map { $0.map { String(describing: $0) } } == ["t0", "t1", "<null>"])
        }
    }

    @Test func aStudyWrittenByThePythonWriterIsAnalysed() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let example = try Self.runScript("example_numpy_loop.py", ["runs"] + Self.exampleOptions + ["--seeds", "1", "2", "3"],
                                         in: scratch)
        #expect(example.status == 0, "\(example.error)")
        // No study.json: the records pair by task and seed from their own attributes.
        let gap = try tasktrace(["gap", "runs", "--json", "gap.json"], in: scratch.url)
        #expect(gap.status == 0, "\(gap.error)")
        let table = try jsonObject(String(decoding: try Data(contentsOf: scratch.url.appendingPathComponent("gap.json")), as: UTF8.self))
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.map { $0["task"] as? String } == ["t0", "t1"])
        #expect(rows.allSatisfy { $0["seeds"] as? Int == 3 && ($0["mean gap"] as? Double)?.isFinite == true })
        let report = try tasktrace(["report", "runs"], in: scratch.url)
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output.contains("Correlations over units") && report.output.contains("analysis.h5"))
        #expect(FileManager.default.fileExists(atPath: scratch.path("runs/analysis.h5")))
        #expect(FileManager.default.fileExists(atPath: scratch.path("runs/report.md")))
    }

    @Test func writerLaysOutRecordsLikeTasktraceRecord() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = try recordSmallRun("reference.h5", in: scratch, extra: ["--probe-every", "20"])
        let example = try Self.runScript("example_numpy_loop.py", ["runs"] + Self.exampleOptions, in: scratch)
        #expect(example.status == 0, "\(example.error)")

        // Every non-checkpoint object of the reference and the Python record, compared by
        // dtype, row shape, maximum shape, chunks, fill value and attribute texts and types.
        let differences = try h5py("""
        def attribute_types(obj):
            out = {}
            for name in obj.attrs:
                a = obj.attrs.get_id(name)
                t = a.get_type()
                out[name] = (t.get_class(), t.is_variable_str() if t.get_class() == h5py.h5t.STRING else None,
                             t.get_cset() if t.get_class() == h5py.h5t.STRING else None, a.shape,
                             t.get_size() if t.get_class() != h5py.h5t.STRING else None)
            return out

        def layout(path):
            f = h5py.File(path, 'r', swmr=True)
            items = {'/': ('root', attribute_types(f)), 'libver': f.libver}
            def visit(name, obj):
                if name.startswith('checkpoint'):
                    return
                if isinstance(obj, h5py.Dataset):
                    items[name] = (str(obj.dtype), obj.shape[1:], obj.maxshape, obj.chunks, obj.fillvalue.item(),
                                   obj.attrs['description'], obj.attrs['units'], attribute_types(obj))
                else:
                    items[name] = ('group', attribute_types(obj))
            f.visititems(visit)
            return items

        reference, written = layout('reference.h5'), layout('runs/mt-seed1.h5')
        differences = [f'{key}: reference {reference.get(key)!r}, python {written.get(key)!r}'
                       for key in sorted(set(reference) | set(written)) if reference.get(key) != written.get(key)]
        tasks = h5py.File('reference.h5', 'r', swmr=True)['tasks'].attrs, h5py.File('runs/mt-seed1.h5', 'r', swmr=True)['tasks'].attrs
        for name in ('kinds', 'mode', 'loss_units', 'metrics', 'metric_units'):
            if str(tasks[0][name]) != str(tasks[1][name]):
                differences.append(f'/tasks {name}: {tasks[0][name]} vs {tasks[1][name]}')
        print(len(reference) - 2)
        print('\\n'.join(differences))
        """, in: scratch)
        let lines = differences.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect((Int(lines.first ?? "") ?? 0) >= 28, "the comparison covered the groups and datasets: \(differences)")
        let reported = lines.dropFirst().filter { !$0.isEmpty }
        #expect(reported.isEmpty, "layout differences:\n\(reported.joined(separator: "\n"))")
    }

    @Test func aPythonRecordLeftOpenIsReportedAsNotResumable() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = try h5py("""
        import os, sys
        sys.path.insert(0, \(pythonString(Self.folder.path)))
        from tasktrace_record import TaskTraceRecord
        record = TaskTraceRecord('open.h5', ['a', 'b'], 'regression', 'mt', 0, {'dataset': {'name': 'toy'}})
        record.log_eval(0, [1.0, 1.0], [1.1, 1.1], [0.0, 0.0], [0.0, 0.0])
        record.flush()
        os._exit(0)  # as if killed: the file stays marked open for writing
        """, in: scratch)
        let inspect = try tasktrace(["inspect", "open.h5"], in: scratch.url)
        #expect(inspect.status == 0, "\(inspect.error)")
        #expect(inspect.output.contains("NOT closed cleanly") && inspect.output.contains("cannot be resumed"))
        #expect(!inspect.output.contains("--resume"))
    }

    @Test func writerRejectsRowsOutsideTheSchemaAndIsReadableWhileWriting() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let folder = Self.folder.path
        let result = try h5py("""
        import sys, subprocess
        sys.path.insert(0, \(pythonString(folder)))
        from tasktrace_record import TaskTraceRecord, gramian_from_gradients, cosine_from_gramian
        checks = {}
        def raises(kind, function):
            try:
                function()
            except kind:
                return True
            except Exception as error:
                return f'{type(error).__name__}: {error}'
            return False
        config = {'dataset': {'name': 'toy'}}
        checks['st with two tasks'] = raises(ValueError, lambda: TaskTraceRecord('a.h5', ['a', 'b'], 'regression', 'st', 0, config))
        checks['config without dataset'] = raises(ValueError, lambda: TaskTraceRecord('a.h5', ['a', 'b'], 'regression', 'mt', 0, {}))
        checks['unknown kind'] = raises(ValueError, lambda: TaskTraceRecord('a.h5', ['a', 'b'], 'ranking', 'mt', 0, config))

        rec = TaskTraceRecord('live.h5', ['a', 'b'], ['classification', 'regression'], 'mt', 7, config, probe=True,
                              flush_every=10)
        g = gramian_from_gradients([np.array([1.0, 0.0, 2.0]), np.array([0.0, 3.0, 1.0])])
        checks['gramian'] = bool(np.allclose(g, [[5, 2], [2, 10]]))
        checks['cosine'] = bool(np.isclose(cosine_from_gramian(g)[0, 1], 2 / np.sqrt(50)))
        checks['wrong loss shape'] = raises(ValueError, lambda: rec.log_step(0, [1, 2, 3], [.5, .5], .1, g))
        checks['wrong gramian shape'] = raises(ValueError, lambda: rec.log_step(0, [1, 2], [.5, .5], .1, np.eye(3)))
        checks['sharpness without total'] = raises(ValueError, lambda: rec.log_probe(0, g, sharpness=[1, 2]))
        for step in range(25):
            rec.log_step(step, [1.0, 2.0], [0.5, 0.5], 0.1, g, update_norm=0.01)
        checks['decreasing step'] = raises(ValueError, lambda: rec.log_step(3, [1, 2], [.5, .5], .1, g))
        rec.log_eval(0, [1, 2], [1, 2], [0.5, 0.1], [0.5, 0.1])
        rec.log_probe(0, g, sharpness=[1, 2, 1.5])
        reader = "import h5py, sys; f = h5py.File('live.h5', 'r', swmr=True); print(f['train/step'].shape[0], f.attrs['status'])"
        checks['read while writing'] = subprocess.run([sys.executable, '-c', reader], capture_output=True, text=True).stdout.split()
        rec.close()
        f = h5py.File('live.h5', 'r')
        checks['closed'] = [int(f['train/step'].shape[0]), f.attrs['status'], f['train/step'].dtype.name,
                            f['probe/directional_conflict'][0].round(6).item(), bool(np.isnan(f['probe/fisher_trace'][0]).all()),
                            list(f['tasks'].attrs['metrics'])]
        checks['overwrite refused'] = raises(FileExistsError, lambda: TaskTraceRecord('live.h5', ['a'], 'regression', 'st', 0, config))
        print(json.dumps(checks))
        """, in: scratch)
        let checks = try jsonObject(result)
        for name in ["st with two tasks", "config without dataset", "unknown kind", "gramian", "cosine", "wrong loss shape",
                     "wrong gramian shape", "sharpness without total", "decreasing step", "overwrite refused"] {
            #expect(checks[name] as? Bool == true, "\(name): \(String(describing: checks[name]))")
        }
        // 25 steps with a flush every 10: a reader sees the 20 flushed rows while the run is "running".
        #expect(checks["read while writing"] as? [String] == ["20", "running"])
        let closed = try #require(checks["closed"] as? [Any])
        #expect(closed.count == 6)
        #expect(closed[0] as? Int == 25 && closed[1] as? String == "complete" && closed[2] as? String == "int64")
        // cos = 2/sqrt(50): |u_a + u_b| / 2 = sqrt(2 + 2 cos) / 2.
        #expect(abs((closed[3] as? Double ?? 0) - ((2 + 2 * 2 / 50.0.squareRoot()).squareRoot() / 2)) < 1e-6)
        #expect(closed[4] as? Bool == true, "factors left out are NaN")
        #expect(closed[5] as? [String] == ["accuracy", "r2"])

        let inspect = try tasktrace(["inspect", "live.h5", "--json"], in: scratch.url)
        #expect(inspect.status == 0, "\(inspect.error)")
        let report = try jsonObject(inspect.output)
        let rows = try #require(report["rows"] as? [String: Any])
        #expect(rows["train"] as? Int == 25 && rows["eval"] as? Int == 1 && rows["probe"] as? Int == 1)
    }

    // MARK: - Figures

    /// The figures of `synthetic_analysis.py`'s file: two variants x two tasks of gap and
    /// matched-loss figures, conflict and factors for variant "equal" only, two correlations.
    static let expectedFigures: Set<String> = {
        var names: Set<String> = ["conflict_equal.png", "factors_equal_left.png", "factors_equal_right.png",
                                  "correlation_conflict_vs_gap.png", "correlation_conflict_vs_optimization.png"]
        for variant in ["equal", "w0.7-0.3"] {
            for task in ["left", "right"] {
                names.insert("gap_\(variant)_\(task).png")
                names.insert("matched_\(variant)_\(task).png")
            }
        }
        return names
    }()

    /// Checks that each of `names` in `folder` is a PNG file of more than `minimumBytes`.
    func expectPNGs(_ names: Set<String>, in folder: URL, minimumBytes: Int = 10_000,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let magic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for name in names.sorted() {
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
            #expect(data != nil, "\(name) missing", sourceLocation: sourceLocation)
            guard let data else { continue }
            #expect(Array(data.prefix(8)) == magic, "\(name) is not a PNG", sourceLocation: sourceLocation)
            #expect(data.count > minimumBytes, "\(name): \(data.count) bytes", sourceLocation: sourceLocation)
        }
    }

    @Test func plotStudyDrawsEveryFigureOfAnAnalysisFile() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let fake = try Self.runScript("synthetic_analysis.py", ["study/analysis.h5"], in: scratch)
        #expect(fake.status == 0, "\(fake.error)")
        let plot = try Self.runScript("plot_study.py", ["study/analysis.h5", "study/figures"], in: scratch)
        #expect(plot.status == 0, "\(plot.error)")
        let printed = Set(plot.output.split(separator: "\n").map(String.init))
        #expect(printed == Set(Self.expectedFigures.map { "study/figures/\($0)" }), "\(plot.output)")
        let folder = scratch.url.appendingPathComponent("study/figures")
        let written = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        #expect(written == Self.expectedFigures)
        expectPNGs(Self.expectedFigures, in: folder)
    }

    @Test func plotStudySkipsMissingGroupsAndDrawsAllNaNGaps() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let fake = try Self.runScript("synthetic_analysis.py", ["analysis.h5"], in: scratch)
        #expect(fake.status == 0, "\(fake.error)")
        // No probes: no factors, no conflict, no correlations; one task's gap all NaN and
        // without its interval; no mt_step (so an onset cannot be placed).
        try h5py("""
        with h5py.File('analysis.h5', 'a') as f:
            for name in ('factors', 'conflict', 'correlations', 'optimization'):
                del f[name]
            g = f['gap/equal/left']
            for name in ('val_loss_gap', 'val_loss_gap_mean', 'val_metric_gap_mean', 'val_loss_st'):
                g[name][...] = np.nan
            for name in ('val_loss_gap_low', 'val_loss_gap_high', 'mt_step'):
                del g[name]
        """, in: scratch)
        let plot = try Self.runScript("plot_study.py", ["analysis.h5", "figures"], in: scratch)
        #expect(plot.status == 0, "\(plot.error)")
        let expected = Set(Self.expectedFigures.filter { $0.hasPrefix("gap_") || $0.hasPrefix("matched_") })
        #expect(Set(plot.output.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") }) == expected)
        expectPNGs(expected, in: scratch.url.appendingPathComponent("figures"))
        for group in ["/factors", "/conflict", "/correlations"] {
            #expect(plot.error.contains("no \(group) group"), "a note for \(group): \(plot.error)")
        }

        // A record is not an analysis file: one line naming the file and the schema, exit 2.
        _ = try recordSmallRun("run.h5", in: scratch)
        let wrong = try Self.runScript("plot_study.py", ["run.h5", "figures"], in: scratch)
        #expect(wrong.status == 2 && wrong.output.isEmpty, "a record given as analysis file: exit \(wrong.status)")
        let lines = wrong.error.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("run.h5") && lines[0].contains("tasktrace-analysis/1"), "\(wrong.error)")
    }
}

/// `text` as a Python string literal.
private func pythonString(_ text: String) -> String {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    return "'\(escaped)'"
}
