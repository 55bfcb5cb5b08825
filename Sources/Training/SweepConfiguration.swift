import Foundation
import Linalg

/// A sweep of scalarization weights (`tasktrace sweep --config`): the weights of a simplex
/// grid (2 or 3 tasks) or random Dirichlet samples (any number of tasks), each trained with
/// every seed, beside any MTO methods to be placed against the Pareto front of the weights.
///
/// It is planned as one study (`StudyConfiguration`): the ST runs of every task, one MT
/// variant per weight vector (`w-0.25-0.75` on a grid, `dirichlet-<i>` for samples, with the
/// sample's weights) and one per method (named by the method). Decoding is strict; errors
/// name the field.
public struct SweepConfiguration: Decodable, Sendable, Equatable {
    public var seeds: [UInt64]
    public var out: String?
    /// Grid weights are the multiples of `1 / grid` summing to 1 (2 or 3 tasks).
    public var grid: Int?
    /// Number of weight vectors drawn from the symmetric Dirichlet distribution.
    public var samples: Int?
    /// The Dirichlet concentration α (1: uniform on the simplex).
    public var concentration: Double
    /// Seed of the Dirichlet draws.
    public var samplingSeed: UInt64
    /// MTO methods trained beside the weights, to be placed against the front.
    public var methods: [String]
    /// What every run shares (no task, seed, weights or method).
    public var base: RunConfiguration

    public init(seeds: [UInt64], out: String? = nil, grid: Int? = nil, samples: Int? = nil, concentration: Double = 1,
                samplingSeed: UInt64 = 0, methods: [String] = [], base: RunConfiguration) {
        self.seeds = seeds
        self.out = out
        self.grid = grid
        self.samples = samples
        self.concentration = concentration
        self.samplingSeed = samplingSeed
        self.methods = methods
        self.base = base
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seeds, out, grid, samples, concentration, samplingSeed, methods, base
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the sweep configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            if c.contains(.base), try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .base).contains(AnyCodingKey(stringValue: "method")) {
                throw HyperparameterError(field: "base.method", message: "base.method: the sweep trains scalarizations; list MTO methods in methods")
            }
            let shared = try StudyConfiguration(sharedFieldsOf: decoder, besides: [.grid, .samples, .concentration, .samplingSeed, .methods] as [CodingKeys])
            self.init(seeds: shared.seeds, out: shared.out, grid: try c.decodeIfPresent(Int.self, forKey: .grid),
                      samples: try c.decodeIfPresent(Int.self, forKey: .samples),
                      concentration: try c.decodeIfPresent(Double.self, forKey: .concentration) ?? 1,
                      samplingSeed: try c.decodeSeedIfPresent(forKey: .samplingSeed, field: "samplingSeed") ?? 0,
                      methods: try c.decodeIfPresent([String].self, forKey: .methods) ?? [], base: shared.base)
        } catch let error as DecodingError {
            throw HyperparameterError(decoding: error)
        }
    }

    /// The weight vectors of the sweep, in order.
    public func weights() throws -> [[Double]] {
        let taskCount = base.dataset.taskNames.count
        switch (grid, samples) {
        case (let divisions?, nil):
            guard divisions >= 1 else { throw HyperparameterError(field: "grid", message: "grid must be at least 1 (got \(divisions))") }
            guard taskCount <= 3 else {
                throw HyperparameterError(field: "grid", message: "grid is for 2 or 3 tasks (the dataset has \(taskCount)); draw samples instead")
            }
            return simplexGrid(taskCount: taskCount, divisions: divisions)
        case (nil, let count?):
            guard count >= 1 else { throw HyperparameterError(field: "samples", message: "samples must be at least 1 (got \(count))") }
            guard concentration > 0 && concentration.isFinite else {
                throw HyperparameterError(field: "concentration", message: "concentration must be a positive number (got \(concentration))")
            }
            var generator = RandomGenerator(seed: samplingSeed, stream: 0xD1C7)
            return (0..<count).map { _ in generator.dirichlet(count: taskCount, concentration: concentration) }
        case (nil, nil):
            throw HyperparameterError(field: "grid", message: "give grid (a simplex grid, 2 or 3 tasks) or samples (Dirichlet draws)")
        case (_?, _?):
            throw HyperparameterError(field: "samples", message: "grid and samples exclude each other: give one")
        }
    }

    /// The study that trains the sweep (validated: errors name the field).
    public func study() throws -> StudyConfiguration {
        for (index, method) in methods.enumerated() { try AggregatorChoice.check(method, field: "methods[\(index)]") }
        let points = try weights()
        let weightVariants = points.enumerated().map { index, weights in
            StudyVariant(name: grid != nil ? "w-" + weights.map { String(format: "%g", $0) }.joined(separator: "-") : "dirichlet-\(index)",
                         weights: weights, method: "scalarization")
        }
        let study = StudyConfiguration(seeds: seeds, out: out, base: base,
                                       mt: weightVariants + methods.map { StudyVariant(name: $0, method: $0) })
        try study.validate()
        return study
    }
}
