/// One task's generalization gap aggregated over seeds: each seed's ST/MT pair is put on ONE
/// shared grid (log-spaced over the intersection of all seeds' common ranges, i.e.
/// `LossGrid.commonRange` of all 2S curves), the gap is averaged over seeds per level, and
/// seeds are resampled with replacement (percentile bootstrap) for 95% intervals.
///
/// All intervals (per level and the summaries) come from the same bootstrap resamples of seeds.
/// A seed with a non-finite gap at a level makes that level's mean non-finite, with NaN bounds
/// (and likewise the summaries it enters); such a level never counts toward an onset.
public struct GapAcrossSeeds: Sendable, Equatable {
    /// The shared train-loss levels, `[L]`, high loss to low loss.
    public let levels: [Double]
    /// Each seed's gap curve on the shared grid, `[S]`, in the order of the pairs given.
    public let seedCurves: [GapCurve]
    /// Per level, the mean gap over seeds with its bootstrap interval, `[L]`.
    public let meanGaps: [ConfidenceInterval]
    /// Per level, the mean over seeds of the MT step at which the level is first reached, `[L]`.
    public let meanMultiTaskSteps: [Double]
    /// The mean over seeds of each seed's `meanGap` (on the shared grid; equal to the
    /// log-loss average of the mean gap curve), with its bootstrap interval.
    public let meanGap: ConfidenceInterval
    /// The mean over seeds of the gap at the lowest shared level, with its bootstrap interval.
    public let gapAtLowestLoss: ConfidenceInterval
    /// Where the seed-mean gap opens (`gapOnsetIndex`), with the mean MT step there; nil
    /// when the rule never fires or there are fewer than 2 seeds.
    public let onset: GapOnset?

    /// The number of seeds `S`.
    public var seedCount: Int { seedCurves.count }

    /// Aggregates `pairs` (one per seed) on a shared grid of `levelCount` levels, with
    /// intervals from `bootstrap` (by default B = 2000, 95%, seed 0). Nil when `pairs` is empty
    /// or the runs share no train loss. With one seed, every interval has NaN bounds and
    /// `onset` is nil.
    public init?(pairs: [RunPair], levelCount: Int = LossGrid.defaultLevelCount,
                 bootstrap: Bootstrap = Bootstrap()) {
        let curves = pairs.flatMap { [$0.singleTask, $0.multiTask] }
        guard let range = LossGrid.commonRange(curves),
              let grid = LossGrid(range: range, count: levelCount) else { return nil }
        var seedCurves = [GapCurve]()
        for pair in pairs {
            guard let curve = GapCurve(pair, levels: grid.levels) else { return nil }
            seedCurves.append(curve)
        }
        let levelCount = grid.levels.count
        // Each seed as one unit: its gap per level, then its two summaries; a resample's
        // statistics are the means over its seeds, column by column.
        let units = seedCurves.map { $0.gaps + [$0.meanGap, $0.gapAtLowestLoss] }
        let intervals = bootstrap.intervals(of: units, count: levelCount + 2) { sample in
            columnMeans(sample, width: levelCount + 2)
        }
        levels = grid.levels
        self.seedCurves = seedCurves
        meanGaps = Array(intervals[0..<levelCount])
        meanGap = intervals[levelCount]
        gapAtLowestLoss = intervals[levelCount + 1]
        meanMultiTaskSteps = (0..<levelCount).map { i in sampleMean(seedCurves.map { $0.multiTaskSteps[i] }) }
        if seedCurves.count >= 2, let i = gapOnsetIndex(meanGaps) {
            onset = GapOnset(levelIndex: i, trainLoss: levels[i], step: meanMultiTaskSteps[i], gap: meanGaps[i])
        } else {
            onset = nil
        }
    }
}

/// The mean of each column of equally long rows, `[width]`; NaN columns when `rows` is empty.
func columnMeans(_ rows: [[Double]], width: Int) -> [Double] {
    var sums = [Double](repeating: 0, count: width)
    for row in rows { for c in 0..<width { sums[c] += row[c] } }
    return sums.map { $0 / Double(rows.count) }
}
