/// The gradient-conflict rows of one run for one pair of tasks (i, j), usually from the
/// probe's big-batch gradients (`/probe/cosine`, `/probe/gramian`,
/// `/probe/directional_conflict`; DESIGN.md, "Conflict between tasks").
public struct ConflictSeries: Sendable, Equatable {
    /// Steps of the rows, `[K]`.
    public let steps: [Double]
    /// `cos(g_i, g_j)` over the shared parameters per row, `[K]`.
    public let cosines: [Double]
    /// `G_ii = |g_i|^2` per row, `[K]`, if given.
    public let gramianII: [Double]?
    /// `G_jj = |g_j|^2` per row, `[K]`, if given.
    public let gramianJJ: [Double]?
    /// Directional conflict `|mean of the unit task gradients|` per row, `[K]`, if given (a
    /// property of all tasks of the run at that row, not of the pair).
    public let directionalConflict: [Double]?

    /// `gramianII` and `gramianJJ` come together or not at all; every array given has `K` rows.
    public init(steps: [Double], cosines: [Double], gramianII: [Double]? = nil, gramianJJ: [Double]? = nil,
                directionalConflict: [Double]? = nil) {
        precondition(cosines.count == steps.count, "\(cosines.count) cosines for \(steps.count) steps")
        precondition((gramianII == nil) == (gramianJJ == nil), "G_ii and G_jj come together")
        precondition(gramianII.map { $0.count == steps.count } ?? true, "G_ii needs one entry per step")
        precondition(gramianJJ.map { $0.count == steps.count } ?? true, "G_jj needs one entry per step")
        precondition(directionalConflict.map { $0.count == steps.count } ?? true,
                     "directional conflict needs one entry per step")
        self.steps = steps
        self.cosines = cosines
        self.gramianII = gramianII
        self.gramianJJ = gramianJJ
        self.directionalConflict = directionalConflict
    }
}

/// Magnitude similarity of two gradients from their squared norms:
/// `2 |g_i| |g_j| / (|g_i|^2 + |g_j|^2) = 2 sqrt(G_ii G_jj) / (G_ii + G_jj)`, in [0, 1], 1 for
/// equal norms. NaN when undefined: both norms zero, or a squared norm negative or not finite.
public func magnitudeSimilarity(gramianII a: Double, gramianJJ b: Double) -> Double {
    guard a.isFinite, b.isFinite, a >= 0, b >= 0, a + b > 0 else { return .nan }
    return 2 * a.squareRoot() * b.squareRoot() / (a + b)
}
