import Linalg

/// Examples without a label for a task (multi-domain data: an example of one domain carries
/// no label for the other domains' tasks).
///
/// For cross-entropy, a target of `LossKind.missingLabel` (-1) means "no label": the loss, its
/// gradient, its Hessian product and the metric average over the labelled examples only, and
/// an unlabelled example contributes zero gradient and zero Hessian product. A batch without
/// any labelled example for a task has loss NaN (and metric NaN) and a zero gradient. Regression
/// targets carry no such marker: every example is labelled.
extension LossKind {
    /// The target value that marks an example as unlabelled for a classification task.
    public static let missingLabel = -1

    /// The number of examples (rows of `targets`) that carry a label: for cross-entropy the rows
    /// whose class index is not `missingLabel`, for mean squared error every row.
    public func labelledCount<Scalar: BLASScalar>(targets: Matrix<Scalar>) -> Int {
        switch self {
        case .crossEntropy:
            let missing = Scalar(Self.missingLabel)
            var count = 0
            for value in targets.storage where value != missing { count += 1 }
            return count
        case .meanSquaredError:
            return targets.rows
        }
    }

    /// The indices of the rows of `targets` that carry a label, ascending (all rows for mean
    /// squared error).
    public func labelledRows<Scalar: BLASScalar>(targets: Matrix<Scalar>) -> [Int] {
        switch self {
        case .crossEntropy:
            let missing = Scalar(Self.missingLabel)
            return targets.storage.indices.filter { targets.storage[$0] != missing }
        case .meanSquaredError:
            return Array(0..<targets.rows)
        }
    }
}
