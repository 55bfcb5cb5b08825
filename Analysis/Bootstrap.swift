import Linalg

/// Percentile bootstrap (Efron and Tibshirani 1993, ch. 13): resample the units of a sample
/// with replacement `resamples` times, compute the statistic on each resample, and take the
/// `(1-c)/2` and `(1+c)/2` quantiles of those replicates as the interval at confidence `c`.
///
/// Deterministic: the resamples come from `RandomGenerator(seed: seed, stream: 0)`, so the same
/// configuration gives the same interval on every run. Quantiles interpolate linearly between
/// order statistics (`h = p (B' - 1)`, "type 7"). Replicates that are not finite (a statistic
/// undefined on a degenerate resample, e.g. a correlation of a constant) are left out and the
/// quantiles are taken over the `B'` finite ones. NaN bounds when the sample has fewer than 2
/// units, when the statistic on the whole sample is not finite (e.g. a mean over seeds one of
/// which has a NaN gap: the resamples that happen to miss that seed would otherwise give a
/// misleading interval), or when no replicate is finite.
public struct Bootstrap: Sendable, Equatable {
    /// The number of resamples `B`.
    public var resamples: Int
    /// The nominal coverage `c` of the interval.
    public var confidence: Double
    /// The seed of the resampling stream.
    public var seed: UInt64

    /// A bootstrap of `resamples` resamples (B >= 1) at `confidence` in (0, 1), seeded by `seed`.
    public init(resamples: Int = 2000, confidence: Double = 0.95, seed: UInt64 = 0) {
        precondition(resamples >= 1, "a bootstrap needs at least one resample")
        precondition(confidence > 0 && confidence < 1, "confidence \(confidence) outside (0, 1)")
        self.resamples = resamples
        self.confidence = confidence
        self.seed = seed
    }

    /// The interval of `statistic` over `sample` (units of any type, `[n]`).
    public func interval<Unit>(of sample: [Unit], statistic: ([Unit]) -> Double) -> ConfidenceInterval {
        intervals(of: sample, count: 1) { [statistic($0)] }[0]
    }

    /// Intervals of several statistics computed on the SAME resamples (`statistics` returns
    /// `count` numbers per sample), e.g. a mean gap per train-loss level, so that the intervals
    /// are jointly consistent.
    public func intervals<Unit>(of sample: [Unit], count: Int,
                                statistics: ([Unit]) -> [Double]) -> [ConfidenceInterval] {
        let estimates = statistics(sample)
        precondition(estimates.count == count, "statistics returned \(estimates.count) numbers, not \(count)")
        guard sample.count >= 2 else {
            return estimates.map { ConfidenceInterval(estimate: $0, lower: .nan, upper: .nan, confidence: confidence) }
        }
        var generator = RandomGenerator(seed: seed, stream: 0)
        var replicates = [[Double]](repeating: [], count: count)
        for r in replicates.indices { replicates[r].reserveCapacity(resamples) }
        var resample = [Unit]()
        resample.reserveCapacity(sample.count)
        for _ in 0..<resamples {
            resample.removeAll(keepingCapacity: true)
            for _ in 0..<sample.count { resample.append(sample[generator.integer(below: sample.count)]) }
            let values = statistics(resample)
            for r in 0..<count where values[r].isFinite { replicates[r].append(values[r]) }
        }
        let tail = (1 - confidence) / 2
        return (0..<count).map { r in
            guard estimates[r].isFinite else {
                return ConfidenceInterval(estimate: estimates[r], lower: .nan, upper: .nan, confidence: confidence)
            }
            let sorted = replicates[r].sorted()
            return ConfidenceInterval(estimate: estimates[r],
                                      lower: quantile(sorted, tail), upper: quantile(sorted, 1 - tail),
                                      confidence: confidence)
        }
    }

    /// The interval of the mean of `sample`; its estimate is the sample mean (NaN when empty).
    public func meanInterval(_ sample: [Double]) -> ConfidenceInterval {
        interval(of: sample, statistic: sampleMean)
    }
}

/// The `p`-quantile of ascending `sorted` values, linear between order statistics
/// (`h = p (n - 1)`); NaN when empty.
func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let h = p * Double(sorted.count - 1)
    let below = Int(h.rounded(.down)), above = min(below + 1, sorted.count - 1)
    return sorted[below] + (h - Double(below)) * (sorted[above] - sorted[below])
}
