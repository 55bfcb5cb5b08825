import ArgumentParser
import Foundation
import Training

/// `tasktrace study`: plans a study (ST runs per task and MT variants, per seed) into a
/// folder and runs it as parallel `tasktrace record` processes, or writes it as a job list.
struct Study: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan and run a study: an ST run per task and each MT variant, for every seed, as parallel records.",
        discussion: """
        STUDY.toml (or .json; strict: unknown fields, wrong types and out-of-range
        values name the field, exit 2):
          seeds = [1, 2, 3]        one ST run per task and one run per MT variant each
          out = "runs/study"       the study folder (relative to the working
                                   directory; --out overrides it)
          [base]                   a run configuration as for `record --config`,
                                   shared by every run; no task, seed or weights
          dataset = { name = "multifashion" }
          epochs = 5
          probeEvery = 200
          [[mt]]                   one or more MT variants: a name (letters, digits,
          name = "equal"           - _ .) and weights, one per task (equal when absent)
          [[mt]]
          name = "left-heavy"
          weights = [0.7, 0.3]

        Tasks come from the dataset: multifashion left, right; synthetic t0 .. t{T-1}.
        The folder gets, per run, configs/<run>.json (the run's full configuration)
        and the record <run>.h5, with runs named st-<task>-seed<seed> and
        mt-<variant>-seed<seed>; study.json (schema tasktrace-study/1: the study
        configuration, tasks, runs and, for every MT run and task, the paired ST run
        of that task and seed); logs/<run>.log (the runs' output).

        The runs go as `tasktrace record --config configs/<run>.json --out <run>.h5
        --quiet` child processes, --jobs at a time (default: one per core; each with
        OPENBLAS_NUM_THREADS = cores / jobs unless set). Running a study again skips
        complete records, keeps diverged ones (a diverged run is a result), resumes
        stopped ones (interrupted or killed: `record --resume`; when that fails the
        record is deleted and the run redone) and redoes unreadable files. A record of
        another configuration at a run's path is reported and left alone. A folder
        whose study.json plans another study is refused.

        One line per run on standard output as it settles; a failed run gives one line
        naming it on standard error, the study goes on with the others and exits 1 at
        the end. A progress line (runs done/total, ETA) goes to standard error when it
        is a terminal. SIGINT/SIGTERM stop the study: running records are interrupted
        with a checkpoint, and the next `tasktrace study` resumes them.

        --emit-jobs parallel writes the plan and jobs.txt (one `tasktrace record`
        command per run that needs work, absolute paths; stopped runs get --resume,
        unreadable files --force)
        and prints its path: run it with `parallel < jobs.txt`. --emit-jobs slurm also
        writes jobs.slurm, a Slurm job array (task i runs line i + 1 of jobs.txt), and
        prints its path: `sbatch jobs.slurm`. Nothing is run.

        Examples:
          tasktrace study --config study.toml
          tasktrace study --config study.toml --out runs/s2 --jobs 4
          parallel < "$(tasktrace study --config s.toml --emit-jobs parallel)"
          sbatch "$(tasktrace study --config s.toml --emit-jobs slurm)"
        """)

    @Option(help: ArgumentHelp("The study configuration (TOML or JSON).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("The study folder (overrides the configuration's out).", valueName: "dir"))
    var out: String?

    @OptionGroup var scheduling: StudyScheduling

    func run() throws {
        StopSignal.install()
        let (folder, lock) = try reportingErrors { try plan() }
        try withExtendedLifetime(lock) {
            if let emitJobs = scheduling.emitJobs {
                try emit(folder, format: emitJobs)
            } else {
                try runStudy(folder)
            }
        }
    }

    /// Reads and plans the study, takes the folder's lock and writes the plan into it.
    func plan() throws -> (StudyFolder, StudyLock) {
        var study = try readConfigurationFile(config, as: StudyConfiguration.self)
        if let out { study.out = out }
        return try Self.plan(study, configFile: config)
    }

    /// Plans `study` (read from `configFile`, named in errors) into its folder `out`: takes
    /// the folder's lock and writes the plan. A relative data directory is made absolute, as
    /// a job started elsewhere would read another place.
    static func plan(_ study: StudyConfiguration, configFile: String) throws -> (StudyFolder, StudyLock) {
        var study = study
        if let directory = study.base.dataset.directory, !directory.hasPrefix("/") {
            study.base.dataset.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        }
        guard let path = study.out else {
            throw ConfigurationFileError(file: configFile, message: "out is missing: give the study folder as out or with --out")
        }
        let manifest: StudyManifest
        do {
            manifest = try StudyManifest(planning: study)
        } catch let error as HyperparameterError {
            throw ConfigurationFileError(file: configFile, message: error.message)
        }
        let folder = StudyFolder(path: path, manifest: manifest)
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        let lock = try StudyLock(folder: folder.url)
        try folder.writePlan()
        return (folder, lock)
    }

    /// Runs every run that needs work; exits 1 when one failed, 128 + the signal when stopped.
    func runStudy(_ folder: StudyFolder) throws {
        let manifest = folder.manifest
        let jobs = scheduling.jobCount
        printLine("study \(folder.url.path): \(manifest.runs.count) runs (\(manifest.singleTaskRuns.count) ST, " +
              "\(manifest.multiTaskRuns.count) MT), \(jobs) at a time")
        let start = Date()
        let summary = StudyRunner(folder: folder, executable: currentExecutablePath(), jobs: jobs, quiet: scheduling.quiet).run()
        printLine("study \(folder.url.path): \(summary)" +
              String(format: " in %.1f s; %@", Date().timeIntervalSince(start), folder.manifestURL.path))
        if StopSignal.received != 0 { throw ExitCode(128 + StopSignal.received) }
        if summary.failed > 0 { throw ExitCode(1) }
    }

    /// Writes jobs.txt (and jobs.slurm) and prints the path to hand to the scheduler.
    func emit(_ folder: StudyFolder, format: JobListFormat) throws {
        let list = StudyJobList(folder: folder, executable: currentExecutablePath())
        try Self.emit(list, into: folder.url, runCount: folder.manifest.runs.count, format: format)
    }

    /// Writes `list` as `directory`/jobs.txt (and jobs.slurm for Slurm), prints the path to
    /// hand to the scheduler, and exits 1 when runs were left out for a foreign record.
    static func emit(_ list: StudyJobList, into directory: URL, runCount: Int, format: JobListFormat) throws {
        for line in list.foreign { FileHandle.standardError.write(Data("tasktrace: \(line)\n".utf8)) }
        let jobsFile = directory.appendingPathComponent("jobs.txt").path, slurmFile = directory.appendingPathComponent("jobs.slurm").path
        try reportingErrors {
            try list.text.write(toFile: jobsFile, atomically: true, encoding: .utf8)
            if FileManager.default.fileExists(atPath: slurmFile) { try FileManager.default.removeItem(atPath: slurmFile) }
        }
        let note = "\(list.lines.count) of \(runCount) runs to do (\(list.settled) complete or diverged)"
        switch format {
        case .parallel:
            FileHandle.standardError.write(Data("\(note); run them with: parallel < \(jobsFile)\n".utf8))
            printLine(jobsFile)
        case .slurm where list.lines.isEmpty:
            FileHandle.standardError.write(Data("\(note): no job array to write\n".utf8))
        case .slurm:
            let logs = directory.appendingPathComponent("logs").path
            try reportingErrors {
                try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
                try list.slurmScript(jobsFile: jobsFile, logDirectory: logs).write(toFile: slurmFile, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: slurmFile)
            }
            FileHandle.standardError.write(Data("\(note); submit them with: sbatch \(slurmFile)\n".utf8))
            printLine(slurmFile)
        }
        if !list.foreign.isEmpty { throw ExitCode(1) }
    }
}
