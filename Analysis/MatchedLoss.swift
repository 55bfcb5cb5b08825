import Foundation

/// A run's state at the first moment its running-minimum train loss reaches a level.
public struct MatchedPoint: Sendable, Equatable {
    /// The train-loss level `l` that was matched.
    public let trainLoss: Double
    /// The validation quantity (loss or metric) at that moment, interpolated in log-loss.
    public let value: Double
    /// The step of that moment (optimizer steps, fractional when interpolated).
    public let step: Double

    /// A matched point from its parts.
    public init(trainLoss: Double, value: Double, step: Double) {
        self.trainLoss = trainLoss
        self.value = value
        self.step = step
    }
}

extension EvaluationCurve {
    /// The curve's value at matched training loss `l` (Mueller et al. 2024; DESIGN.md,
    /// "Matched training loss"): the value at the first moment the running minimum `m` of the
    /// train loss reaches `l`.
    ///
    /// With `k` the first row where `m_k <= l` (so `m_{k-1} > l >= m_k`), the moment lies
    /// between eval rows `k-1` and `k`, and value and step are interpolated linearly in
    /// log-loss: `t = (log m_{k-1} - log l) / (log m_{k-1} - log m_k)`,
    /// `value = v_{k-1} + t (v_k - v_{k-1})`, `step = s_{k-1} + t (s_k - s_{k-1})`.
    /// `l == m_0` gives the first row exactly, `l == m_k` gives row `k` exactly.
    ///
    /// Returns nil when `l` is outside `lossRange` (above the first train loss or below the
    /// lowest), or is not finite and > 0.
    public func matchedValue(atTrainLoss l: Double) -> MatchedPoint? {
        guard l.isFinite, l > 0, let range = lossRange, range.contains(l) else { return nil }
        if l == trainLoss[0] {
            return MatchedPoint(trainLoss: l, value: values[0], step: steps[0])
        }
        let envelope = runningMinimumEnvelope
        // First row whose running minimum reaches l; exists because l >= the lowest loss, and
        // k >= 1 because l < m_0.
        guard let k = envelope.firstIndex(where: { $0 <= l }), k >= 1 else { return nil }
        if envelope[k] == l {
            return MatchedPoint(trainLoss: l, value: values[k], step: steps[k])
        }
        let upper = log(envelope[k - 1]), lower = log(envelope[k])
        let t = (upper - log(l)) / (upper - lower)
        return MatchedPoint(trainLoss: l,
                            value: values[k - 1] + t * (values[k] - values[k - 1]),
                            step: steps[k - 1] + t * (steps[k] - steps[k - 1]))
    }
}
