import Linalg

/// Directional conflict (Mueller, Dredze and Andrews, TMLR 2024): the norm of the mean of the
/// tasks' unit gradients, `|(1/T) Σ_t g_t / |g_t||`, from the T x T cosine matrix of the
/// gradients, since `|Σ_t u_t|² = Σ_{i,j} cos(g_i, g_j)`.
///
/// In [0, 1]: 1 when every task gradient points the same way (and for T = 1), 1/√T for
/// mutually orthogonal ones, 0 when they cancel. A zero gradient contributes a zero unit vector.
func directionalConflict(cosines: Matrix<Double>) -> Double {
    precondition(cosines.rows == cosines.columns && cosines.rows > 0, "a square cosine matrix of at least one task")
    let total = cosines.storage.reduce(0, +)
    return max(0, total).squareRoot() / Double(cosines.rows)
}
