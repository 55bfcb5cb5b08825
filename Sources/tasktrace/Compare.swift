import Analysis
import ArgumentParser
import Foundation
import Training

/// `tasktrace compare`: MTO methods against scalarization, each at its best learning rate,
/// over seeds; runs planned as one study per learning rate, then the comparison table.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare MTO methods with scalarization: methods x learning rates x seeds, then a table at each method's best learning rate.",
        discussion: """
        A fair comparison tunes every method (Xin et al. 2022): each method trains
        at every learning rate with every seed; each run is early-stopped at its
        lowest mean validation loss and reported on the test split; each method
        keeps the learning rate whose runs had the lowest mean selected validation
        loss (never one at which a seed diverged). Single-task runs at the same learning rates, tuned the same way, are
        the reference of Delta_m, the mean relative change of the per-task test
        score against ST in percent (accuracy; minus the test loss for regression
        tasks), with a 95% Student-t interval over seeds. The tuned scalarization is
        the best of the scalarization variants (equal weights and any
        scalarizationWeights) on validation; every other variant's Delta_m is
        compared with it paired by seed: better or worse when the interval of the
        difference excludes 0.

        COMPARE.toml (or .json; strict: unknown fields, wrong types and out-of-range
        values name the field, exit 2):
          seeds = [1, 2, 3]
          out = "runs/compare"      the folder (--out overrides it)
          learningRates = [1e-3, 3e-4]
          methods = ["scalarization", "pcgrad", "mgda"]
                                    default: scalarization (equal weights),
                                    pcgrad, mgda, cagrad, imtlg, nashmtl
          scalarizationWeights = [[0.7, 0.3], [0.3, 0.7]]
                                    optional: more weightings to tune over
          [[matched]]               optional: scalarization with another
          name = "wide"             trunk (variant matched-wide), the
          widths = [384, 384]       compute-matched alternative: MTO
                                    methods pay for T backward passes
          [base]                    a run configuration as for `record
          epochs = 3                --config`, without task, seed, weights
          evalEvery = 50            or method; its learning rate is
          dataset = { name = "multifashion" }
                                    replaced by each of learningRates, and
                                    every evaluation also measures the test
                                    split

        Files: <out>/lr-<rate>/ is an ordinary study (see `tasktrace study --help`:
        records, study.json, configs, logs), so `tasktrace report` and `gap` work on
        each; the table goes to standard output and to <out>/compare.csv,
        compare.json and compare.md. Running the command again skips complete
        records and resumes stopped ones. Per variant the table also gives steps per
        second and wall time (every method here computes the per-task gradients,
        which TaskTrace records for all of them) and how far the effective task
        weights (/train/weight) drifted from equal weights: the mean total-variation
        distance of the weight shares from 1/T over all steps and over the last
        tenth, and the mean sum of the weights (MGDA and PCGrad rescale the step).

        --emit-jobs parallel|slurm writes the runs of all learning rates as one job
        list (<out>/jobs.txt, and jobs.slurm) instead of running them; after the
        jobs ran, `tasktrace compare --config COMPARE.toml` finds the records
        complete and prints the table.

        Examples:
          tasktrace compare --config studies/multifashion-compare.toml
          tasktrace compare --config compare.toml --out runs/c2 --jobs 2
        """)

    @Option(help: ArgumentHelp("The comparison configuration (TOML or JSON).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("The comparison folder (overrides the configuration's out).", valueName: "dir"))
    var out: String?

    @OptionGroup var scheduling: StudyScheduling

    func run() throws {
        StopSignal.install()
        let (folder, planned) = try reportingErrors { try plan() }
        let studies = planned.map(\.folder)
        try withExtendedLifetime(planned.map(\.lock)) {
            if let emitJobs = scheduling.emitJobs {
                let list = StudyJobList(combining: studies.map { StudyJobList(folder: $0, executable: currentExecutablePath()) })
                try Study.emit(list, into: folder, runCount: studies.reduce(0) { $0 + $1.manifest.runs.count }, format: emitJobs)
                return
            }
            let jobs = scheduling.jobCount
            let total = studies.reduce(0) { $0 + $1.manifest.runs.count }
            printLine("compare \(folder.path): \(studies.count) learning rates, \(total) runs, \(jobs) at a time")
            let start = Date()
            var failed = 0
            for study in studies {
                let summary = StudyRunner(folder: study, executable: currentExecutablePath(), jobs: jobs, quiet: scheduling.quiet).run()
                failed += summary.failed
                printLine("learning rate \(study.manifest.study.base.optimizer.learningRate): \(summary)")
                if StopSignal.received != 0 { throw ExitCode(128 + StopSignal.received) }
            }
            printLine(String(format: "compare: runs settled in %.1f s", Date().timeIntervalSince(start)))
            let comparison = try reportingErrors { try MethodComparison(runs: Self.comparedRuns(studies)) }
            try reportingErrors { try Self.write(comparison, into: folder) }
            if failed > 0 { throw fail("\(failed) runs failed (see the lines above); the table leaves them out", code: 1) }
        }
    }

    /// Reads the configuration and plans one study per learning rate, each locked.
    func plan() throws -> (URL, [(folder: StudyFolder, lock: StudyLock)]) {
        var configuration = try readConfigurationFile(config, as: CompareConfiguration.self)
        if let out { configuration.out = out }
        guard let path = configuration.out else {
            throw ConfigurationFileError(file: config, message: "out is missing: give the comparison folder as out or with --out")
        }
        let studies: [(learningRate: Double, study: StudyConfiguration)]
        do {
            studies = try configuration.studies()
        } catch let error as HyperparameterError {
            throw ConfigurationFileError(file: config, message: error.message)
        }
        let folder = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        return (folder, try studies.map { try Study.plan($0.study, configFile: config) }.map { (folder: $0.0, lock: $0.1) })
    }

    /// The comparison's runs: every record of every learning rate's study that exists.
    static func comparedRuns(_ studies: [StudyFolder]) -> [ComparedRun] {
        studies.flatMap { study -> [ComparedRun] in
            let rate = study.manifest.study.base.optimizer.learningRate
            return study.manifest.runs.compactMap { run -> ComparedRun? in
                let file = study.path(run.file)
                // Diverged runs count: their learning rate is then not chosen for their variant.
                guard [.complete, .diverged].contains(study.state(of: run)) else { return nil }
                let seed = Int64(bitPattern: run.seed)
                if run.mode == .st { return ComparedRun(variant: run.task!, singleTask: run.task, learningRate: rate, seed: seed, file: file) }
                let variant = run.variant!
                let role: ComparedRun.Role = variant.hasPrefix("matched-") ? .computeMatched
                    : variant.hasPrefix("scalarization-") ? .scalarization : .method
                return ComparedRun(variant: variant, role: role, learningRate: rate, seed: seed, file: file)
            }
        }
    }

    /// Prints the table and writes compare.csv, compare.json and compare.md into `folder`.
    static func write(_ comparison: MethodComparison, into folder: URL) throws {
        let table = comparison.table
        print()
        print(table.aligned)
        if let tuned = comparison.tunedScalarization { print("tuned scalarization: \(tuned)") }
        try table.csv.write(to: folder.appendingPathComponent("compare.csv"), atomically: true, encoding: .utf8)
        try (table.markdown + "\n").write(to: folder.appendingPathComponent("compare.md"), atomically: true, encoding: .utf8)
        let json = try JSONSerialization.data(withJSONObject: ["title": table.title, "rows": table.jsonObject] as [String: Any],
                                              options: [.prettyPrinted, .sortedKeys])
        try json.write(to: folder.appendingPathComponent("compare.json"))
        printLine("tables: \(folder.appendingPathComponent("compare.csv").path), compare.json, compare.md")
    }
}
