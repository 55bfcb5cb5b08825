import Linalg

/// CAGrad: Liu, Liu, Jin, Stone, Liu, "Conflict-averse gradient descent for multi-task
/// learning" (NeurIPS 2021).
///
/// The direction maximises the worst task's improvement within a ball around the mean gradient
/// `g0 = (1/T) sum_t g_t`: `max_d min_t g_t . d` subject to `|d - g0| <= c |g0|`. Its dual
/// (the paper's Eq. 5), with `phi = c^2 |g0|^2` and `g_w = sum_t w_t g_t`, is
/// ```
/// w = argmin_{w in simplex} g_w . g0 + sqrt(phi) |g_w|,
/// d = g0 + (sqrt(phi) / |g_w|) g_w,
/// ```
/// and the paper (and its code, `rescale = 1`) divides the update by `1 + c^2`:
/// `direction = d / (1 + c^2)`. So the returned direction has the scale of the mean gradient
/// (effective weights `(1/T + (sqrt(phi)/|g_w|) w_t) / (1 + c^2)`, summing to
/// `(1 + c |g0| / |g_w|) / (1 + c^2)`), and `(1 + c^2) direction` is the paper's `d`, which
/// satisfies `|d - g0| = c |g0|`. With `c = 0` it is the mean. Default `c = 0.5` (the default
/// of the authors' implementation as packaged in LibMTL, `calpha = 0.5`, `rescale = 1`).
///
/// Everything is in Gramian space: `g_w . g0 = w^T G 1/T`, `|g_w|^2 = w^T G w`. The convex dual
/// is solved by pairwise Frank-Wolfe steps on the simplex (mass moves from the support task
/// with the largest partial derivative to the task with the smallest, with an exact line
/// search by bisection on the directional derivative) until the Frank-Wolfe gap is below
/// `1e-12 * max_t G_tt` or `maxIterations` steps. If `g0 = 0` (or all gradients vanish) the
/// direction is the mean (zero); if the dual's `g_w` vanishes it falls back to the mean too.
public struct CAGrad: GramianWeighting {
    public let name = "cagrad"
    /// The radius c of the ball around the mean gradient, relative to `|g0|`.
    public var c: Double
    /// The iteration cap of the dual solver.
    public var maxIterations: Int

    public init(c: Double = 0.5, maxIterations: Int = 20_000) {
        precondition(c >= 0, "CAGrad's c must be nonnegative")
        self.c = c
        self.maxIterations = maxIterations
    }

    public func weights(gramian G: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let count = G.rows
        let mean = [Double](repeating: 1 / Double(count), count: count)
        var scale = 0.0
        for t in 0..<count { scale = max(scale, G[t, t]) }
        // b = G 1/T: b_t = g_t . g0.
        var b = [Double](repeating: 0, count: count)
        for t in 0..<count { for k in 0..<count { b[t] += G[t, k] / Double(count) } }
        var g0Squared = 0.0
        for t in 0..<count { g0Squared += b[t] / Double(count) }
        guard c > 0, scale > 0, g0Squared > 1e-14 * scale else { return mean }
        let radius = c * g0Squared.squareRoot()  // sqrt(phi)

        var w = mean
        var Gw = b
        var q = g0Squared  // w^T G w
        let tolerance = 1e-12 * scale
        for _ in 0..<maxIterations {
            Gw = matrixVectorProduct(G, w)
            q = 0
            for t in 0..<count { q += w[t] * Gw[t] }
            guard q > 0 else { break }
            let norm = q.squareRoot()
            // Partial derivatives of f(w) = b . w + radius sqrt(w^T G w).
            var gradient = [Double](repeating: 0, count: count)
            for t in 0..<count { gradient[t] = b[t] + radius * Gw[t] / norm }
            var s = 0, v = -1
            for t in 0..<count {
                if gradient[t] < gradient[s] { s = t }
                if w[t] > 0 && (v < 0 || gradient[t] > gradient[v]) { v = t }
            }
            var fwGap = 0.0
            for t in 0..<count { fwGap += gradient[t] * w[t] }
            fwGap -= gradient[s]
            if fwGap <= tolerance || s == v { break }
            // Along w + gamma (e_s - e_v), gamma in [0, w_v]:
            // f = f(w) + gamma (b_s - b_v) + radius sqrt(q + 2 gamma l + gamma^2 a).
            let slope = b[s] - b[v]
            let l = Gw[s] - Gw[v]
            let a = G[s, s] + G[v, v] - 2 * G[s, v]
            func derivative(_ gamma: Double) -> Double {
                let quadratic = max(q + 2 * gamma * l + gamma * gamma * a, 1e-300)
                return slope + radius * (l + gamma * a) / quadratic.squareRoot()
            }
            var gamma: Double
            if derivative(w[v]) <= 0 {
                gamma = w[v]
            } else {
                var low = 0.0, high = w[v]
                for _ in 0..<80 {
                    let middle = 0.5 * (low + high)
                    if derivative(middle) > 0 { high = middle } else { low = middle }
                }
                gamma = 0.5 * (low + high)
            }
            if gamma >= w[v] {
                w[s] += w[v]
                w[v] = 0
            } else {
                w[s] += gamma
                w[v] -= gamma
            }
        }
        q = 0
        for t in 0..<count { for k in 0..<count { q += w[t] * G[t, k] * w[k] } }
        guard q > 1e-24 * scale else { return mean }
        let lambda = radius / q.squareRoot()
        let rescale = 1 + c * c
        return (0..<count).map { (1 / Double(count) + lambda * w[$0]) / rescale }
    }
}
