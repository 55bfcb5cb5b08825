import Foundation

/// The mean of `values` with its two-sided Student-t confidence interval,
/// `mean ± t(1 - (1 - confidence)/2, n - 1) · s / sqrt(n)` (s: the sample standard deviation).
///
/// With a handful of seeds a bootstrap interval has too few distinct resamples to mean much;
/// the t interval is the usual report for "mean over seeds ± 95% CI". NaN values are dropped;
/// fewer than two values give NaN bounds. Supported levels: 0.90, 0.95, 0.99.
public func studentInterval(_ values: [Double], confidence: Double = 0.95) -> ConfidenceInterval {
    let finite = values.filter(\.isFinite)
    let mean = sampleMean(finite)
    guard finite.count >= 2 else { return ConfidenceInterval(estimate: mean, lower: .nan, upper: .nan, confidence: confidence) }
    let n = Double(finite.count)
    let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    let half = studentQuantile(degreesOfFreedom: finite.count - 1, confidence: confidence) * (variance / n).squareRoot()
    return ConfidenceInterval(estimate: mean, lower: mean - half, upper: mean + half, confidence: confidence)
}

/// The two-sided Student-t critical value `t(1 - (1 - confidence)/2, df)`, from the standard
/// table for df 1...30 and the Cornish-Fisher expansion around the normal quantile beyond
/// (error below 1e-3 there).
func studentQuantile(degreesOfFreedom df: Int, confidence: Double) -> Double {
    precondition(df >= 1, "at least one degree of freedom")
    let table: [Double: [Double]] = [
        0.90: [6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753,
               1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697],
        0.95: [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
               2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042],
        0.99: [63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947,
               2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750],
    ]
    let normal: [Double: Double] = [0.90: 1.6449, 0.95: 1.9600, 0.99: 2.5758]
    guard let column = table[confidence], let z = normal[confidence] else {
        preconditionFailure("confidence \(confidence) is not one of 0.90, 0.95, 0.99")
    }
    if df <= column.count { return column[df - 1] }
    let v = Double(df)
    let z3 = pow(z, 3), z5 = pow(z, 5)
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
}
