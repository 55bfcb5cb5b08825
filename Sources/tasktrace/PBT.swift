import ArgumentParser
import Foundation
import Training

/// `tasktrace pbt`: population-based training of scalarization weights, an equal-weight
/// reference run, optionally the best scalarization of a sweep, and the table comparing them.
struct PBT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbt",
        abstract: "Search scalarization weights by population-based training (PBT) and compare with equal weights.",
        discussion: """
        PBT (Jaderberg et al. 2017), as Royer et al. (NeurIPS 2023) use it for
        scalarization weights: N members train side by side, each with weights of
        its own (member 0 equal weights, the others Dirichlet(1) samples) and seed
        = seed + i. Every E steps they synchronise: each member's fitness is its
        validation result at that step; the Q worst each restart from a copy of
        the parameters and optimizer state of a member drawn from the Q best
        (keeping their own data order) with new weights. The cost is N runs,
        whatever the number of tasks; each member's weights form a schedule.

        PBT.toml (or .json; strict: unknown fields, wrong types and out-of-range
        values name the field, exit 2):
          seed = 1                 member i trains with seed + i (default 0)
          out = "runs/pbt"         the output folder (--out overrides it)
          population = 8           N members, at least 2 (default 8)
          interval = 100           E, steps between synchronisations (required)
          replace = 2              Q, members replaced per synchronisation,
                                   1 .. N/2 (default max(1, N/4))
          explore = "perturb"      perturb: each of the parent's weights times
                                   0.8 or 1.2, renormalised to sum 1;
                                   resample: a fresh Dirichlet(1) sample
          fitness = "metric"       metric: mean validation metric over tasks
                                   (accuracy, R^2 for regression); loss: minus
                                   the mean validation loss
          [base]                   a run configuration as for `record --config`
          dataset = { name = "synthetic", taskCount = 6 }
          steps = 2000             (no task, seed or weights; method, when
          evalEvery = 100           given, must be scalarization)

        Files in the folder:
          member-<i>.h5     each member's record (tasktrace/1); /train/weight is
                            its weight schedule; an evaluation row at every
                            synchronisation step
          member-<i>-r<k>.h5  a member's record after its k-th restart: a
                            diverged member (closed as diverged) ranks last at
                            the next synchronisation and restarts from a copy
          pbt.h5            the lineage (schema tasktrace-pbt/1): /sync/step [S],
                            /sync/fitness [S,N], /sync/parent [S,N] (the member
                            each continues from: itself or the copied one),
                            /sync/weights [S,N,T] (after explore), /sync/record
                            [S,N], /members/seed [N], /members/initial_weights
                            [N,T]; root attributes schema, config, population,
                            interval, replace, explore, fitness, tasks, status
          pbt.json          the PBT configuration
          equal.h5          an equal-weight run of the same length (seed = seed)
          pbt-table.csv     the final table

        The final table compares the PBT winner (the member with the best final
        fitness, with its final weights), equal weights and, with --sweep DIR (a
        study folder of `tasktrace study` or `tasktrace sweep`), the sweep's best
        scalarization: the MT variant with the best final fitness, mean over
        seeds. Columns: weights, validation metric per task (and test metric when
        the records have it), fitness, and compute cost in optimizer steps (N x
        steps for PBT, steps for equal, every MT run of the sweep for the sweep).

        A progress line (steps, mean loss per task, ETA) goes to standard error
        when it is a terminal. SIGINT/SIGTERM stop the run: every open record gets
        a checkpoint and status interrupted, pbt.h5 status interrupted, exit 130
        or 143. A PBT run does not resume: run it again with --force, which starts
        over (an existing non-empty folder is refused without --force). Bad input:
        one line, exit 2; every member diverged: exit 3.

        Example:
          tasktrace pbt --config studies/pbt-synthetic-6.toml --out runs/pbt6
        """)

    @Option(help: ArgumentHelp("The PBT configuration (TOML or JSON).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("The output folder (overrides the configuration's out).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("A study folder (study.json and records) whose best scalarization joins the table.",
                               valueName: "dir"))
    var sweep: String?

    @Flag(help: "Start over in an existing folder, replacing its PBT files.")
    var force = false

    @Flag(help: "No progress line.")
    var quiet = false

    /// Names of the files a PBT run writes, for --force to clear.
    static func isOutput(_ name: String) -> Bool {
        ["pbt.h5", "pbt.json", "pbt-table.csv", "equal.h5"].contains(name)
            || (name.hasPrefix("member-") && name.hasSuffix(".h5"))
    }

    func run() throws {
        StopSignal.install()
        let (configuration, folder) = try reportingErrors { try prepare() }
        let dataset = try reportingErrors { try configuration.base.dataset.make() }
        let population = try reportingErrors {
            try PopulationBasedTraining(configuration: configuration, dataset: dataset, folder: folder, overwrite: force,
                                        toolVersion: TaskTrace.version)
        }
        let steps = population.totalSteps, members = configuration.population
        print("PBT on \(dataset.name) (tasks \(population.taskNames.joined(separator: ", "))): \(members) members, " +
              "\(steps) steps, synchronising every \(configuration.interval), replacing \(configuration.resolvedReplace); " +
              "then an equal-weight run; in \(folder.path)")
        var progress = ProgressLine(total: (members + 1) * steps, taskNames: population.taskNames, quiet: quiet)
        let outcome = try reportingErrors {
            try population.run(stopRequested: { StopSignal.received != 0 },
                               progress: { progress.update(step: $0 * members, losses: $1) })
        }
        switch outcome {
        case .complete: break
        case .interrupted:
            progress.finish()
            throw stopped("PBT interrupted at step \(population.step)")
        case .diverged(let step):
            progress.finish()
            throw fail("every member diverged by step \(step); records closed as diverged in \(folder.path)", code: 3)
        }
        let equalPath = folder.appendingPathComponent("equal.h5").path
        let equalOutcome = try reportingErrors { () -> RunOutcome in
            var base = configuration.base
            base.seed = configuration.seed
            var trainer = try Trainer(configuration: base, dataset: dataset)
            let recorder = try RunRecorder(creating: equalPath, trainer: trainer, overwrite: force, toolVersion: TaskTrace.version)
            return try recordRun(trainer: &trainer, recorder: recorder, stopRequested: { StopSignal.received != 0 },
                                 progress: { step, losses in progress.update(step: members * steps + step, losses: losses) })
        }
        progress.finish()
        if equalOutcome == .interrupted { throw stopped("equal-weight run interrupted (PBT complete)") }
        let table = try reportingErrors { try finalTable(population, equalPath: equalPath, folder: folder) }
        print(table.text, terminator: "")
        try reportingErrors {
            try table.csv.write(to: folder.appendingPathComponent("pbt-table.csv"), atomically: true, encoding: .utf8)
        }
        print("complete: \(folder.path) (pbt.h5, member records, equal.h5, pbt-table.csv)")
    }

    /// Reads and checks the configuration, and readies the folder (refusing a non-empty
    /// one without --force, clearing the PBT files of an earlier run with it).
    func prepare() throws -> (PBTConfiguration, URL) {
        var configuration = try readConfigurationFile(config, as: PBTConfiguration.self)
        if let out { configuration.out = out }
        guard let path = configuration.out else {
            throw ConfigurationFileError(file: config, message: "out is missing: give the output folder as out or with --out")
        }
        do {
            try configuration.validate()
        } catch let error as HyperparameterError {
            throw ConfigurationFileError(file: config, message: error.message)
        }
        if let sweep { _ = try StudyManifest(reading: URL(fileURLWithPath: sweep)) }
        let folder = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        let manager = FileManager.default
        let existing = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        if !existing.isEmpty {
            guard force else { throw ValidationError("\(folder.path) exists and is not empty; pass --force to start over") }
            for name in existing where Self.isOutput(name) {
                try manager.removeItem(at: folder.appendingPathComponent(name))
            }
        }
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        return (configuration, folder)
    }

    /// Prints why the run stopped; returns the exit code 128 + the signal to throw.
    func stopped(_ what: String) -> ExitCode {
        let signal = StopSignal.received
        print("\(what) by signal \(signal); records checkpointed and closed as interrupted. A PBT run does not resume: run it again with --force.")
        return ExitCode(128 + signal)
    }

    /// The final table: PBT winner, equal weights and, with --sweep, the sweep's best.
    func finalTable(_ population: PopulationBasedTraining, equalPath: String, folder: URL) throws -> PBTTable {
        let kind = population.configuration.fitness
        let taskNames = population.taskNames, steps = population.totalSteps
        var rows: [PBTTable.Row] = []
        if let winner = population.finalStanding.winner {
            let member = population.members[winner]
            let result = try RecordFinalResult(record: folder.appendingPathComponent(member.fileName).path)
            rows.append(PBTTable.Row(label: "PBT winner", source: member.fileName, weights: member.trainer.weights,
                                     validationMetrics: result.validationMetrics, testMetrics: result.testMetrics,
                                     fitness: result.fitness(kind), cost: population.configuration.population * steps))
        }
        let equal = try RecordFinalResult(record: equalPath)
        rows.append(PBTTable.Row(label: equal.status == "complete" ? "equal weights" : "equal weights (\(equal.status))",
                                 source: "equal.h5", weights: [Double](repeating: 1 / Double(taskNames.count), count: taskNames.count),
                                 validationMetrics: equal.validationMetrics, testMetrics: equal.testMetrics,
                                 fitness: equal.fitness(kind), cost: steps))
        if let sweep {
            let best = try SweepBestScalarization(folder: URL(fileURLWithPath: sweep), taskNames: taskNames, fitness: kind) {
                FileHandle.standardError.write(Data("tasktrace: pbt: sweep run left out: \($0)\n".utf8))
            }
            rows.append(PBTTable.Row(label: "sweep best", source: "\(best.variant) (\(best.seedCount) seeds)", weights: best.weights,
                                     validationMetrics: best.validationMetrics, testMetrics: best.testMetrics,
                                     fitness: best.fitness, cost: best.cost))
        }
        let kinds = Set(population.members[0].trainer.model.heads.map(\.loss.metricName))
        return PBTTable(taskNames: taskNames, metricName: kinds.count == 1 ? kinds.first! : "metric", rows: rows,
                        fitnessNote: kind == .metric ? "mean validation metric" : "minus the mean validation loss")
    }
}
