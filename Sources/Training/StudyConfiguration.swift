import Foundation

/// A study: a base run configuration trained as a single-task (ST) run per task of the
/// dataset and as each multi-task (MT) variant, once per seed (a study configuration file,
/// JSON or TOML; see `tasktrace study --help`).
///
/// Decoding is strict like `RunConfiguration`'s: unknown fields, wrong types and missing
/// required fields are `HyperparameterError`s naming the field's path (`seeds[1]`,
/// `base.optimizer.momentum`, `mt[0].weights`).
public struct StudyConfiguration: Codable, Sendable, Equatable {
    /// One ST run per task and one run per MT variant for each of these seeds.
    public var seeds: [UInt64]
    /// The study folder, relative to the working directory (the command's `--out` overrides it).
    public var out: String?
    /// What every run shares. The study sets each run's `task`, `seed` and `weights`, so
    /// the base gives none of them.
    public var base: RunConfiguration
    /// The MT variants, at least one.
    public var mt: [StudyVariant]

    public init(seeds: [UInt64], out: String? = nil, base: RunConfiguration, mt: [StudyVariant]) {
        self.seeds = seeds
        self.out = out
        self.base = base
        self.mt = mt
    }

    /// The dataset's task names (ST runs train each alone), known without loading the data.
    public var taskNames: [String] { base.dataset.taskNames }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seeds, out, base, mt
    }

    /// The fields of `base` that the study sets per run.
    static let fieldsSetPerRun: [(key: RunConfiguration.CodingKeys, reason: String)] = [
        (.task, "the study trains each task alone (ST) and all tasks together (MT)"),
        (.seed, "the study sets each run's seed from seeds"),
        (.weights, "weights belong to an MT variant ([[mt]] weights)"),
    ]

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the study configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            guard let seedValues = try c.decodeIfPresent([JSONValue].self, forKey: .seeds) else {
                throw HyperparameterError(field: "seeds", message: "seeds is required (a list of run seeds, e.g. [1, 2, 3])")
            }
            // Decoded by hand: Foundation reports a negative UInt64 as invalid JSON, naming no field.
            let seeds = try seedValues.enumerated().map { index, value -> UInt64 in
                switch value {
                case .integer(let seed) where seed >= 0: return UInt64(seed)
                case .unsigned(let seed): return seed
                default:
                    throw HyperparameterError(field: "seeds[\(index)]", message: "seeds[\(index)] must be a non-negative integer")
                }
            }
            let out = try c.decodeIfPresent(String.self, forKey: .out)
            guard c.contains(.base) else {
                throw HyperparameterError(field: "base", message: "base is required (the run configuration every run shares, with at least a dataset)")
            }
            let basePath = (decoder.codingPath.map(\.stringValue) + ["base"]).joined(separator: ".")
            let base: RunConfiguration
            do {
                let given = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .base)
                for (key, reason) in Self.fieldsSetPerRun where given.contains(AnyCodingKey(stringValue: key.stringValue)) {
                    throw HyperparameterError(field: key.stringValue, message: "\(key.stringValue) is set per run: \(reason)")
                }
                base = try c.decode(RunConfiguration.self, forKey: .base)
            } catch let error as HyperparameterError {
                throw error.nested(under: basePath)
            }
            guard c.contains(.mt) else {
                throw HyperparameterError(field: "mt", message: "mt is required (one or more MT variants, [[mt]] with a name)")
            }
            var list = try c.nestedUnkeyedContainer(forKey: .mt)
            var mt: [StudyVariant] = []
            while !list.isAtEnd {
                let index = list.currentIndex
                do {
                    mt.append(try list.decode(StudyVariant.self))
                } catch let error as HyperparameterError {
                    throw error.nested(under: "mt[\(index)]")
                }
            }
            self.init(seeds: seeds, out: out, base: base, mt: mt)
        } catch let error as DecodingError {
            throw HyperparameterError(decoding: error)
        }
    }

    /// The `seeds`, `out` and `base` of a configuration that plans studies of its own kind (a
    /// comparison, a sweep), decoded and checked as a study's are, so that they fail with the
    /// same messages; `besides` are that configuration's own fields, left to it.
    init<Keys: CodingKey>(sharedFieldsOf decoder: any Decoder, besides: [Keys]) throws {
        var value = try JSONValue(from: decoder)
        for key in besides { value = value.removing(key.stringValue) }
        guard case .object(var fields) = value else {
            throw HyperparameterError(field: "", message: "the configuration must be an object (a table)")
        }
        fields["mt"] = .array([.object(["name": .string("planned")])])
        let study = try JSONValue.object(fields).decode(StudyConfiguration.self)
        self.init(seeds: study.seeds, out: study.out, base: study.base, mt: [])
    }

    /// Encodes the base without the fields the study sets per run (a base `seed` of 0, the
    /// default, would otherwise be written and then refused).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seeds, forKey: .seeds)
        try c.encodeIfPresent(out, forKey: .out)
        var base = try JSONValue(encoding: base)
        for (key, _) in Self.fieldsSetPerRun { base = base.removing(key.stringValue) }
        try c.encode(base, forKey: .base)
        try c.encode(mt, forKey: .mt)
    }

    /// Checks the whole study, naming the field at fault: seeds (at least one, no repeats),
    /// the base as a run configuration, the variants (at least one, unique valid names,
    /// weights per task).
    public func validate() throws {
        if seeds.isEmpty {
            throw HyperparameterError(field: "seeds", message: "seeds must list at least one seed")
        }
        if let repeated = seeds.first(where: { seed in seeds.filter { $0 == seed }.count > 1 }) {
            throw HyperparameterError(field: "seeds", message: "seeds lists \(repeated) more than once")
        }
        do {
            try base.validate()
        } catch let error as HyperparameterError {
            throw error.nested(under: "base")
        }
        if mt.isEmpty {
            throw HyperparameterError(field: "mt", message: "mt must list at least one MT variant ([[mt]] with a name)")
        }
        for (index, variant) in mt.enumerated() {
            do {
                try variant.validate(taskNames: taskNames)
            } catch let error as HyperparameterError {
                throw error.nested(under: "mt[\(index)]")
            }
            if mt[..<index].contains(where: { $0.name == variant.name }) {
                throw HyperparameterError(field: "mt[\(index)].name", message: "mt[\(index)].name '\(variant.name)' is used by an earlier variant")
            }
        }
    }
}

extension HyperparameterError {
    /// The error of a field inside `prefix` (e.g. `base`, `mt[1]`), its field and message
    /// starting with that prefix. Errors that already name the full path (decoding errors
    /// carry it) stay as they are.
    func nested(under prefix: String) -> HyperparameterError {
        if field == prefix || field.hasPrefix(prefix + ".") || field.hasPrefix(prefix + "[") { return self }
        return HyperparameterError(field: "\(prefix).\(field)", message: "\(prefix).\(message)")
    }
}
