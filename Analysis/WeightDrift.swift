/// How far a run's effective task weights moved from equal weights.
///
/// Each step's weights `w` (from `/train/weight`) are normalised to shares `w / sum(w)`; the
/// drift of a step is the total-variation distance of the shares from `1/T`,
/// `½ Σ_t |w_t / Σw - 1/T|`, between 0 (equal shares) and `1 - 1/T` (all weight on one task).
/// The scale `Σ_t w_t` tells how much an MTO method stretched or shrank the step.
public struct WeightDrift: Sendable, Equatable {
    /// Mean drift over all steps.
    public var mean: Double
    /// Mean drift over the last tenth of the steps (at least one step).
    public var final: Double
    /// Mean of `Σ_t w_t` over all steps.
    public var scale: Double

    /// The drift of `weights`: one row per step, one column per task. Steps whose weights
    /// sum to zero or are not finite are skipped; NaN fields when none remain.
    public init(weights: [[Double]]) {
        var drifts: [Double] = [], scales: [Double] = []
        for row in weights {
            let total = row.reduce(0, +)
            guard total.isFinite, total != 0, !row.isEmpty else { continue }
            let equal = 1 / Double(row.count)
            drifts.append(row.reduce(0) { $0 + abs($1 / total - equal) } / 2)
            scales.append(total)
        }
        mean = sampleMean(drifts)
        final = sampleMean(Array(drifts.suffix(max(1, drifts.count / 10))))
        scale = sampleMean(scales)
    }
}
