/// One multi-task variant of a study (`[[mt]]` in a study configuration): a name, the
/// scalarization weights, and the method that combines the task gradients (scalarization by
/// default, or an MTO method such as `pcgrad`). Every seed of the study trains it once.
public struct StudyVariant: Codable, Sendable, Equatable {
    /// Names the variant's runs (`mt-<name>-seed<seed>.h5`): letters, digits, `-`, `_`, `.`.
    public var name: String
    /// Scalarization weights, one per task of the dataset; nil: equal weights summing to 1.
    public var weights: [Double]?
    /// How the task gradients combine (`AggregatorChoice.allNames`); nil: the base's method.
    public var method: String?
    /// Hidden widths of the MLP trunk for this variant (a wider or deeper trunk, e.g. the
    /// compute-matched alternative to an MTO method); nil: the base's widths.
    public var widths: [Int]?

    public init(name: String, weights: [Double]? = nil, method: String? = nil, widths: [Int]? = nil) {
        self.name = name
        self.weights = weights
        self.method = method
        self.widths = widths
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, weights, method, widths
    }

    /// Decodes strictly: unknown fields are errors naming the field.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "an MT variant")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let name = try c.decodeIfPresent(String.self, forKey: .name) else {
            throw HyperparameterError(field: "name", message: "name is required (it names the variant's runs)")
        }
        self.init(name: name, weights: try c.decodeIfPresent([Double].self, forKey: .weights),
                  method: try c.decodeIfPresent(String.self, forKey: .method),
                  widths: try c.decodeIfPresent([Int].self, forKey: .widths))
    }

    /// Checks the name and the weights for a dataset of `taskNames`; errors name the field
    /// (`name`, `weights`) without the variant's place in the study.
    public func validate(taskNames: [String]) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        if name.isEmpty || name.hasPrefix(".") || !name.allSatisfy(allowed.contains) {
            throw HyperparameterError(field: "name", message: "name must be letters, digits, '-', '_' or '.', not starting with '.' (got '\(name)')")
        }
        if let method { try AggregatorChoice.check(method) }
        if let widths, widths.isEmpty || widths.contains(where: { $0 < 1 }) {
            throw HyperparameterError(field: "widths", message: "widths must be one or more positive layer widths (got \(widths))")
        }
        guard let weights else { return }
        guard weights.count == taskNames.count else {
            throw HyperparameterError(field: "weights", message: "weights has \(weights.count) entries for the \(taskNames.count) tasks (\(taskNames.joined(separator: ", ")))")
        }
        if weights.contains(where: { !($0 >= 0 && $0.isFinite) }) || !(weights.reduce(0, +) > 0) {
            throw HyperparameterError(field: "weights", message: "weights must be finite, non-negative and not all zero (got \(weights))")
        }
    }

    /// The weights the variant's runs train with: given ones, or equal weights summing to 1
    /// (as a run configuration without weights resolves them).
    public func resolvedWeights(taskCount: Int) -> [Double] {
        weights ?? [Double](repeating: 1 / Double(taskCount), count: taskCount)
    }
}
