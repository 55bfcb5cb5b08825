import Foundation

/// Train-loss levels at which trajectories are compared: log-spaced over a range, ordered from
/// high loss to low loss (the order in which training reaches them).
public struct LossGrid: Sendable, Equatable {
    /// The default number of levels of a grid.
    public static let defaultLevelCount = 50

    /// The range covered, `lowest...highest` train loss.
    public let range: ClosedRange<Double>
    /// The levels, `[count]`, decreasing from `range.upperBound` to `range.lowerBound` (both
    /// exactly), equally spaced in `log l` (strictly decreasing unless the range is narrower
    /// than rounding).
    public let levels: [Double]

    /// A grid of `count` levels over `range`; nil when `count < 1` or the range is not
    /// finite and > 0. A range of one value, or `count == 1`, gives the single level
    /// `range.upperBound`.
    public init?(range: ClosedRange<Double>, count: Int = LossGrid.defaultLevelCount) {
        guard let levels = LossGrid.levels(count: count, over: range) else { return nil }
        self.range = range
        self.levels = levels
    }

    /// The train losses every curve reaches: `[max of the lowest losses, min of the initial
    /// losses]`. Nil when `curves` is empty, a curve has no usable rows, or the ranges do not
    /// overlap. Both ends are copied from the curves' own losses, so every curve has a matched
    /// value at both ends.
    public static func commonRange(_ curves: [EvaluationCurve]) -> ClosedRange<Double>? {
        guard !curves.isEmpty else { return nil }
        var lowest = -Double.infinity, highest = Double.infinity
        for curve in curves {
            guard let range = curve.lossRange else { return nil }
            lowest = max(lowest, range.lowerBound)
            highest = min(highest, range.upperBound)
        }
        return lowest <= highest ? lowest...highest : nil
    }

    /// `count` levels equally spaced in `log l` from `range.upperBound` down to
    /// `range.lowerBound`: `l_i = exp(log hi + i/(count-1) (log lo - log hi))`, with the two
    /// ends set exactly and the inner levels clamped into the range. Nil when `count < 1` or
    /// the range is not finite and > 0.
    public static func levels(count: Int, over range: ClosedRange<Double>) -> [Double]? {
        let low = range.lowerBound, high = range.upperBound
        guard count >= 1, low > 0, high.isFinite else { return nil }
        if count == 1 || low == high { return [high] }
        let logHigh = log(high), logLow = log(low)
        return (0..<count).map { i in
            if i == 0 { return high }
            if i == count - 1 { return low }
            let fraction = Double(i) / Double(count - 1)
            return min(high, max(low, exp(logHigh + fraction * (logLow - logHigh))))
        }
    }
}
