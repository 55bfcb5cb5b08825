import Foundation
import Records

/// One synchronisation of a population-based training run, as `pbt.h5` stores it.
public struct PBTSynchronisation: Sendable, Equatable {
    /// Optimizer steps every member had taken when the population synchronised.
    public var step: Int
    /// Each member's fitness before the exploit (N; minus infinity for a diverged member).
    public var fitness: [Double]
    /// The member each member continues from after the exploit: itself, or the member it
    /// copied (N).
    public var parents: [Int]
    /// Each member's weights after the explore step (N x T).
    public var weights: [[Double]]
    /// The record each member writes from here on (N): 0 for `member-<i>.h5`, k for
    /// `member-<i>-r<k>.h5`, its k-th restart after a divergence.
    public var records: [Int]

    public init(step: Int, fitness: [Double], parents: [Int], weights: [[Double]], records: [Int]) {
        self.step = step
        self.fitness = fitness
        self.parents = parents
        self.weights = weights
        self.records = records
    }
}

/// Writes the lineage of a population-based training run into `pbt.h5`, schema
/// "tasktrace-pbt/1" (N members, T tasks, S synchronisations):
///
/// ```
/// /       attrs: schema, tool_version, created, config (the PBT configuration, JSON),
///                population, interval, replace, explore, fitness, seed, tasks [T],
///                status: running | complete | interrupted
/// /sync/step [S] i64           steps taken at the synchronisation
/// /sync/fitness [S,N] f64      fitness before the exploit (-inf: diverged)
/// /sync/parent [S,N] i64       the member each member continues from (itself or a copied one)
/// /sync/weights [S,N,T] f64    weights after the explore step
/// /sync/record [S,N] i64       the record written from then on (0: member-<i>.h5, k: member-<i>-r<k>.h5)
/// /members/seed [N] i64        each member's run seed
/// /members/initial_weights [N,T] f64
/// ```
/// Every dataset carries `description` and `units`; rows are flushed at every
/// synchronisation, and the file is SWMR-readable while the run goes on.
public final class PBTLineageRecorder {
    /// The root attribute `schema`.
    public static let schemaName = "tasktrace-pbt/1"
    /// Path of the file.
    public let path: String
    let writer: RecordWriter
    let taskCount: Int
    let population: Int

    /// The layout of `pbt.h5` for `configuration` over the tasks `taskNames`.
    public static func layout(configuration: PBTConfiguration, taskNames: [String], toolVersion: String) throws -> RecordLayout {
        let n = configuration.population, t = taskNames.count
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var resolved = configuration
        resolved.replace = configuration.resolvedReplace
        let config = String(decoding: try encoder.encode(resolved), as: UTF8.self)
        let fitnessUnits = configuration.fitness == .metric
            ? "1 (accuracy as a fraction, or R^2)" : "loss units (nats, or squared target units), negated"
        let fitnessMeaning = configuration.fitness == .metric
            ? "mean over tasks of the validation metric" : "minus the mean over tasks of the validation loss"
        return RecordLayout(
            rootAttributes: [
                "schema": .string(schemaName), "tool_version": .string(toolVersion),
                "created": .string(ISO8601DateFormatter().string(from: Date())), "config": .string(config),
                "population": .int(Int64(n)), "interval": .int(Int64(configuration.interval)),
                "replace": .int(Int64(configuration.resolvedReplace)), "explore": .string(configuration.explore.rawValue),
                "fitness": .string(configuration.fitness.rawValue), "seed": .int(Int64(bitPattern: configuration.seed)),
                "tasks": .strings(taskNames),
            ],
            groupAttributes: ["/sync": ["description": .string("one row per synchronisation of the population")]],
            datasets: [
                .appendable("/sync/step", .int64, description: "optimizer steps every member had taken at the synchronisation",
                            units: "steps"),
                .appendable("/sync/fitness", .float64, row: [n],
                            description: "each member's fitness before the exploit: \(fitnessMeaning); -inf for a diverged member",
                            units: fitnessUnits),
                .appendable("/sync/parent", .int64, row: [n],
                            description: "the member each member continues from after the exploit: itself, or the member whose parameters and optimizer state it copied",
                            units: "member index"),
                .appendable("/sync/weights", .float64, row: [n, t],
                            description: "each member's scalarization weights after the explore step, tasks in /tasks order",
                            units: "1"),
                .appendable("/sync/record", .int64, row: [n],
                            description: "the record each member writes from the synchronisation on: 0 for member-<i>.h5, k for member-<i>-r<k>.h5 (its k-th restart after a divergence)",
                            units: "restart count"),
                .fixed("/members/seed", .int64, shape: [n], description: "each member's run seed (seed + member index)",
                       units: "1"),
                .fixed("/members/initial_weights", .float64, shape: [n, t],
                       description: "each member's scalarization weights at step 0: equal for member 0, Dirichlet(1) samples for the others",
                       units: "1"),
            ])
    }

    /// Creates `pbt.h5` at `path` with the members' seeds and initial weights (N x T).
    /// Refuses an existing file unless `overwrite`.
    public init(creating path: String, configuration: PBTConfiguration, taskNames: [String], initialWeights: [[Double]],
                overwrite: Bool, toolVersion: String) throws {
        precondition(initialWeights.count == configuration.population && initialWeights.allSatisfy { $0.count == taskNames.count },
                     "initial weights must be population x tasks")
        self.path = path
        taskCount = taskNames.count
        population = configuration.population
        writer = try RecordWriter(creating: path, layout: Self.layout(configuration: configuration, taskNames: taskNames,
                                                                      toolVersion: toolVersion), overwrite: overwrite)
        try writer.writeFixed("/members/seed", values: (0..<population).map { Int64(bitPattern: configuration.seed &+ UInt64($0)) })
        try writer.writeFixed("/members/initial_weights", values: initialWeights.flatMap { $0 })
        try writer.flush()
    }

    /// Appends one synchronisation and flushes, so that readers see it at once.
    public func record(_ synchronisation: PBTSynchronisation) throws {
        precondition(synchronisation.fitness.count == population && synchronisation.parents.count == population
                     && synchronisation.records.count == population
                     && synchronisation.weights.count == population && synchronisation.weights.allSatisfy { $0.count == taskCount },
                     "a synchronisation row must cover every member and task")
        try writer.append("/sync/step", integer: Int64(synchronisation.step))
        try writer.append("/sync/fitness", row: synchronisation.fitness)
        try writer.append("/sync/parent", row: synchronisation.parents.map { Int64($0) })
        try writer.append("/sync/weights", row: synchronisation.weights.flatMap { $0 })
        try writer.append("/sync/record", row: synchronisation.records.map { Int64($0) })
        try writer.flush()
    }

    /// Flushes and closes the file with its final status (complete or interrupted).
    public func finish(status: RunStatus) throws { try writer.finish(status: status.rawValue) }
}
