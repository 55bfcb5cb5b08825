/// The aggregators by the names `--method` and configurations use.
public enum AggregatorChoice {
    /// Every method name, scalarization first.
    public static let allNames = ["scalarization"]

    /// A fresh aggregator named `name` for `taskCount` tasks; `weights` are the scalarization
    /// weights (equal when nil).
    public static func make(_ name: String, taskCount: Int, weights: [Double]? = nil) throws -> any Aggregator {
        let weights = weights ?? [Double](repeating: 1 / Double(taskCount), count: taskCount)
        guard weights.count == taskCount, weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.contains(where: { $0 > 0 }) else {
            throw HyperparameterError(field: "weights", message: "weights must be \(taskCount) finite, non-negative values, not all zero (got \(weights))")
        }
        switch name {
        case "scalarization": return LinearScalarization(weights: weights)
        default:
            throw HyperparameterError(field: "method", message: "method must be one of \(allNames.joined(separator: ", ")) (got \(name))")
        }
    }
}
