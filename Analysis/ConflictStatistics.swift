/// Summary of gradient conflict over a set of rows.
///
/// Each statistic averages over the rows of the set where it is defined: a non-finite cosine (a zero
/// gradient), an undefined magnitude similarity (`magnitudeSimilarity`) or a non-finite directional
/// conflict leaves only that row's entry out. A statistic with no defined row, or whose input
/// was not given, is NaN.
public struct ConflictSummary: Sendable, Equatable {
    /// The number of rows in the set.
    public let rowCount: Int
    /// The mean of `cos(g_i, g_j)`.
    public let meanCosine: Double
    /// The conflict fraction: the share of rows with `cos < 0`, in [0, 1].
    public let conflictFraction: Double
    /// The mean magnitude similarity `2 sqrt(G_ii G_jj) / (G_ii + G_jj)`.
    public let meanMagnitudeSimilarity: Double
    /// The mean directional conflict.
    public let meanDirectionalConflict: Double

    /// A summary from its parts.
    public init(rowCount: Int, meanCosine: Double, conflictFraction: Double,
                meanMagnitudeSimilarity: Double, meanDirectionalConflict: Double) {
        self.rowCount = rowCount
        self.meanCosine = meanCosine
        self.conflictFraction = conflictFraction
        self.meanMagnitudeSimilarity = meanMagnitudeSimilarity
        self.meanDirectionalConflict = meanDirectionalConflict
    }
}

/// Gradient conflict of one task pair over a run (DESIGN.md, "Conflict between tasks"): the
/// `ConflictSummary` over all rows and over the early, middle and late thirds of the step
/// range (`StepWindows`, thirds by step value). Rows with a non-finite step are left out.
public struct ConflictStatistics: Sendable, Equatable {
    /// The step windows used (min to max finite step of the series).
    public let windows: StepWindows
    /// The summary over all rows and per window.
    public let summary: Windowed<ConflictSummary>

    /// Nil when the series has no row with a finite step.
    public init?(_ series: ConflictSeries) {
        let rows = series.steps.indices.filter { series.steps[$0].isFinite }
        guard let windows = StepWindows(steps: series.steps) else { return nil }
        let similarity: [Double]? = series.gramianII.flatMap { ii in
            series.gramianJJ.map { jj in zip(ii, jj).map { magnitudeSimilarity(gramianII: $0, gramianJJ: $1) } }
        }
        self.windows = windows
        summary = Windowed(steps: rows.map { series.steps[$0] }, windows: windows) { positions in
            let chosen = positions.map { rows[$0] }
            let cosines = chosen.map { series.cosines[$0] }.filter(\.isFinite)
            return ConflictSummary(
                rowCount: chosen.count,
                meanCosine: sampleMean(cosines),
                conflictFraction: cosines.isEmpty ? .nan : Double(cosines.filter { $0 < 0 }.count) / Double(cosines.count),
                meanMagnitudeSimilarity: similarity.map { s in sampleMean(chosen.map { s[$0] }.filter(\.isFinite)) } ?? .nan,
                meanDirectionalConflict: series.directionalConflict.map { d in
                    sampleMean(chosen.map { d[$0] }.filter(\.isFinite))
                } ?? .nan)
        }
    }
}
