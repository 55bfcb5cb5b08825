/// A point estimate with a confidence interval `[lower, upper]`.
///
/// NaN bounds mean "no interval": too few units to resample (fewer than 2), or no resample
/// gave a finite statistic. A NaN estimate means the statistic itself is undefined (see the
/// function that produced it).
public struct ConfidenceInterval: Sendable, Equatable {
    /// The statistic on the original sample.
    public let estimate: Double
    /// The lower bound.
    public let lower: Double
    /// The upper bound.
    public let upper: Double
    /// The nominal coverage, e.g. 0.95.
    public let confidence: Double

    /// An interval from its parts.
    public init(estimate: Double, lower: Double, upper: Double, confidence: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    /// Whether `value` lies in `[lower, upper]`; false when a bound is NaN.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// Whether the interval lies entirely above or entirely below `value`; false when a bound
    /// is NaN (no interval excludes nothing).
    public func excludes(_ value: Double) -> Bool { lower > value || upper < value }
}
