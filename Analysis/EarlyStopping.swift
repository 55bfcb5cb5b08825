/// The evaluation row an early-stopped run would keep: the one with the lowest mean
/// validation loss over its tasks (the first such row on ties). Rows with a non-finite loss
/// are skipped; nil when no row qualifies.
///
/// - Parameter validationLoss: one row per evaluation, one column per task.
public func earlyStoppingRow(validationLoss: [[Double]]) -> Int? {
    var best: (row: Int, loss: Double)?
    for (row, losses) in validationLoss.enumerated() where !losses.isEmpty && losses.allSatisfy(\.isFinite) {
        let mean = sampleMean(losses)
        if best == nil || mean < best!.loss { best = (row, mean) }
    }
    return best?.row
}
