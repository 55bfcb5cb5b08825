import Linalg

/// UPGrad, the unconflicting projection of gradients: Quinton, Rey, "Jacobian descent for
/// multi-objective optimization", 2024 (the TorchJD library).
///
/// Each task gradient `g_i` is projected onto the dual cone of the task gradients,
/// `{x : g_t . x >= 0 for all t}`, and the projections are averaged. The projection of
/// `J^T u` onto the cone, `argmin_{J x >= 0} |x - J^T u|^2`, is by duality `J^T (u + v*)` with
///
///     v* = argmin_{v >= 0} (1/2) (u + v)^T G (u + v) = argmin_{v >= 0} (1/2) v^T G v + (G u)^T v,
///
/// whose optimality conditions (`G (u + v*) >= 0`, `v* >= 0`, `v*_t (G (u + v*))_t = 0`) say that
/// the projection has a non-negative dot product with every task gradient and moves only along
/// the gradients it is orthogonal to. With `u = e_i` the weights are the mean
/// `w = (1/T) sum_i (e_i + v_i*)` (TorchJD's default, equal preference `1/T`). Scale: with no
/// conflict `v* = 0` and the direction is the mean of the task gradients.
///
/// The non-negative quadratic programs are solved by an active-set method (Lawson–Hanson in
/// normal-equation form, on `G` scaled by its largest diagonal entry, subproblems by a
/// pseudo-inverse), then polished by exact coordinate descent; the optimality conditions hold
/// to about 1e-12 relative to the largest squared gradient norm. TorchJD adds a small ridge
/// (1e-4 after normalising `G`) for its QP solver; this solver handles a singular `G` directly,
/// so no ridge is added. When `G` is singular `v*` need not be unique; the projection is.
public struct UPGrad: GramianWeighting {
    public let name = "upgrad"

    public init() {}

    public func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let taskCount = gramian.rows
        var w = [Double](repeating: 0, count: taskCount)
        for row in projections(gramian: gramian) {
            for t in 0..<taskCount { w[t] += row[t] / Double(taskCount) }
        }
        return w
    }

    /// Row i: the coefficients `e_i + v_i*` of task i's projection onto the dual cone,
    /// `J^T (e_i + v_i*)`.
    public func projections(gramian g: Matrix<Double>) -> [[Double]] {
        let taskCount = g.rows
        return (0..<taskCount).map { i in
            let q = (0..<taskCount).map { g[$0, i] }
            var coefficients = nonNegativeQuadratic(g, linear: q)
            coefficients[i] += 1
            return coefficients
        }
    }
}

/// `argmin_{v >= 0} (1/2) v^T G v + q^T v` for a small symmetric positive semidefinite `G`.
private func nonNegativeQuadratic(_ gramian: Matrix<Double>, linear: [Double]) -> [Double] {
    let n = gramian.rows
    let scale = (0..<n).map { gramian[$0, $0] }.max() ?? 0
    guard n > 0, scale > 0, scale.isFinite else { return [Double](repeating: 0, count: n) }
    var g = gramian
    for k in 0..<g.storage.count { g.storage[k] /= scale }
    let q = linear.map { $0 / scale }
    let tolerance = 1e-12

    func residual(_ v: [Double]) -> [Double] {
        (0..<n).map { r in (0..<n).reduce(q[r]) { $0 + g[r, $1] * v[$1] } }
    }
    /// Minimum-norm solution of `G_PP z = -q_P` on the passive set, zero elsewhere.
    func solve(_ passive: [Int]) -> [Double]? {
        let m = passive.count
        var sub = Matrix<Double>(rows: m, columns: m)
        for a in 0..<m { for b in 0..<m { sub[a, b] = g[passive[a], passive[b]] } }
        guard let eigen = try? SymmetricEigen(sub) else { return nil }
        let cutoff = max(eigen.values.last ?? 0, 0) * Double(m) * 1e-13
        var z = [Double](repeating: 0, count: n)
        for k in 0..<m where eigen.values[k] > cutoff {
            var projection = 0.0
            for a in 0..<m { projection -= eigen.vectors[a, k] * q[passive[a]] }
            projection /= eigen.values[k]
            for a in 0..<m { z[passive[a]] += projection * eigen.vectors[a, k] }
        }
        return z
    }

    // Lawson–Hanson active set.
    var v = [Double](repeating: 0, count: n)
    var passive: [Int] = []
    var blocked = Set<Int>()
    outer: for _ in 0..<(3 * n + 30) {
        let r = residual(v)
        guard let entering = (0..<n).filter({ !passive.contains($0) && !blocked.contains($0) && -r[$0] > tolerance })
            .max(by: { -r[$0] < -r[$1] }) else { break }
        passive.append(entering)
        for _ in 0..<(n + 5) {
            guard let z = solve(passive) else { break outer }
            let infeasible = passive.filter { z[$0] <= 0 }
            if infeasible.isEmpty {
                v = z
                blocked.removeAll()
                continue outer
            }
            let alpha = infeasible.map { v[$0] / (v[$0] - z[$0]) }.min() ?? 0
            for k in passive { v[k] += alpha * (z[k] - v[k]) }
            let leaving = passive.filter { v[$0] <= tolerance }
            for k in leaving { v[k] = 0 }
            passive.removeAll { leaving.contains($0) }
            if alpha == 0, leaving.contains(entering) {
                // Numerically degenerate entry: skip this coordinate until progress is made.
                blocked.insert(entering)
                continue outer
            }
        }
    }
    // Polish: exact coordinate descent sweeps (only decrease the objective).
    for _ in 0..<200 {
        var change = 0.0
        for k in 0..<n where g[k, k] > 0 {
            let gradient = (0..<n).reduce(q[k]) { $0 + g[k, $1] * v[$1] }
            let updated = max(0, v[k] - gradient / g[k, k])
            change = max(change, abs(updated - v[k]))
            v[k] = updated
        }
        if change <= 1e-15 { break }
    }
    return v
}
