/// The MT - ST difference of a trajectory factor at matched training loss (Mueller et al.
/// 2024 ask whether such factors explain the generalization gap): each run's factor is put on
/// its train-loss axis (`FactorSeries.overTrainLoss(of:)`), then compared exactly as the gap
/// is (`GapCurve`): `d(l) = factor_MT(l) - factor_ST(l)` on the common grid of the two
/// factor curves, and its average over the range in `log l`.
public struct TrajectoryFactorDifference: Sendable, Equatable {
    /// The ST factor over the ST run's train loss.
    public let singleTask: EvaluationCurve
    /// The MT factor over the MT run's train loss.
    public let multiTask: EvaluationCurve
    /// `d(l)` on the common grid: `difference.gaps` are the MT - ST differences,
    /// `difference.levels` the train losses.
    public let difference: GapCurve

    /// Nil when the two factor curves share no train loss (e.g. no probe row inside an eval
    /// range).
    public init?(singleTaskFactor: FactorSeries, singleTaskEvaluation: EvaluationCurve,
                 multiTaskFactor: FactorSeries, multiTaskEvaluation: EvaluationCurve,
                 levelCount: Int = LossGrid.defaultLevelCount) {
        let st = singleTaskFactor.overTrainLoss(of: singleTaskEvaluation)
        let mt = multiTaskFactor.overTrainLoss(of: multiTaskEvaluation)
        guard let difference = GapCurve(singleTask: st, multiTask: mt, levelCount: levelCount) else { return nil }
        singleTask = st
        multiTask = mt
        self.difference = difference
    }

    /// The train-loss levels, `[L]`, high to low.
    public var levels: [Double] { difference.levels }
    /// `factor_MT(l) - factor_ST(l)` per level, `[L]`.
    public var differences: [Double] { difference.gaps }
    /// The mean difference over the range in `log l` (`logLossAverage`).
    public var meanDifference: Double { difference.meanGap }
}
