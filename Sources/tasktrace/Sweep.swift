import Analysis
import ArgumentParser
import Foundation
import Training

/// `tasktrace sweep`: scalarization weights on a simplex grid or from a Dirichlet
/// distribution, every seed, then the Pareto front and where MTO methods land against it.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sweep scalarization weights (simplex grid or Dirichlet samples) over seeds; Pareto front of the per-task validation metrics.",
        discussion: """
        A weighted sum of task losses traces a trade-off between the tasks as its
        weights move over the simplex. The sweep trains each weight vector with
        every seed, takes each run's per-task validation metric at the end of
        training, averages over seeds, and marks the Pareto front: the weightings
        that no other weighting beats in every task. MTO methods listed in methods
        train beside them and are placed against the front: dominated by a swept
        weighting or not, and their distance to the nearest front point (Euclidean,
        in metric units: accuracy or R^2).

        SWEEP.toml (or .json; strict: unknown fields, wrong types and out-of-range
        values name the field, exit 2):
          seeds = [1, 2]
          out = "runs/sweep"        the folder (--out overrides it)
          grid = 4                  weights in steps of 1/4 on the
                                    simplex (2 or 3 tasks), or:
          # samples = 20            weights drawn from a Dirichlet
          # concentration = 1.0     distribution (1: uniform on the
          # samplingSeed = 0        simplex), seeded
          methods = ["pcgrad", "mgda"]
                                    MTO methods to place against the
                                    front (optional)
          [base]                    a run configuration as for `record
          epochs = 3                --config`, without task, seed,
          dataset = { name = "multifashion" }
                                    weights or method

        Files: the folder is an ordinary study (see `tasktrace study --help`) whose
        MT variants are w-<weights> (grid), dirichlet-<i> (samples) and the methods;
        the table goes to standard output and sweep.csv; sweep.h5 (schema
        tasktrace-sweep/1) holds /scalarizations/{weights, val_metric,
        val_metric_per_seed, pareto} and /methods/{val_metric, val_metric_per_seed,
        dominated, distance_to_front}; notebooks-data/plot_sweep.py draws the front
        from it. Running again skips complete records. --emit-jobs writes the job
        list instead of running; run the command again afterwards for the front.

        Examples:
          tasktrace sweep --config studies/multifashion-sweep.toml
          tasktrace sweep --config sweep.toml --out runs/s2 --jobs 2
        """)

    @Option(help: ArgumentHelp("The sweep configuration (TOML or JSON).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("The sweep folder (overrides the configuration's out).", valueName: "dir"))
    var out: String?

    @OptionGroup var scheduling: StudyScheduling

    func run() throws {
        StopSignal.install()
        let (folder, lock) = try reportingErrors { () throws -> (StudyFolder, StudyLock) in
            var sweep = try readConfigurationFile(config, as: SweepConfiguration.self)
            if let out { sweep.out = out }
            do {
                return try Study.plan(try sweep.study(), configFile: config)
            } catch let error as HyperparameterError {
                throw ConfigurationFileError(file: config, message: error.message)
            }
        }
        try withExtendedLifetime(lock) {
            if let emitJobs = scheduling.emitJobs {
                try Study.emit(StudyJobList(folder: folder, executable: currentExecutablePath()), into: folder.url,
                               runCount: folder.manifest.runs.count, format: emitJobs)
                return
            }
            let jobs = scheduling.jobCount
            printLine("sweep \(folder.url.path): \(folder.manifest.runs.count) runs, \(jobs) at a time")
            let summary = StudyRunner(folder: folder, executable: currentExecutablePath(), jobs: jobs, quiet: scheduling.quiet).run()
            printLine("sweep: \(summary)")
            if StopSignal.received != 0 { throw ExitCode(128 + StopSignal.received) }
            let sweep = try reportingErrors { try WeightSweep(runs: Self.sweptRuns(folder)) }
            try reportingErrors {
                let table = sweep.table
                print()
                print(table.aligned)
                try table.csv.write(toFile: folder.path("sweep.csv"), atomically: true, encoding: .utf8)
                try SweepFile.write(sweep, study: folder.url.path, to: folder.path("sweep.h5"))
                printLine("front: \(folder.path("sweep.h5")), \(folder.path("sweep.csv"))")
            }
            if summary.failed > 0 { throw fail("\(summary.failed) runs failed (see the lines above); the front leaves them out", code: 1) }
        }
    }

    /// The sweep's complete MT runs: scalarizations with their weights, methods without.
    static func sweptRuns(_ folder: StudyFolder) -> [SweptRun] {
        folder.manifest.multiTaskRuns.compactMap { run in
            guard folder.state(of: run) == .complete else { return nil }
            let variant = folder.manifest.study.mt.first { $0.name == run.variant }
            let isScalarization = (variant?.method ?? "scalarization") == "scalarization"
            return SweptRun(variant: run.variant!, weights: isScalarization ? run.weights : nil,
                            seed: Int64(bitPattern: run.seed), file: folder.path(run.file))
        }
    }
}
