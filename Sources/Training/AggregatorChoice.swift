/// The aggregators by the names `--method` and configurations use.
public enum AggregatorChoice {
    /// Every method name, scalarization first.
    public static let allNames = ["scalarization", "mean", "pcgrad", "mgda", "cagrad", "imtlg", "nashmtl",
                                  "alignedmtl", "gradvac", "graddrop", "upgrad", "rlw", "uncertainty", "dwa", "gradnorm", "famo"]

    /// Throws a `HyperparameterError` naming `field` when `name` is not a method.
    public static func check(_ name: String, field: String = "method") throws {
        guard allNames.contains(name) else {
            throw HyperparameterError(field: field, message: "\(field) must be one of \(allNames.joined(separator: ", ")) (got \(name))")
        }
    }

    /// A fresh aggregator named `name` for `taskCount` tasks, with its paper's default
    /// hyperparameters; `weights` are the scalarization weights (equal when nil).
    public static func make(_ name: String, taskCount: Int, weights: [Double]? = nil) throws -> any Aggregator {
        let weights = weights ?? [Double](repeating: 1 / Double(taskCount), count: taskCount)
        guard weights.count == taskCount, weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.contains(where: { $0 > 0 }) else {
            throw HyperparameterError(field: "weights", message: "weights must be \(taskCount) finite, non-negative values, not all zero (got \(weights))")
        }
        switch name {
        case "scalarization": return LinearScalarization(weights: weights)
        case "mean": return Mean()
        case "pcgrad": return PCGrad()
        case "mgda": return MGDAUpperBound()
        case "cagrad": return CAGrad()
        case "imtlg": return IMTLG()
        case "nashmtl": return NashMTL()
        case "alignedmtl": return AlignedMTL()
        case "gradvac": return GradVac(targets: Array(repeating: Array(repeating: 0, count: taskCount), count: taskCount))
        case "graddrop": return GradDrop()
        case "upgrad": return UPGrad()
        case "rlw": return RandomLossWeighting()
        case "uncertainty": return UncertaintyWeighting(taskCount: taskCount)
        case "dwa": return DynamicWeightAverage(taskCount: taskCount)
        case "gradnorm": return GradNorm(taskCount: taskCount)
        case "famo": return FAMO(taskCount: taskCount)
        default:
            try check(name)
            preconditionFailure("method \(name) is named in allNames but has no aggregator")
        }
    }
}
