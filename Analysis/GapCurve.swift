/// The generalization gap of one ST/MT pair (one seed) at matched training loss
/// (Mueller et al. 2024; DESIGN.md, "Matched training loss"):
/// `gap(l) = val_MT(l) - val_ST(l)` on a grid of train-loss levels both runs reach.
///
/// With `values` = validation loss a positive gap means MT generalizes worse at equal train
/// loss; with `values` = a validation metric (same code) the gap is in the metric's units and
/// its sign reads according to the metric (for accuracy, positive = MT better).
/// A non-finite value in either curve makes the gaps it touches, and the summaries, non-finite.
public struct GapCurve: Sendable, Equatable {
    /// Train-loss levels, `[L]`, from high loss to low loss.
    public let levels: [Double]
    /// `val_MT(l) - val_ST(l)` at each level, `[L]`.
    public let gaps: [Double]
    /// The ST run's matched values `val_ST(l)`, `[L]`.
    public let singleTaskValues: [Double]
    /// The MT run's matched values `val_MT(l)`, `[L]`.
    public let multiTaskValues: [Double]
    /// The step at which the ST run first reaches each level, `[L]`.
    public let singleTaskSteps: [Double]
    /// The step at which the MT run first reaches each level, `[L]`.
    public let multiTaskSteps: [Double]

    /// The gap on `levels`, which must be non-empty, decreasing (high loss first) and inside
    /// both curves' loss ranges; nil otherwise.
    public init?(singleTask: EvaluationCurve, multiTask: EvaluationCurve, levels: [Double]) {
        guard !levels.isEmpty, zip(levels, levels.dropFirst()).allSatisfy({ $0 >= $1 }) else { return nil }
        var st = [MatchedPoint](), mt = [MatchedPoint]()
        for level in levels {
            guard let s = singleTask.matchedValue(atTrainLoss: level),
                  let m = multiTask.matchedValue(atTrainLoss: level) else { return nil }
            st.append(s)
            mt.append(m)
        }
        self.levels = levels
        singleTaskValues = st.map(\.value)
        multiTaskValues = mt.map(\.value)
        singleTaskSteps = st.map(\.step)
        multiTaskSteps = mt.map(\.step)
        gaps = zip(multiTaskValues, singleTaskValues).map { $0 - $1 }
    }

    /// The gap on the pair's own common grid: `levelCount` log-spaced levels over
    /// `LossGrid.commonRange([singleTask, multiTask])`; nil when the runs share no train loss.
    public init?(singleTask: EvaluationCurve, multiTask: EvaluationCurve,
                 levelCount: Int = LossGrid.defaultLevelCount) {
        guard let range = LossGrid.commonRange([singleTask, multiTask]),
              let grid = LossGrid(range: range, count: levelCount) else { return nil }
        self.init(singleTask: singleTask, multiTask: multiTask, levels: grid.levels)
    }

    /// The gap of `pair` on `levels` (see `init(singleTask:multiTask:levels:)`).
    public init?(_ pair: RunPair, levels: [Double]) {
        self.init(singleTask: pair.singleTask, multiTask: pair.multiTask, levels: levels)
    }

    /// The gap of `pair` on its own common grid (see `init(singleTask:multiTask:levelCount:)`).
    public init?(_ pair: RunPair, levelCount: Int = LossGrid.defaultLevelCount) {
        self.init(singleTask: pair.singleTask, multiTask: pair.multiTask, levelCount: levelCount)
    }

    /// The mean gap over the grid's range in `log l` (`logLossAverage`: trapezoid in `log l`
    /// divided by the log-range), in the units of `values`.
    public var meanGap: Double { logLossAverage(of: gaps, over: levels) }

    /// The gap at the lowest level of the grid (the lowest train loss both runs reach).
    public var gapAtLowestLoss: Double { gaps[gaps.count - 1] }
}
