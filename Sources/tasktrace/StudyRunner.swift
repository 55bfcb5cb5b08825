import Foundation
import Training

/// Runs a study's runs as parallel `tasktrace record` child processes, at most `jobs` at a
/// time, deciding each run from its record on disk (see `StudyRecordState`): complete runs
/// are skipped, diverged ones kept, missing ones recorded, stopped ones resumed (and redone
/// from scratch when the resume fails), unusable files replaced.
///
/// Prints one line per run on standard output as it is settled, one line per failed run on
/// standard error, and keeps one progress line on standard error when it is a terminal.
/// Each child's output goes to `logs/<run>.log` in the study folder. SIGINT or SIGTERM stop
/// the study: no further runs start, running children get SIGTERM (they write a checkpoint
/// and close their records as interrupted; the next `tasktrace study` resumes them).
struct StudyRunner {
    let folder: StudyFolder
    /// The `tasktrace` executable the children run.
    let executable: String
    let jobs: Int
    let quiet: Bool

    /// How the study went.
    struct Summary: CustomStringConvertible {
        var total = 0, skipped = 0, keptDiverged = 0, recorded = 0, diverged = 0, failed = 0, interrupted = 0

        /// `3 recorded, 6 skipped (complete), 0 diverged, 0 failed[, 1 stopped]`.
        var description: String {
            var parts = ["\(recorded) recorded", "\(skipped) skipped (complete)", "\(diverged + keptDiverged) diverged", "\(failed) failed"]
            if interrupted > 0 { parts.append("\(interrupted) stopped") }
            return parts.joined(separator: ", ")
        }
    }

    /// What a child process does for its run.
    enum Attempt {
        /// Record the run from its configuration (after deleting an unusable file first).
        case fresh(deleteFirst: Bool, note: String?)
        /// Continue the stopped run in its record.
        case resume(reason: String)
    }

    /// A child process going on.
    final class Child {
        let job: StudyJob, attempt: Attempt, process: Process
        let start = Date()
        /// Size of the log when the child started: its own output follows.
        let logOffset: UInt64
        init(job: StudyJob, attempt: Attempt, process: Process, logOffset: UInt64) {
            self.job = job
            self.attempt = attempt
            self.process = process
            self.logOffset = logOffset
        }
    }

    /// Runs the study to its end (or to a stop signal).
    func run() -> Summary {
        var summary = Summary(total: folder.manifest.runs.count)
        var progress = StudyProgressLine(total: summary.total, quiet: quiet)
        func report(_ label: String, _ run: StudyRun, _ detail: String) {
            progress.clear()
            printLine("\(label.padding(toLength: 9, withPad: " ", startingAt: 0)) \(run.file)\(detail.isEmpty ? "" : " (\(detail))")")
        }
        func reportFailure(_ run: StudyRun, _ reason: String) {
            progress.clear()
            summary.failed += 1
            FileHandle.standardError.write(Data("tasktrace: study: run \(run.name) failed: \(reason)\n".utf8))
        }

        var pending: [(StudyJob, Attempt)] = []
        for run in folder.manifest.runs {
            let job = StudyJob(run: run, folder: folder)
            switch folder.state(of: run) {
            case .missing: pending.append((job, .fresh(deleteFirst: false, note: nil)))
            case .complete:
                summary.skipped += 1
                report("skipped", run, "complete")
            case .diverged:
                summary.keptDiverged += 1
                report("kept", run, "diverged earlier; a diverged run is a result")
            case .resumable(let reason): pending.append((job, .resume(reason: reason)))
            case .unusable(let reason): pending.append((job, .fresh(deleteFirst: true, note: reason)))
            case .foreign(let reason): reportFailure(run, "\(job.recordPath) exists, \(reason); remove it to record the run")
            }
        }

        let finished = DispatchSemaphore(value: 0)
        var running: [Child] = []
        var stopping = false
        var finishedHere = 0
        while !pending.isEmpty || !running.isEmpty {
            if StopSignal.received != 0 && !stopping {
                stopping = true
                pending.removeAll()
                for child in running where child.process.isRunning { kill(child.process.processIdentifier, SIGTERM) }
            }
            while !stopping && running.count < jobs && !pending.isEmpty {
                let (job, attempt) = pending.removeFirst()
                do {
                    running.append(try launch(job, attempt, finished: finished))
                } catch {
                    reportFailure(job.run, "cannot start \(executable): \(error)")
                }
            }
            progress.draw(done: summary.skipped + summary.keptDiverged + summary.recorded + summary.diverged + summary.failed,
                          finishedHere: finishedHere, running: running.count, failed: summary.failed)
            _ = finished.wait(timeout: .now() + 0.25)
            for child in running where !child.process.isRunning {
                running.removeAll { $0 === child }
                finishedHere += 1
                let run = child.job.run, seconds = String(format: "%.1f s", Date().timeIntervalSince(child.start))
                let reason = failureReason(child)
                let exitedNormally = child.process.terminationReason == .exit
                switch (exitedNormally, child.process.terminationStatus) {
                case (true, 0):
                    let state = folder.state(of: run)
                    guard state == .complete else {
                        reportFailure(run, "the child exited 0 but the record is \(state)")
                        continue
                    }
                    summary.recorded += 1
                    switch child.attempt {
                    case .resume(let why): report("resumed", run, "\(why); \(seconds)")
                    case .fresh(_, let note?): report("redone", run, "\(note); \(seconds)")
                    case .fresh(_, nil): report("complete", run, seconds)
                    }
                case (true, 3):
                    summary.diverged += 1
                    report("diverged", run, "kept; \(seconds)")
                case _ where stopping:
                    summary.interrupted += 1
                    report("stopped", run, "\(exitDescription(child)); the next tasktrace study resumes it")
                case (true, _):
                    if case .resume = child.attempt {
                        finishedHere -= 1  // not settled: redone next
                        pending.insert((child.job, .fresh(deleteFirst: true, note: "resume failed: \(reason)")), at: 0)
                    } else {
                        reportFailure(run, "\(reason) (log: \(child.job.logPath))")
                    }
                case (false, _):
                    reportFailure(run, "\(reason) (log: \(child.job.logPath))")
                }
            }
        }
        progress.clear()
        return summary
    }

    /// The environment of the children: this process's, with `OPENBLAS_NUM_THREADS` set to
    /// the cores per job (at least 1) unless it is set already, so that parallel runs do not
    /// oversubscribe the cores with BLAS threads.
    var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if environment["OPENBLAS_NUM_THREADS"] == nil {
            environment["OPENBLAS_NUM_THREADS"] = String(max(1, ProcessInfo.processInfo.activeProcessorCount / jobs))
        }
        return environment
    }

    /// Starts the child of `attempt`, its output appended to the run's log.
    func launch(_ job: StudyJob, _ attempt: Attempt, finished: DispatchSemaphore) throws -> Child {
        let manager = FileManager.default
        if case .fresh(deleteFirst: true, _) = attempt, manager.fileExists(atPath: job.recordPath) {
            try manager.removeItem(atPath: job.recordPath)
        }
        let arguments: [String]
        switch attempt {
        case .fresh: arguments = job.freshArguments()
        case .resume: arguments = job.resumeArguments
        }
        try manager.createDirectory(atPath: (job.logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if !manager.fileExists(atPath: job.logPath) { _ = manager.createFile(atPath: job.logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: job.logPath))
        defer { try? log.close() }
        let offset = try log.seekToEnd()
        log.write(Data("== \(ISO8601DateFormatter().string(from: Date())) \(shellCommand([executable] + arguments))\n".utf8))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = childEnvironment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        return Child(job: job, attempt: attempt, process: process, logOffset: offset)
    }

    /// `exit N` or `killed by signal N`.
    func exitDescription(_ child: Child) -> String {
        child.process.terminationReason == .exit
            ? "exit \(child.process.terminationStatus)" : "killed by signal \(child.process.terminationStatus)"
    }

    /// Why a child failed, in a few words: its exit code or signal, and the last error line
    /// (`tasktrace: ...`) it wrote, else its last line.
    func failureReason(_ child: Child) -> String {
        let how = exitDescription(child)
        guard let log = FileHandle(forReadingAtPath: child.job.logPath) else { return how }
        defer { try? log.close() }
        _ = try? log.seek(toOffset: child.logOffset)
        let lines = String(decoding: (try? log.readToEnd()) ?? Data(), as: UTF8.self)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.dropFirst()
        guard let line = lines.last(where: { $0.hasPrefix("tasktrace: ") }) ?? lines.last else { return how }
        return "\(how): \(line.hasPrefix("tasktrace: ") ? String(line.dropFirst("tasktrace: ".count)) : line)"
    }
}

/// Writes `line` and a newline to standard output at once (unbuffered, so that it keeps its
/// place among the children's and the progress line's output).
func printLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
