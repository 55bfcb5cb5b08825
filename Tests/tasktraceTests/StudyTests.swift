import Foundation
import Records
import Testing
import Training

/// `tasktrace study` end to end on a tiny synthetic study (2 tasks, 2 seeds, 1 MT variant:
/// 6 runs of 30 steps): the plan, running, re-running (skip, redo, resume), failures, bad
/// configurations, and the job lists for GNU parallel and Slurm.
///
/// Every process runs with OPENBLAS_NUM_THREADS=1, so that records made by different
/// routes (the built-in runner, GNU parallel, a single `record`) are comparable bit for bit.
@Suite(.serialized) struct StudyTests {
    static let tinyStudy = """
    seeds = [1, 2]
    out = "runs/tiny"

    [base]
    dataset = { name = "synthetic", trainCount = 256 }
    widths = [16]
    steps = 30
    batchSize = 32

    [[mt]]
    name = "equal"
    """

    /// The plan of `tinyStudy`, by hand: runs in order, and (task, seed, ST file, MT file) pairs.
    static let expectedFiles = ["st-t0-seed1.h5", "st-t1-seed1.h5", "mt-equal-seed1.h5",
                                "st-t0-seed2.h5", "st-t1-seed2.h5", "mt-equal-seed2.h5"]
    static let expectedPairs: [StudyPair] = [
        StudyPair(task: "t0", seed: 1, variant: "equal", singleTaskFile: "st-t0-seed1.h5", multiTaskFile: "mt-equal-seed1.h5"),
        StudyPair(task: "t1", seed: 1, variant: "equal", singleTaskFile: "st-t1-seed1.h5", multiTaskFile: "mt-equal-seed1.h5"),
        StudyPair(task: "t0", seed: 2, variant: "equal", singleTaskFile: "st-t0-seed2.h5", multiTaskFile: "mt-equal-seed2.h5"),
        StudyPair(task: "t1", seed: 2, variant: "equal", singleTaskFile: "st-t1-seed2.h5", multiTaskFile: "mt-equal-seed2.h5"),
    ]

    // MARK: - Helpers

    /// Starts `executable` in `directory` with OPENBLAS_NUM_THREADS=1 and `environment` added.
    func launch(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
                input: URL? = nil) throws -> (Process, URL, URL) {
        try start(executable, arguments, in: directory, environment: ["OPENBLAS_NUM_THREADS": "1"].merging(environment) { $1 },
                  input: input)
    }

    /// Runs `executable` to its end, as `launch` starts it.
    func execute(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
                 input: URL? = nil) throws -> ProcessResult {
        try run(executable, arguments, in: directory, environment: ["OPENBLAS_NUM_THREADS": "1"].merging(environment) { $1 },
                input: input)
    }

    /// Runs `tasktrace` with `arguments` in `directory`.
    func tasktraceRun(_ arguments: [String], in directory: URL) throws -> ProcessResult {
        try execute(tasktraceExecutable, arguments, in: directory)
    }

    /// A scratch directory holding `study.toml` (the tiny study, or `text`).
    func scratchWithStudy(_ text: String = tinyStudy) throws -> ScratchDirectory {
        let scratch = try ScratchDirectory()
        try text.write(toFile: scratch.path("study.toml"), atomically: true, encoding: .utf8)
        return scratch
    }

    /// Runs the study in `folder` (relative to the scratch directory) to its end, expecting success.
    @discardableResult
    func runStudy(_ scratch: ScratchDirectory, out folder: String = "runs/tiny",
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try tasktraceRun(["study", "--config", "study.toml", "--out", folder, "--jobs", "2"], in: scratch.url)
        #expect(result.status == 0, "\(result.output)\(result.error)", sourceLocation: sourceLocation)
        return result
    }

    /// The stdout lines of a study that start with `label` (e.g. "skipped"), as record file names.
    func files(_ result: ProcessResult, labelled label: String) -> [String] {
        result.output.split(separator: "\n").filter { $0.hasPrefix(label + " ") }.compactMap {
            $0.split(separator: " ").dropFirst().first.map(String.init)
        }
    }

    /// The /train/loss rows of a record, as bit patterns.
    func trainLoss(_ path: String) throws -> [UInt64] {
        let reader = try RecordReader(path)
        defer { reader.close() }
        return try reader.readDoubles("/train/loss").map(\.bitPattern)
    }

    /// Every row dataset of a record (/train, /grads, /eval), as bit patterns.
    func rows(_ path: String) throws -> [String: [UInt64]] {
        let reader = try RecordReader(path)
        defer { reader.close() }
        var result: [String: [UInt64]] = [:]
        for group in ["/train", "/grads", "/eval"] {
            // Wall-clock time is the one row value a resumed run cannot reproduce.
            for name in try reader.children(of: group) where "\(group)/\(name)" != "/train/wall_time" {
                result["\(group)/\(name)"] = try reader.readDoubles("\(group)/\(name)").map(\.bitPattern)
            }
        }
        return result
    }

    /// Expects the record at `path` to be complete and closed cleanly.
    func expectComplete(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reader = try RecordReader(path)
        defer { reader.close() }
        #expect(reader.cleanlyClosed, "\(path)", sourceLocation: sourceLocation)
        #expect(try TrajectoryHeader(reading: reader).status == "complete", "\(path)", sourceLocation: sourceLocation)
    }

    /// Modification time and bytes of every record in `folder`.
    func snapshot(_ folder: String) throws -> [String: (Date, Data)] {
        var result: [String: (Date, Data)] = [:]
        for file in Self.expectedFiles {
            let path = "\(folder)/\(file)"
            let date = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
            result[file] = (date, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return result
    }

    // MARK: - Plan and run

    @Test func theStudyRunsEveryPlannedRunAndWritesStudyJSON() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        // The folder comes from the configuration's out.
        let result = try tasktraceRun(["study", "--config", "study.toml", "--jobs", "2"], in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.isEmpty, "\(result.error)")  // not a terminal: no progress line
        #expect(Set(files(result, labelled: "complete")) == Set(Self.expectedFiles))
        let folder = scratch.path("runs/tiny")

        let manifest = try StudyManifest(reading: URL(fileURLWithPath: folder))
        #expect(manifest.schema == "tasktrace-study/1")
        #expect(manifest.tasks == ["t0", "t1"])
        #expect(manifest.runs.map(\.file) == Self.expectedFiles)
        #expect(manifest.runs.map(\.configFile) == Self.expectedFiles.map { "configs/" + $0.replacingOccurrences(of: ".h5", with: ".json") })
        #expect(manifest.runs.map(\.mode) == [.st, .st, .mt, .st, .st, .mt])
        #expect(manifest.runs.map(\.task) == ["t0", "t1", nil, "t0", "t1", nil])
        #expect(manifest.runs.map(\.variant) == [nil, nil, "equal", nil, nil, "equal"])
        #expect(manifest.runs.map(\.seed) == [1, 1, 1, 2, 2, 2])
        #expect(manifest.multiTaskRuns.allSatisfy { $0.weights == [0.5, 0.5] })
        #expect(manifest.pairs == Self.expectedPairs)
        #expect(manifest.study.seeds == [1, 2] && manifest.study.mt == [StudyVariant(name: "equal")])
        #expect(manifest.study.base.steps == 30 && manifest.study.base.widths == [16])

        for run in manifest.runs {
            let path = "\(folder)/\(run.file)"
            try expectComplete(path)
            let reader = try RecordReader(path)
            let header = try TrajectoryHeader(reading: reader)
            reader.close()
            #expect(header.mode.rawValue == run.mode.rawValue)
            #expect(header.tasks.map(\.name) == (run.task.map { [$0] } ?? ["t0", "t1"]))
            #expect(header.seed == Int64(run.seed))
            let recorded = try JSONDecoder().decode(RunConfiguration.self, from: Data(header.config.utf8))
            #expect(recorded.task == run.task && recorded.steps == 30 && recorded.widths == [16] && recorded.batchSize == 32)
            #expect(recorded.weights == (run.mode == .mt ? [0.5, 0.5] : [1]))
            // The configuration file beside it is the run's full configuration.
            let data = try #require(FileManager.default.contents(atPath: "\(folder)/\(run.configFile)"))
            #expect(try JSONDecoder().decode(RunConfiguration.self, from: data) == manifest.configuration(of: run))
        }
        #expect(result.output.contains("6 recorded, 0 skipped (complete), 0 diverged, 0 failed"))
    }

    @Test func runningAgainSkipsCompleteRecordsWithoutTouchingThem() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        try runStudy(scratch)
        let folder = scratch.path("runs/tiny")
        let before = try snapshot(folder)
        let logs = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/logs").sorted()
        let logBytes = try logs.map { try Data(contentsOf: URL(fileURLWithPath: "\(folder)/logs/\($0)")) }

        let again = try runStudy(scratch)
        #expect(files(again, labelled: "skipped") == Self.expectedFiles)
        #expect(files(again, labelled: "complete").isEmpty)
        let after = try snapshot(folder)
        for file in Self.expectedFiles {
            #expect(after[file]?.0 == before[file]?.0 && after[file]?.1 == before[file]?.1, "\(file) changed")
        }
        // No child ran: the logs did not grow.
        #expect(try logs.map { try Data(contentsOf: URL(fileURLWithPath: "\(folder)/logs/\($0)")) } == logBytes)
    }

    @Test func aDeletedRunIsRecordedAgainIdentically() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        try runStudy(scratch)
        let folder = scratch.path("runs/tiny")
        let before = try snapshot(folder)
        let lost = "\(folder)/st-t1-seed2.h5"
        let loss = try trainLoss(lost)
        try FileManager.default.removeItem(atPath: lost)

        let again = try runStudy(scratch)
        #expect(files(again, labelled: "complete") == ["st-t1-seed2.h5"])
        #expect(files(again, labelled: "skipped").count == 5)
        try expectComplete(lost)
        #expect(try trainLoss(lost) == loss)  // runs are deterministic
        let after = try snapshot(folder)
        for file in Self.expectedFiles where file != "st-t1-seed2.h5" {
            #expect(after[file]?.0 == before[file]?.0, "\(file) changed")
        }
    }

    @Test func aKilledRunIsResumedAndEndsAsIfUninterrupted() throws {
        // One seed, long enough to kill a run between checkpoints.
        let scratch = try scratchWithStudy("""
        seeds = [1]
        [base]
        dataset = { name = "synthetic", trainCount = 256 }
        widths = [16]
        steps = 4000
        batchSize = 32
        checkpointEvery = 500
        flushEvery = 10
        [[mt]]
        name = "equal"
        """)
        defer { scratch.remove() }
        let plan = try tasktraceRun(["study", "--config", "study.toml", "--out", "long", "--emit-jobs", "parallel"], in: scratch.url)
        #expect(plan.status == 0, "\(plan.error)")
        let folder = scratch.path("long")
        let record = "\(folder)/mt-equal-seed1.h5", config = "\(folder)/configs/mt-equal-seed1.json"

        let (process, _, _) = try launch(tasktraceExecutable, ["record", "--config", config, "--out", record, "--quiet"], in: scratch.url)
        let deadline = Date().addingTimeInterval(60)
        var checkpoint: Int64 = -1
        while Date() < deadline && process.isRunning && checkpoint < 500 {
            if let reader = try? RecordReader(record) {
                checkpoint = (try? reader.readInt64s("/checkpoint/step"))?.first ?? -1
                reader.close()
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before it was killed")
        let killed = try RecordReader(record)
        #expect(!killed.cleanlyClosed)
        #expect(try killed.rowCount("/train/loss") < 4000)
        killed.close()

        let result = try runStudy(scratch, out: "long")
        #expect(files(result, labelled: "resumed") == ["mt-equal-seed1.h5"], "\(result.output)")
        #expect(Set(files(result, labelled: "complete")) == ["st-t0-seed1.h5", "st-t1-seed1.h5"])
        try expectComplete(record)

        let reference = try tasktraceRun(["record", "--config", config, "--out", scratch.path("reference.h5"), "--quiet"], in: scratch.url)
        #expect(reference.status == 0, "\(reference.error)")
        let resumed = try rows(record), uninterrupted = try rows(scratch.path("reference.h5"))
        #expect(resumed.keys.sorted() == uninterrupted.keys.sorted())
        for key in uninterrupted.keys.sorted() { #expect(resumed[key] == uninterrupted[key], "\(key) differs after resume") }
    }

    @Test func unreadableAndUnresumableRecordsAreRedone() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        try runStudy(scratch)
        let folder = scratch.path("runs/tiny")
        let junk = "\(folder)/st-t0-seed1.h5", broken = "\(folder)/mt-equal-seed2.h5"
        let junkLoss = try trainLoss(junk), brokenLoss = try trainLoss(broken)
        try Data("not a record".utf8).write(to: URL(fileURLWithPath: junk))
        // Marked interrupted, but without the checkpoint's cursor: --resume fails.
        let edit = try python("""
        import h5py
        with h5py.File('\(broken)', 'r+') as f:
            f.attrs['status'] = 'interrupted'
            del f['checkpoint/cursor']
        """, in: scratch.url)
        #expect(edit.status == 0, "\(edit.error)")

        let again = try runStudy(scratch)
        #expect(Set(files(again, labelled: "redone")) == ["st-t0-seed1.h5", "mt-equal-seed2.h5"], "\(again.output)")
        #expect(again.output.contains("resume failed"))
        #expect(files(again, labelled: "skipped").count == 4)
        for (path, loss) in [(junk, junkLoss), (broken, brokenLoss)] {
            try expectComplete(path)
            #expect(try trainLoss(path) == loss)
        }
    }

    @Test func divergedRunsAreResultsKeptAndNotRunAgain() throws {
        let scratch = try scratchWithStudy(Self.tinyStudy.replacingOccurrences(
            of: "batchSize = 32", with: "batchSize = 32\noptimizer = { kind = \"sgd\", learningRate = 1e9 }"))
        defer { scratch.remove() }
        let first = try runStudy(scratch)
        #expect(Set(files(first, labelled: "diverged")) == Set(Self.expectedFiles), "\(first.output)")
        #expect(first.output.contains("0 recorded, 0 skipped (complete), 6 diverged, 0 failed"))
        let before = try snapshot(scratch.path("runs/tiny"))
        let again = try runStudy(scratch)
        #expect(files(again, labelled: "kept") == Self.expectedFiles, "\(again.output)")
        let after = try snapshot(scratch.path("runs/tiny"))
        for file in Self.expectedFiles { #expect(after[file]?.1 == before[file]?.1, "\(file) changed") }
        let reader = try RecordReader(scratch.path("runs/tiny/mt-equal-seed1.h5"))
        defer { reader.close() }
        #expect(try TrajectoryHeader(reading: reader).status == "diverged")
    }

    @Test func aRecordOfAnotherConfigurationFailsItsRunAndIsLeftAlone() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        let plan = try tasktraceRun(["study", "--config", "study.toml", "--emit-jobs", "parallel"], in: scratch.url)
        #expect(plan.status == 0, "\(plan.error)")
        let foreign = scratch.path("runs/tiny/mt-equal-seed1.h5")
        let other = try tasktraceRun(["record", "--dataset", "synthetic", "--train-count", "256", "--widths", "16", "--steps", "20",
                                      "--batch-size", "32", "--seed", "1", "--quiet", "--out", foreign], in: scratch.url)
        #expect(other.status == 0, "\(other.error)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: foreign))

        let result = try tasktraceRun(["study", "--config", "study.toml", "--jobs", "2"], in: scratch.url)
        #expect(result.status == 1)
        let lines = result.error.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("run mt-equal-seed1 failed") == true, "\(result.error)")
        #expect(result.error.contains("steps"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == bytes)
        #expect(Set(files(result, labelled: "complete")) == Set(Self.expectedFiles).subtracting(["mt-equal-seed1.h5"]))
        #expect(result.output.contains("5 recorded, 0 skipped (complete), 0 diverged, 1 failed"))
    }

    @Test func aSecondStudyInTheSameFolderIsRefusedWhileTheFirstRuns() throws {
        let scratch = try scratchWithStudy(Self.tinyStudy.replacingOccurrences(of: "steps = 30", with: "steps = 1000000"))
        defer { scratch.remove() }
        let (first, output, _) = try launch(tasktraceExecutable, ["study", "--config", "study.toml", "--jobs", "1"], in: scratch.url)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        // Wait until the first run is writing rows: the study holds the folder's lock, and its
        // child handles SIGTERM.
        let deadline = Date().addingTimeInterval(30)
        var rows = 0
        while Date() < deadline && first.isRunning && rows == 0 {
            if let reader = try? RecordReader(scratch.path("runs/tiny/st-t0-seed1.h5")) {
                rows = (try? reader.rowCount("/train/loss")) ?? 0
                reader.close()
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(rows > 0, "the first study never started recording")
        let second = try tasktraceRun(["study", "--config", "study.toml"], in: scratch.url)
        #expect(second.status == 2)
        #expect(second.error.split(separator: "\n").count == 1 && second.error.contains("another tasktrace study"), "\(second.error)")

        // SIGTERM stops the first: its running record is interrupted, to be resumed later.
        first.terminate()
        first.waitUntilExit()
        #expect(first.terminationStatus == 143)
        let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(files(ProcessResult(status: 0, output: printed, error: ""), labelled: "stopped") == ["st-t0-seed1.h5"], "\(printed)")
        let reader = try RecordReader(scratch.path("runs/tiny/st-t0-seed1.h5"))
        defer { reader.close() }
        #expect(try TrajectoryHeader(reading: reader).status == "interrupted")
    }

    // MARK: - Bad input

    @Test func badConfigurationsGiveOneLineNamingTheFileAndTheField() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let base = "[base]\ndataset = { name = \"synthetic\" }\n"
        let mt = "[[mt]]\nname = \"equal\"\n"
        let cases: [(String, String)] = [
            ("seeds = [1]\nout = \"s\"\nsedes = 2\n" + base + mt, "sedes"),
            ("seeds = \"one\"\nout = \"s\"\n" + base + mt, "seeds"),
            ("seeds = []\nout = \"s\"\n" + base + mt, "seeds"),
            ("seeds = [-3]\nout = \"s\"\n" + base + mt, "seeds[0]"),
            ("seeds = [1]\nout = \"s\"\n" + base + "stpes = 3\n" + mt, "base.stpes"),
            ("seeds = [1]\nout = \"s\"\n" + base + "steps = \"3\"\n" + mt, "base.steps"),
            ("seeds = [1]\nout = \"s\"\n" + base + "batchSize = 0\n" + mt, "base.batchSize"),
            ("seeds = [1]\nout = \"s\"\n" + base + "seed = 4\n" + mt, "base.seed"),
            ("seeds = [1]\nout = \"s\"\n" + base + "task = \"t0\"\n" + mt, "base.task"),
            ("seeds = [1]\nout = \"s\"\n" + base, "mt"),
            ("seeds = [1]\nout = \"s\"\n" + base + mt + "method = \"nosuchmethod\"\n", "mt[0].method"),
            ("seeds = [1]\nout = \"s\"\n" + base + mt + "[[mt]]\nname = \"heavy\"\nweights = [0.7, 0.2, 0.1]\n", "mt[1].weights"),
            ("seeds = [1]\nout = \"s\"\n" + base + mt + "[[mt]]\nname = \"equal\"\n", "mt[1].name"),
            ("seeds = [1]\n" + base + mt, "out"),
            ("seeds = [1\n" + base + mt, "TOML"),
        ]
        for (index, (text, field)) in cases.enumerated() {
            let file = "s\(index).toml"
            try text.write(toFile: scratch.path(file), atomically: true, encoding: .utf8)
            let result = try tasktraceRun(["study", "--config", file], in: scratch.url)
            #expect(result.status == 2, "\(text)")
            #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
            #expect(result.error.contains(file) && result.error.contains(field), "\(field): \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("s")), "\(field): a folder was made")
        }
        let json = scratch.path("s.json")
        try #"{"seeds": [1], "out": "s", "base": {"dataset": {"name": "synthetic"}}, "mt": [{"name": "a", "weights": "x"}]}"#
            .write(toFile: json, atomically: true, encoding: .utf8)
        let jsonResult = try tasktraceRun(["study", "--config", "s.json"], in: scratch.url)
        #expect(jsonResult.status == 2 && jsonResult.error.contains("s.json") && jsonResult.error.contains("mt[0].weights"), "\(jsonResult.error)")

        let missing = try tasktraceRun(["study", "--config", "nope.toml"], in: scratch.url)
        #expect(missing.status == 2 && missing.error.split(separator: "\n").count == 1 && missing.error.contains("nope.toml"))
        try Self.tinyStudy.write(toFile: scratch.path("study.toml"), atomically: true, encoding: .utf8)
        let jobs = try tasktraceRun(["study", "--config", "study.toml", "--jobs", "0"], in: scratch.url)
        #expect(jobs.status == 2 && jobs.error.split(separator: "\n").count == 1 && jobs.error.contains("--jobs"), "\(jobs.error)")
        let format = try tasktraceRun(["study", "--config", "study.toml", "--emit-jobs", "make"], in: scratch.url)
        #expect(format.status == 2 && format.error.split(separator: "\n").count == 1, "\(format.error)")
    }

    @Test func aFolderHoldingAnotherStudyIsRefused() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        let plan = try tasktraceRun(["study", "--config", "study.toml", "--emit-jobs", "parallel"], in: scratch.url)
        #expect(plan.status == 0, "\(plan.error)")
        try Self.tinyStudy.replacingOccurrences(of: "seeds = [1, 2]", with: "seeds = [1, 2, 3]")
            .write(toFile: scratch.path("more.toml"), atomically: true, encoding: .utf8)
        let result = try tasktraceRun(["study", "--config", "more.toml"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.error.split(separator: "\n").count == 1 && result.error.contains("runs/tiny/study.json"), "\(result.error)")
        #expect(try StudyManifest(reading: URL(fileURLWithPath: scratch.path("runs/tiny"))).study.seeds == [1, 2])
    }

    // MARK: - Job lists

    @Test func jobsRunByGNUParallelMakeTheSameRecordsAsTheBuiltInRunner() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        try runStudy(scratch, out: "builtin")

        let emitted = try tasktraceRun(["study", "--config", "study.toml", "--out", "emitted", "--emit-jobs", "parallel"], in: scratch.url)
        #expect(emitted.status == 0, "\(emitted.error)")
        let folder = URL(fileURLWithPath: scratch.path("emitted")).standardizedFileURL.path
        let jobsFile = folder + "/jobs.txt"
        #expect(emitted.output == jobsFile + "\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".h5") }.isEmpty)  // nothing ran
        let lines = try String(contentsOfFile: jobsFile, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        for (line, file) in zip(lines, Self.expectedFiles) {
            let name = file.replacingOccurrences(of: ".h5", with: "")
            #expect(line.hasPrefix("/") && line.hasSuffix(" record --config \(folder)/configs/\(name).json --out \(folder)/\(file) --quiet"), "\(line)")
        }

        // GNU parallel runs the lines from another working directory: the paths are absolute.
        let elsewhere = scratch.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let parallel = try execute(URL(fileURLWithPath: "/usr/bin/parallel"), ["--will-cite", "--jobs", "2"], in: elsewhere,
                                   input: URL(fileURLWithPath: jobsFile))
        #expect(parallel.status == 0, "\(parallel.error)")
        for file in Self.expectedFiles {
            try expectComplete("\(folder)/\(file)")
            #expect(try trainLoss("\(folder)/\(file)") == trainLoss(scratch.path("builtin/\(file)")), "\(file) differs")
        }
        // The analysis reads the study GNU parallel made through its study.json, and finds what
        // it finds in the built-in runner's study.
        let analysed = try tasktraceRun(["gap", folder, "--csv", scratch.path("emitted.csv")], in: scratch.url)
        #expect(analysed.status == 0, "\(analysed.error)")
        #expect(try tasktraceRun(["gap", scratch.path("builtin"), "--csv", scratch.path("builtin.csv")], in: scratch.url).status == 0)
        let emittedTable = try String(contentsOfFile: scratch.path("emitted.csv"), encoding: .utf8)
        #expect(emittedTable.split(separator: "\n").count == 4)  // title comment, header, tasks t0 and t1
        #expect(emittedTable == (try String(contentsOfFile: scratch.path("builtin.csv"), encoding: .utf8)))

        // The study now finds every record complete; a new job list is empty.
        let again = try tasktraceRun(["study", "--config", "study.toml", "--out", "emitted", "--emit-jobs", "parallel"], in: scratch.url)
        #expect(again.status == 0 && again.error.contains("0 of 6 runs to do"), "\(again.error)")
        #expect(try String(contentsOfFile: jobsFile, encoding: .utf8).isEmpty)
    }

    @Test func theSlurmArrayRunsLineIndexPlusOneOfTheJobList() throws {
        let scratch = try scratchWithStudy()
        defer { scratch.remove() }
        let emitted = try tasktraceRun(["study", "--config", "study.toml", "--emit-jobs", "slurm"], in: scratch.url)
        #expect(emitted.status == 0, "\(emitted.error)")
        let folder = URL(fileURLWithPath: scratch.path("runs/tiny")).standardizedFileURL.path
        let script = folder + "/jobs.slurm"
        #expect(emitted.output == script + "\n")
        let text = try String(contentsOfFile: script, encoding: .utf8)
        #expect(text.hasPrefix("#!/bin/bash\n"))
        #expect(text.contains("\n#SBATCH --array=0-5\n"))
        #expect(text.contains(#"sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" \#(folder)/jobs.txt"#))
        #expect(try String(contentsOfFile: folder + "/jobs.txt", encoding: .utf8).split(separator: "\n").count == 6)

        // Array task 2 runs the third line: the MT run of seed 1, and nothing else.
        let bash = URL(fileURLWithPath: "/bin/bash")
        let task = try execute(bash, [script], in: scratch.url, environment: ["SLURM_ARRAY_TASK_ID": "2"])
        #expect(task.status == 0, "\(task.error)")
        let records = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".h5") }
        #expect(records == ["mt-equal-seed1.h5"])
        try expectComplete(folder + "/mt-equal-seed1.h5")
        let beyond = try execute(bash, [script], in: scratch.url, environment: ["SLURM_ARRAY_TASK_ID": "6"])
        #expect(beyond.status != 0 && beyond.error.contains("no line 7"), "\(beyond.error)")

        // Emitted again, the array covers the five runs left.
        let again = try tasktraceRun(["study", "--config", "study.toml", "--emit-jobs", "slurm"], in: scratch.url)
        #expect(again.status == 0, "\(again.error)")
        #expect(try String(contentsOfFile: script, encoding: .utf8).contains("\n#SBATCH --array=0-4\n"))
        let left = try String(contentsOfFile: folder + "/jobs.txt", encoding: .utf8)
        #expect(left.split(separator: "\n").count == 5 && !left.contains("mt-equal-seed1"))
    }
}
