/// One multi-task variant of a study (`[[mt]]` in a study configuration): a name and the
/// scalarization weights. Every seed of the study trains it once.
///
/// Further ways of combining the task gradients (an MTO `method`, e.g. PCGrad) belong here as
/// new optional fields; until they exist, any field but `name` and `weights` is rejected.
public struct StudyVariant: Codable, Sendable, Equatable {
    /// Names the variant's runs (`mt-<name>-seed<seed>.h5`): letters, digits, `-`, `_`, `.`.
    public var name: String
    /// Scalarization weights, one per task of the dataset; nil: equal weights summing to 1.
    public var weights: [Double]?

    public init(name: String, weights: [Double]? = nil) {
        self.name = name
        self.weights = weights
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, weights
    }

    /// Decodes strictly: unknown fields are errors naming the field.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "an MT variant")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let name = try c.decodeIfPresent(String.self, forKey: .name) else {
            throw HyperparameterError(field: "name", message: "name is required (it names the variant's runs)")
        }
        self.init(name: name, weights: try c.decodeIfPresent([Double].self, forKey: .weights))
    }

    /// Checks the name and the weights for a dataset of `taskNames`; errors name the field
    /// (`name`, `weights`) without the variant's place in the study.
    public func validate(taskNames: [String]) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        if name.isEmpty || name.hasPrefix(".") || !name.allSatisfy(allowed.contains) {
            throw HyperparameterError(field: "name", message: "name must be letters, digits, '-', '_' or '.', not starting with '.' (got '\(name)')")
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
