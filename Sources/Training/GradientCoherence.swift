/// The coherence of m vectors: their mean pairwise cosine, `(1 / (m (m − 1))) Σ_{a≠c} u_a · u_c`
/// with `u_a` the unit vectors: a cosine form of gradient coherence (cf. Chatterjee 2020,
/// "Coherent Gradients"; Fort et al. 2019, "Stiffness"), one of the trajectory factors of
/// Mueller, Dredze and Andrews (TMLR 2024). The probe applies it to a task's microbatch gradients.
///
/// Computed from the sum of the unit vectors alone, without storing them:
/// `Σ_{a≠c} u_a · u_c = |Σ_a u_a|² − Σ_a |u_a|²`. It is 1 when all vectors point the same way
/// and about 0 (of order 1/m) for independent noise; its least value is −1/(m − 1). A zero
/// vector has no direction: its unit vector is taken as zero (cosine 0 with every other), but
/// it still counts among the m.
///
/// - Parameters:
///   - squaredNormOfUnitSum: `|Σ_a u_a|²`.
///   - nonzeroCount: how many of the vectors are nonzero (`Σ_a |u_a|²`).
///   - count: m, at least 2.
func coherence(squaredNormOfUnitSum: Double, nonzeroCount: Int, count: Int) -> Double {
    precondition(count >= 2, "coherence needs at least two vectors")
    let m = Double(count)
    return (squaredNormOfUnitSum - Double(nonzeroCount)) / (m * (m - 1))
}
