/// The eval rows of one run for one task: at each eval step, the task's train loss (on the fixed
/// train-eval subset, in nats or the task's loss unit) and one validation quantity (`values`:
/// the validation loss, or a validation metric such as the error rate).
///
/// Rows are kept in step order (a stable sort by step, so rows recorded twice at one step keep
/// their recorded order). Rows that cannot be placed on a log-loss axis are dropped when the
/// curve is made: rows whose step is not finite or whose train loss is not finite and
/// strictly positive (a diverged run's NaN/inf losses, a zero loss). `droppedRowCount` says how
/// many. A non-finite `values` entry is kept: it is data, and it propagates into the matched
/// values computed from it (the result is then non-finite rather than silently biased).
public struct EvaluationCurve: Sendable, Equatable {
    /// Eval steps (optimizer steps), ascending, `[M]`.
    public let steps: [Double]
    /// The task's train loss at each eval step, finite and > 0, `[M]`.
    public let trainLoss: [Double]
    /// The validation quantity (loss or metric) at each eval step, `[M]`.
    public let values: [Double]
    /// How many of the rows given to `init` were dropped (non-finite step, train loss not
    /// finite or not > 0).
    public let droppedRowCount: Int

    /// A curve from parallel arrays of equal length (a programming error otherwise: the
    /// arrays come from one record's `[M]` and `[M, T]` datasets).
    public init(steps: [Double], trainLoss: [Double], values: [Double]) {
        precondition(steps.count == trainLoss.count && steps.count == values.count,
                     "EvaluationCurve needs equal lengths: \(steps.count) steps, \(trainLoss.count) train losses, \(values.count) values")
        let usable = steps.indices.filter { i in
            steps[i].isFinite && trainLoss[i].isFinite && trainLoss[i] > 0
        }
        let ordered = usable.sorted { a, b in
            steps[a] != steps[b] ? steps[a] < steps[b] : a < b
        }
        self.steps = ordered.map { steps[$0] }
        self.trainLoss = ordered.map { trainLoss[$0] }
        self.values = ordered.map { values[$0] }
        droppedRowCount = steps.count - usable.count
    }

    /// The number of usable rows, `M`.
    public var count: Int { steps.count }

    /// The running minimum of the train loss, `m_k = min_{j <= k} trainLoss_j`, `[M]`:
    /// non-increasing; a later row with a higher loss than an earlier one repeats the earlier
    /// minimum until the minimum is beaten.
    public var runningMinimumEnvelope: [Double] {
        var result = [Double]()
        result.reserveCapacity(trainLoss.count)
        var lowest = Double.infinity
        for loss in trainLoss {
            lowest = min(lowest, loss)
            result.append(lowest)
        }
        return result
    }

    /// The train losses this curve reaches, `lowest...initial`: from the lowest train loss of
    /// the run (the last value of the envelope) to the train loss of its first row; nil for a
    /// curve without usable rows. A level `l` has a matched value exactly when it lies in here.
    public var lossRange: ClosedRange<Double>? {
        guard let initial = trainLoss.first, let lowest = trainLoss.min() else { return nil }
        return lowest...initial
    }
}
