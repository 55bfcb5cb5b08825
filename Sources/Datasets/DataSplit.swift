import Linalg

/// One split (train, validation or test) of a multi-task dataset: N examples, their inputs and
/// one target matrix per task, row i of every matrix belonging to example i.
public struct DataSplit: Sendable, Equatable {
    /// The inputs, N x inputWidth, one flattened example per row.
    public var inputs: Matrix<Float>
    /// One matrix per task, in the dataset's task order. Classification: N x 1, the class index
    /// as a Float (0, 1, ...), or -1 when the example carries no label for the task (multi-domain
    /// data). Regression: N x outputCount target values.
    public var targets: [Matrix<Float>]

    public init(inputs: Matrix<Float>, targets: [Matrix<Float>]) {
        for (task, target) in targets.enumerated() {
            precondition(target.rows == inputs.rows,
                         "targets of task \(task) have \(target.rows) rows, the inputs \(inputs.rows)")
        }
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of examples N.
    public var count: Int { inputs.rows }

    /// The examples at `indices`, in that order (a minibatch). Indices may repeat.
    public func gathering(_ indices: some Collection<Int>) -> DataSplit {
        DataSplit(inputs: inputs.gatherRows(indices), targets: targets.map { $0.gatherRows(indices) })
    }

    /// The first `n` examples (all of them if `n >= count`).
    public func prefix(_ n: Int) -> DataSplit {
        precondition(n >= 0, "prefix length must be non-negative")
        let range = 0..<min(n, count)
        return DataSplit(inputs: inputs.rows(range), targets: targets.map { $0.rows(range) })
    }
}
