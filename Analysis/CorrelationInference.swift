import Linalg

/// Which correlation coefficient.
public enum CorrelationMethod: String, Sendable, Equatable, CaseIterable {
    /// Pearson's r (`pearsonCorrelation`).
    case pearson
    /// Spearman's rho (`spearmanCorrelation`).
    case spearman

    /// The coefficient of paired samples by this method.
    public func coefficient(_ x: [Double], _ y: [Double]) -> Double {
        switch self {
        case .pearson: pearsonCorrelation(x, y)
        case .spearman: spearmanCorrelation(x, y)
        }
    }
}

/// A correlation over paired units (e.g. task x seed x weighting, DESIGN.md "Correlations")
/// with its uncertainty.
public struct CorrelationEstimate: Sendable, Equatable {
    /// The coefficient used.
    public let method: CorrelationMethod
    /// The number of pairs used (pairs with a non-finite entry are left out).
    public let count: Int
    /// The coefficient on the pairs; NaN when undefined (fewer than 3 pairs, or x or y
    /// constant).
    public let coefficient: Double
    /// The percentile bootstrap interval of the coefficient, resampling pairs (`Bootstrap`);
    /// resamples on which the coefficient is undefined are left out. NaN bounds when the
    /// coefficient is undefined.
    public let interval: ConfidenceInterval
    /// The two-sided permutation p-value: `y` is shuffled against `x` N times and
    /// `p = (1 + #{|r_perm| >= |r_obs|}) / (1 + N)` (comparison with a 1e-12 tolerance so
    /// that a permutation reproducing the observed coefficient counts). Its smallest possible
    /// value is `1/(1 + N)`. NaN when the coefficient is undefined.
    public let pValue: Double

    /// An estimate from its parts.
    public init(method: CorrelationMethod, count: Int, coefficient: Double,
                interval: ConfidenceInterval, pValue: Double) {
        self.method = method
        self.count = count
        self.coefficient = coefficient
        self.interval = interval
        self.pValue = pValue
    }
}

/// How correlations are assessed: bootstrap resamples and confidence, number of permutations,
/// and the seed from which both random streams derive (bootstrap: `Bootstrap(seed: seed)`,
/// permutations: `RandomGenerator(seed: seed, stream: 1)`), so results are deterministic.
public struct CorrelationAnalysis: Sendable, Equatable {
    /// Bootstrap resamples `B`.
    public var resamples: Int
    /// Permutations `N` of the permutation test.
    public var permutations: Int
    /// Nominal coverage of the interval.
    public var confidence: Double
    /// Seed of the random streams.
    public var seed: UInt64

    /// Defaults: B = 2000 bootstrap resamples, N = 5000 permutations, 95%, seed 0.
    public init(resamples: Int = 2000, permutations: Int = 5000, confidence: Double = 0.95, seed: UInt64 = 0) {
        precondition(permutations >= 1, "a permutation test needs at least one permutation")
        self.resamples = resamples
        self.permutations = permutations
        self.confidence = confidence
        self.seed = seed
    }

    /// Pearson's r of `x` and `y` (`[n]` each) with interval and p-value.
    public func pearson(_ x: [Double], _ y: [Double]) -> CorrelationEstimate {
        estimate(.pearson, x, y)
    }

    /// Spearman's rho of `x` and `y` (`[n]` each) with interval and p-value.
    public func spearman(_ x: [Double], _ y: [Double]) -> CorrelationEstimate {
        estimate(.spearman, x, y)
    }

    /// The correlation of `x` and `y` (`[n]` each) by `method`, after leaving out pairs with a
    /// non-finite entry.
    public func estimate(_ method: CorrelationMethod, _ x: [Double], _ y: [Double]) -> CorrelationEstimate {
        precondition(x.count == y.count, "\(x.count) x values, \(y.count) y values")
        let kept = x.indices.filter { x[$0].isFinite && y[$0].isFinite }
        let xs = kept.map { x[$0] }, ys = kept.map { y[$0] }
        let coefficient = method.coefficient(xs, ys)
        guard !coefficient.isNaN else {
            let none = ConfidenceInterval(estimate: .nan, lower: .nan, upper: .nan, confidence: confidence)
            return CorrelationEstimate(method: method, count: kept.count, coefficient: .nan, interval: none, pValue: .nan)
        }
        let bootstrap = Bootstrap(resamples: resamples, confidence: confidence, seed: seed)
        let interval = bootstrap.interval(of: Array(xs.indices)) { units in
            method.coefficient(units.map { xs[$0] }, units.map { ys[$0] })
        }
        return CorrelationEstimate(method: method, count: kept.count, coefficient: coefficient,
                                   interval: interval, pValue: permutationPValue(method, xs, ys))
    }

    /// `(1 + #{|r_perm| >= |r_obs|}) / (1 + N)` over N shuffles of `y`; x and y finite and not
    /// constant, n >= 3. Ranks (for Spearman) and centering are done once: a shuffle of y only
    /// reorders them.
    func permutationPValue(_ method: CorrelationMethod, _ x: [Double], _ y: [Double]) -> Double {
        let xs = method == .spearman ? averageRanks(x) : x
        let ys = method == .spearman ? averageRanks(y) : y
        let xc = centered(xs), yc = centered(ys)
        let sxx = sumOfSquares(xc), syy = sumOfSquares(yc)
        let observed = abs(correlationOfCentered(xc, yc, sxx, syy))
        var generator = RandomGenerator(seed: seed, stream: 1)
        var shuffled = yc
        var atLeastAsStrong = 0
        for _ in 0..<permutations {
            let order = generator.permutation(yc.count)
            for i in order.indices { shuffled[i] = yc[order[i]] }
            if abs(correlationOfCentered(xc, shuffled, sxx, syy)) >= observed - 1e-12 { atLeastAsStrong += 1 }
        }
        return Double(1 + atLeastAsStrong) / Double(1 + permutations)
    }
}
