import Foundation

/// A population-based training (PBT) search of scalarization weights (a configuration file,
/// JSON or TOML; see `tasktrace pbt --help`).
///
/// PBT (Jaderberg et al. 2017, "Population based training of neural networks") trains
/// `population` members side by side; every `interval` steps the `replace` worst members (by
/// validation fitness) restart from a copy of one of the `replace` best and explore new
/// weights. Royer, Blankevoort and Ehteshami Bejnordi (NeurIPS 2023, "Scalarization for
/// multi-task and multi-domain learning at scale") use it to search scalarization weights
/// when there are many tasks: its cost is `population` runs whatever the number of tasks.
///
/// Decoding is strict like `StudyConfiguration`'s: unknown fields, wrong types and missing
/// required fields are `HyperparameterError`s naming the field's path (`explore`,
/// `base.optimizer.momentum`).
public struct PBTConfiguration: Codable, Sendable, Equatable {
    /// How a replaced member's new weights are drawn.
    public enum Explore: String, Codable, Sendable, CaseIterable {
        /// The parent's weights, each multiplied by 0.8 or 1.2 (even odds), renormalised to sum 1.
        case perturb
        /// A fresh Dirichlet(1) sample: a uniform point of the probability simplex.
        case resample
    }

    /// What ranks the members at a synchronisation.
    public enum Fitness: String, Codable, Sendable, CaseIterable {
        /// The mean over tasks of the validation metric (accuracy, or R^2 for regression).
        case metric
        /// Minus the mean over tasks of the validation loss.
        case loss

        /// The fitness of per-task validation `metrics` and `losses` (T each): the mean
        /// metric, or minus the mean loss. Higher is better.
        public func value(metrics: [Double], losses: [Double]) -> Double {
            switch self {
            case .metric: metrics.reduce(0, +) / Double(metrics.count)
            case .loss: -losses.reduce(0, +) / Double(losses.count)
            }
        }

        /// The fitness of one validation evaluation.
        public func value(of validation: TaskEvaluation) -> Double {
            value(metrics: validation.metrics, losses: validation.losses)
        }
    }

    /// Seed of member 0 (member i trains with seed `seed + i`) and of the PBT's own random
    /// stream (initial weights, parents, explore).
    public var seed: UInt64
    /// The output folder, relative to the working directory (`--out` overrides it).
    public var out: String?
    /// Number of members N (at least 2).
    public var population: Int
    /// Steps between synchronisations E (at least 1, fewer than the run's steps).
    public var interval: Int
    /// Number of members Q replaced at each synchronisation, 1 ... N/2 (nil: max(1, N/4)).
    public var replace: Int?
    /// How replaced members draw new weights (default perturb).
    public var explore: Explore
    /// What ranks the members (default metric).
    public var fitness: Fitness
    /// What every member shares: a run configuration without `task`, `seed` or `weights`,
    /// with method scalarization.
    public var base: RunConfiguration

    public init(seed: UInt64 = 0, out: String? = nil, population: Int = 8, interval: Int, replace: Int? = nil,
                explore: Explore = .perturb, fitness: Fitness = .metric, base: RunConfiguration) {
        self.seed = seed
        self.out = out
        self.population = population
        self.interval = interval
        self.replace = replace
        self.explore = explore
        self.fitness = fitness
        self.base = base
    }

    /// Q: `replace`, or max(1, N/4) when absent.
    public var resolvedReplace: Int { replace ?? max(1, population / 4) }

    /// The configuration of member `index`: the base with seed `seed + index` and `weights`.
    public func memberConfiguration(_ index: Int, weights: [Double]) -> RunConfiguration {
        var configuration = base
        configuration.seed = seed &+ UInt64(index)
        configuration.weights = weights
        return configuration
    }

    /// Checks every field, naming the field at fault (population, interval, replace, and the
    /// base as a run configuration whose method is scalarization).
    public func validate() throws {
        if population < 2 {
            throw HyperparameterError(field: "population", message: "population must be at least 2 (got \(population))")
        }
        if interval < 1 {
            throw HyperparameterError(field: "interval", message: "interval must be at least 1 step (got \(interval))")
        }
        if let replace, !(1...max(1, population / 2)).contains(replace) {
            throw HyperparameterError(field: "replace", message: "replace must be between 1 and population / 2 = \(population / 2) (got \(replace))")
        }
        do {
            try base.validate()
        } catch let error as HyperparameterError {
            throw error.nested(under: "base")
        }
        if base.method != "scalarization" {
            throw HyperparameterError(field: "base.method", message: "base.method must be scalarization: PBT searches scalarization weights (got \(base.method))")
        }
        if base.task != nil {
            throw HyperparameterError(field: "base.task", message: "base.task: PBT trains all tasks together")
        }
        if let steps = base.steps, interval >= steps {
            throw HyperparameterError(field: "interval", message: "interval \(interval) leaves no synchronisation in a run of \(steps) steps")
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seed, out, population, interval, replace, explore, fitness, base
    }

    /// The fields of `base` that PBT sets per member.
    static let fieldsSetPerMember: [(key: RunConfiguration.CodingKeys, reason: String)] = [
        (.task, "PBT trains all tasks together"),
        (.seed, "member i trains with seed = seed + i (the top-level seed)"),
        (.weights, "PBT chooses every member's weights"),
    ]

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the PBT configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            let seed = try c.decodeSeedIfPresent(forKey: .seed, field: "seed") ?? 0
            let out = try c.decodeIfPresent(String.self, forKey: .out)
            let population = try c.decodeIfPresent(Int.self, forKey: .population) ?? 8
            guard let interval = try c.decodeIfPresent(Int.self, forKey: .interval) else {
                throw HyperparameterError(field: "interval", message: "interval is required (steps between synchronisations)")
            }
            let replace = try c.decodeIfPresent(Int.self, forKey: .replace)
            func choice<T: RawRepresentable & CaseIterable>(_ key: CodingKeys, _: T.Type) throws -> T? where T.RawValue == String {
                guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
                guard let value = T(rawValue: text) else {
                    let names = T.allCases.map(\.rawValue).joined(separator: " or ")
                    throw HyperparameterError(field: key.stringValue, message: "\(key.stringValue) must be \(names) (got \(text))")
                }
                return value
            }
            let explore = try choice(.explore, Explore.self) ?? .perturb
            let fitness = try choice(.fitness, Fitness.self) ?? .metric
            guard c.contains(.base) else {
                throw HyperparameterError(field: "base", message: "base is required (the run configuration every member shares, with at least a dataset)")
            }
            let base: RunConfiguration
            do {
                let given = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .base)
                for (key, reason) in Self.fieldsSetPerMember where given.contains(AnyCodingKey(stringValue: key.stringValue)) {
                    throw HyperparameterError(field: key.stringValue, message: "\(key.stringValue) is set per member: \(reason)")
                }
                base = try c.decode(RunConfiguration.self, forKey: .base)
            } catch let error as HyperparameterError {
                throw error.nested(under: "base")
            }
            self.init(seed: seed, out: out, population: population, interval: interval, replace: replace,
                      explore: explore, fitness: fitness, base: base)
        } catch let error as DecodingError {
            throw HyperparameterError(decoding: error)
        }
    }

    /// Encodes every field (`replace` as given) and the base without the fields PBT sets per member.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encodeIfPresent(out, forKey: .out)
        try c.encode(population, forKey: .population)
        try c.encode(interval, forKey: .interval)
        try c.encodeIfPresent(replace, forKey: .replace)
        try c.encode(explore, forKey: .explore)
        try c.encode(fitness, forKey: .fitness)
        var base = try JSONValue(encoding: base)
        for (key, _) in Self.fieldsSetPerMember { base = base.removing(key.stringValue) }
        try c.encode(base, forKey: .base)
    }
}
