/// Where a generalization gap opens: the first train-loss level (walking from high loss to
/// low loss, i.e. in training order) at which the seed-mean gap is distinguishable from zero
/// and stays so at the next level.
public struct GapOnset: Sendable, Equatable {
    /// The index of the onset level in the grid (0 = highest loss).
    public let levelIndex: Int
    /// The onset level `l`.
    public let trainLoss: Double
    /// The MT step at the onset: the mean over seeds of the step at which the MT run first
    /// reaches `trainLoss`.
    public let step: Double
    /// The seed-mean gap at the onset level with its bootstrap interval.
    public let gap: ConfidenceInterval

    /// An onset from its parts.
    public init(levelIndex: Int, trainLoss: Double, step: Double, gap: ConfidenceInterval) {
        self.levelIndex = levelIndex
        self.trainLoss = trainLoss
        self.step = step
        self.gap = gap
    }
}

/// The onset rule (DESIGN.md: "the earliest step where |gap| exceeds its seed-to-seed noise"),
/// made concrete: the first index `i`, in the order given (high loss to low), such that the
/// interval at `i` excludes 0, the interval at `i + 1` excludes 0 too, and both lie on the
/// same side of 0. Requiring two consecutive levels keeps one stray level (with ~50 levels
/// and 95% intervals, a few exclude 0 by chance) from being called an onset; requiring the
/// same side keeps a sign flip from counting as a persistent gap. The last level has no next
/// level and is never an onset. Nil when no index qualifies; intervals with NaN bounds (fewer
/// than 2 seeds) never exclude 0, so they never qualify.
public func gapOnsetIndex(_ intervals: [ConfidenceInterval]) -> Int? {
    guard intervals.count >= 2 else { return nil }
    for i in 0..<(intervals.count - 1) {
        let here = intervals[i], next = intervals[i + 1]
        let above = here.lower > 0 && next.lower > 0
        let below = here.upper < 0 && next.upper < 0
        if above || below { return i }
    }
    return nil
}
