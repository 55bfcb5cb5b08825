/// Pearson's correlation coefficient of paired samples `x`, `y` (`[n]` each):
/// `r = sum (x_i - mean x)(y_i - mean y) / sqrt(sum (x_i - mean x)^2 sum (y_i - mean y)^2)`,
/// clamped to [-1, 1].
///
/// NaN means "undefined": fewer than 3 pairs (two points always lie on a line), a constant
/// `x` or `y` (no variance to correlate), or a non-finite entry.
public func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "\(x.count) x values, \(y.count) y values")
    guard x.count >= 3, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite),
          x.min() != x.max(), y.min() != y.max() else { return .nan }
    let xc = centered(x), yc = centered(y)
    return correlationOfCentered(xc, yc, sumOfSquares(xc), sumOfSquares(yc))
}

/// Spearman's rank correlation `rho`: Pearson's `r` of the average ranks of `x` and of `y`
/// (`averageRanks`, so ties are handled exactly). NaN under the same conditions as
/// `pearsonCorrelation`.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "\(x.count) x values, \(y.count) y values")
    guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return .nan }
    return pearsonCorrelation(averageRanks(x), averageRanks(y))
}

/// The ranks of `values`, 1 for the smallest, with tied values sharing the average of the
/// ranks they span (e.g. `[10, 20, 20, 30]` -> `[1, 2.5, 2.5, 4]`). `[n]` -> `[n]`; values
/// must be finite (NaN has no rank).
public func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
        let shared = Double(start + end) / 2 + 1
        for k in start...end { ranks[order[k]] = shared }
        start = end + 1
    }
    return ranks
}

/// `values` minus their mean.
func centered(_ values: [Double]) -> [Double] {
    let m = sampleMean(values)
    return values.map { $0 - m }
}

/// The sum of squares of `values`.
func sumOfSquares(_ values: [Double]) -> Double {
    values.reduce(0) { $0 + $1 * $1 }
}

/// `sum xc_i yc_i / sqrt(sxx syy)` for centered samples, clamped to [-1, 1].
func correlationOfCentered(_ xc: [Double], _ yc: [Double], _ sxx: Double, _ syy: Double) -> Double {
    var sxy = 0.0
    for i in xc.indices { sxy += xc[i] * yc[i] }
    return min(1, max(-1, sxy / (sxx * syy).squareRoot()))
}
