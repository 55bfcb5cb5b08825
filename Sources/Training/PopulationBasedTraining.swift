import Datasets
import Foundation
import Linalg

/// Population-based training of scalarization weights (Jaderberg et al. 2017, "Population
/// based training of neural networks"; applied to multi-task scalarization weights by Royer,
/// Blankevoort and Ehteshami Bejnordi, NeurIPS 2023, "Scalarization for multi-task and
/// multi-domain learning at scale").
///
/// N members train side by side in this process on the same dataset, each a `Trainer` of the
/// base configuration with seed `seed + i` and scalarization weights of its own: member 0
/// starts with equal weights, the others with Dirichlet(1) samples drawn from the PBT's own
/// random stream. Every `interval` steps (at steps E, 2E, ... before the last step) the
/// population synchronises: each member's fitness comes from an evaluation on the
/// validation split at that step (recorded in its record), and `PBTExploit` replaces the Q
/// worst by copies of the Q best's parameters and optimizer state with explored weights.
/// A replaced member keeps its own data order, step count and random stream.
///
/// Records, in `folder`: each member's own "tasktrace/1" record `member-<i>.h5`, written on
/// the schedule `recordRun` uses (its `/train/weight` rows are the member's weight
/// schedule), the lineage `pbt.h5` ("tasktrace-pbt/1", `PBTLineageRecorder`) and `pbt.json`
/// (the configuration, with `replace` resolved).
///
/// A diverged member (a loss or gradient not finite): its record is closed as `diverged`,
/// it stops training, and at the next synchronisation its fitness is minus infinity, so it
/// ranks last, is never a parent and, being among the Q worst, is replaced: it continues
/// from the copied parameters in a new record `member-<i>-r<k>.h5` (k-th restart) whose
/// rows start at that step. A member that diverges after the last synchronisation stays
/// diverged. Runs are not resumable: a stopped run is started over.
public final class PopulationBasedTraining {
    /// The configuration (validated).
    public let configuration: PBTConfiguration
    /// The output folder.
    public let folder: URL
    /// The members, in index order.
    public internal(set) var members: [PBTMember]
    /// The PBT's own random stream (initial weights, parents, explore).
    public private(set) var generator: RandomGenerator
    /// Every synchronisation so far.
    public private(set) var synchronisations: [PBTSynchronisation] = []
    /// Steps every member takes.
    public let totalSteps: Int
    /// Steps taken by the population so far.
    public private(set) var step = 0
    /// The lineage record `pbt.h5`.
    let lineage: PBTLineageRecorder
    let overwrite: Bool
    let toolVersion: String

    /// File names in the folder.
    public static let lineageFileName = "pbt.h5"
    public static let configurationFileName = "pbt.json"

    /// Creates the members, their records, `pbt.h5` and `pbt.json` in `folder` (which must
    /// exist), and records every member's step-0 evaluation.
    /// - Throws: `HyperparameterError` naming the field at fault; `RecordError.fileExists`
    ///   when a record exists and `overwrite` is false.
    public init(configuration: PBTConfiguration, dataset: MultiTaskDataset, folder: URL, overwrite: Bool,
                toolVersion: String) throws {
        try configuration.validate()
        self.configuration = configuration
        self.folder = folder
        self.overwrite = overwrite
        self.toolVersion = toolVersion
        var generator = RandomGenerator(seed: configuration.seed, stream: 0x9B7)
        let taskCount = dataset.tasks.count
        let initialWeights = (0..<configuration.population).map { index in
            index == 0 ? [Double](repeating: 1 / Double(taskCount), count: taskCount)
                : generator.dirichlet(count: taskCount)
        }
        let trainers: [Trainer]
        do {
            trainers = try initialWeights.enumerated().map {
                try Trainer(configuration: configuration.memberConfiguration($0, weights: $1), dataset: dataset)
            }
        } catch let error as HyperparameterError {
            throw error.nested(under: "base")
        }
        totalSteps = trainers[0].totalSteps
        if configuration.interval >= totalSteps {
            throw HyperparameterError(field: "interval", message: "interval \(configuration.interval) leaves no synchronisation in a run of \(totalSteps) steps")
        }
        members = try trainers.enumerated().map { index, trainer in
            PBTMember(index: index, trainer: trainer,
                      recorder: try RunRecorder(creating: folder.appendingPathComponent(PBTMember.fileName(index: index, restarts: 0)).path,
                                                trainer: trainer, overwrite: overwrite, toolVersion: toolVersion),
                      restarts: 0, isDiverged: false)
        }
        lineage = try PBTLineageRecorder(creating: folder.appendingPathComponent(Self.lineageFileName).path,
                                         configuration: configuration, taskNames: trainers[0].taskNames,
                                         initialWeights: initialWeights, overwrite: overwrite, toolVersion: toolVersion)
        self.generator = generator
        var resolved = configuration
        resolved.replace = configuration.resolvedReplace
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(resolved) + Data("\n".utf8)).write(to: folder.appendingPathComponent(Self.configurationFileName))
        for member in members { try member.recorder.recordStart(of: member.trainer) }
    }

    /// Whether every member has taken all its steps.
    public var isFinished: Bool { step >= totalSteps }

    /// Names of the trained tasks, in head order.
    public var taskNames: [String] { members[0].trainer.taskNames }

    /// Whether step `step` (steps taken) is a synchronisation: a multiple of the interval
    /// before the last step.
    public func isSynchronisationStep(_ step: Int) -> Bool {
        step > 0 && step % configuration.interval == 0 && step < totalSteps
    }

    /// One step of every member that has not diverged (each recorded by the schedule of
    /// `recordRun`), then a synchronisation when the step count calls for one.
    /// - Returns: each member's step measurement (nil for a diverged member).
    @discardableResult
    public func advance() throws -> [StepMeasurement?] {
        let measurements = try stepMembers()
        if isSynchronisationStep(step) { try synchronise() }
        return measurements
    }

    /// One step of every member that has not diverged, without synchronising.
    @discardableResult
    func stepMembers() throws -> [StepMeasurement?] {
        precondition(!isFinished, "the population has taken all its steps")
        var measurements: [StepMeasurement?] = []
        for index in members.indices {
            guard !members[index].isDiverged else {
                measurements.append(nil)
                continue
            }
            let measurement = try members[index].recorder.recordStep(of: &members[index].trainer)
            if measurement.diverged { members[index].isDiverged = true }
            measurements.append(measurement)
        }
        step += 1
        return measurements
    }

    /// A member's fitness now: minus infinity for a diverged member; otherwise from its
    /// validation evaluation at this step (`fitness` metric: the mean metric over tasks;
    /// loss: minus the mean loss), recorded in its record unless already there. A NaN
    /// fitness counts as minus infinity.
    func fitness(ofMember index: Int) throws -> Double {
        let member = members[index]
        guard !member.isDiverged else { return -.infinity }
        if member.recorder.lastEvaluation?.step != member.trainer.step {
            try member.recorder.recordEvaluation(of: member.trainer)
        }
        let validation = member.recorder.lastEvaluation!.validation
        let value = configuration.fitness.value(of: validation)
        return value.isNaN ? -.infinity : value
    }

    /// Synchronises the population now: fitness, exploit, explore, a row in `pbt.h5`.
    @discardableResult
    func synchronise() throws -> PBTSynchronisation {
        let fitness = try members.indices.map { try self.fitness(ofMember: $0) }
        let decision = PBTExploit.decide(fitness: fitness, weights: members.map(\.trainer.weights),
                                         replace: configuration.resolvedReplace, explore: configuration.explore,
                                         generator: &generator)
        for index in decision.replaced {
            try replace(member: index, parent: decision.parents[index], weights: decision.weights[index])
        }
        let row = PBTSynchronisation(step: step, fitness: fitness, parents: decision.parents, weights: decision.weights,
                                     records: members.map(\.restarts))
        try lineage.record(row)
        synchronisations.append(row)
        return row
    }

    /// Restarts `member` from a copy of `parent`'s parameters and optimizer state with
    /// `weights`. A diverged member gets a fresh trainer (its step set to the population's)
    /// and a new record `member-<i>-r<k>.h5`, which starts with an evaluation at this step.
    func replace(member index: Int, parent: Int, weights: [Double]) throws {
        let parentTrainer = members[parent].trainer
        guard members[index].isDiverged else {
            try members[index].trainer.adoptParametersAndOptimizerState(of: parentTrainer)
            try members[index].trainer.replaceWeights(weights)
            return
        }
        let old = members[index].trainer
        var trainer = try Trainer(configuration: configuration.memberConfiguration(index, weights: weights), dataset: old.dataset)
        trainer.sampler = old.sampler
        trainer.generator = old.generator
        trainer.step = step
        try trainer.adoptParametersAndOptimizerState(of: parentTrainer)
        let restarts = members[index].restarts + 1
        let path = folder.appendingPathComponent(PBTMember.fileName(index: index, restarts: restarts)).path
        let recorder = try RunRecorder(creating: path, trainer: trainer, overwrite: overwrite, toolVersion: toolVersion)
        try recorder.recordEvaluation(of: trainer)
        try recorder.flush()
        members[index] = PBTMember(index: index, trainer: trainer, recorder: recorder, restarts: restarts, isDiverged: false)
    }

    /// Trains the population to the end, or until `stopRequested` (polled before every
    /// population step) returns true.
    /// - Parameter progress: called after every population step with the steps taken and
    ///   each task's minibatch loss averaged over the members that did not diverge.
    /// - Returns: `.complete`; `.interrupted` (every open member record checkpointed and
    ///   closed as interrupted, `pbt.h5` closed as interrupted); or `.diverged(step:)` when
    ///   every member diverged (`pbt.h5` closed as diverged).
    public func run(stopRequested: () -> Bool = { false }, progress: (Int, [Double]) -> Void = { _, _ in }) throws -> RunOutcome {
        while !isFinished {
            if stopRequested() {
                try interrupt()
                return .interrupted
            }
            let measurements = try advance().compactMap { $0 }.filter { !$0.diverged }
            if members.allSatisfy(\.isDiverged) {
                try lineage.finish(status: .diverged)
                return .diverged(step: step - 1)
            }
            if !measurements.isEmpty {
                let taskCount = measurements[0].losses.count
                progress(step, (0..<taskCount).map { t in measurements.reduce(0) { $0 + $1.losses[t] } / Double(measurements.count) })
            }
        }
        for member in members where !member.isDiverged { try member.recorder.finish(status: .complete) }
        try lineage.finish(status: .complete)
        return .complete
    }

    /// Writes a checkpoint into every open member record and closes it as interrupted, and
    /// closes `pbt.h5` as interrupted.
    func interrupt() throws {
        for member in members where !member.isDiverged { try member.recorder.recordInterruption(of: member.trainer) }
        try lineage.finish(status: .interrupted)
    }

    /// Each member's fitness at the end (from its last evaluation, minus infinity for a
    /// diverged member), and the winner: the member with the highest finite fitness.
    public var finalStanding: (fitness: [Double], winner: Int?) {
        let fitness = members.map { member -> Double in
            guard !member.isDiverged, let evaluation = member.recorder.lastEvaluation else { return -.infinity }
            let value = configuration.fitness.value(of: evaluation.validation)
            return value.isNaN ? -.infinity : value
        }
        let winner = PBTExploit.ranking(fitness).first { fitness[$0].isFinite }
        return (fitness, winner)
    }
}
