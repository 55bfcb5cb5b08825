import Linalg

/// MGDA: Sener & Koltun, "Multi-task learning as multi-objective optimization" (NeurIPS 2018),
/// the multiple-gradient descent algorithm (Désidéri 2012) with the paper's min-norm solver.
///
/// The direction is the minimum-norm point of the convex hull of the task gradients,
/// ```
/// w = argmin_{w in simplex} w^T G w,    d = J^T w = sum_t w_t g_t,
/// ```
/// so the weights sum to 1 and `d` has the scale of a convex combination of the gradients (it
/// is 0 exactly when 0 is in the hull, i.e. at a Pareto-stationary point). Optimality (KKT):
/// `g_t . d >= |d|^2` for every t, with equality where `w_t > 0`.
///
/// The paper's "MGDA-UB" applies the solver to the gradients of the losses with respect to the
/// shared representation (an upper bound that saves backward passes); TaskTrace applies it to
/// the task gradients over the shared parameters themselves (the Gramian `G`), which is the
/// exact MGDA problem. The paper also normalises the gradients (by norm, loss or loss + norm)
/// as an option; this implementation uses the raw gradients (the paper's "none" setting).
///
/// Solver: T = 2 in closed form (the paper's Algorithm 1 line search):
/// `w_1 = clamp((G_22 - G_12) / (G_11 + G_22 - 2 G_12), 0, 1)`. T > 2: pairwise Frank-Wolfe
/// with exact line search (mass moves from the support task with the largest `(Gw)_t` to the
/// task with the smallest, SMO style), which converges linearly on the simplex, run until the
/// KKT gap `max_{w_t > 0} (Gw)_t - min_t (Gw)_t` is below `1e-14 * max_t G_tt` or for at most
/// `maxIterations` steps. All-zero gradients give equal weights.
public struct MGDAUpperBound: GramianWeighting {
    public let name = "mgda"
    /// The iteration cap of the solver for T > 2.
    public var maxIterations: Int

    public init(maxIterations: Int = 100_000) {
        self.maxIterations = maxIterations
    }

    public func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        MGDAUpperBound.minNormWeights(gramian, maxIterations: maxIterations)
    }

    /// `argmin_{w in simplex} w^T G w` for a positive semidefinite `G` (T x T).
    public static func minNormWeights(_ G: Matrix<Double>, maxIterations: Int = 100_000) -> [Double] {
        let count = G.rows
        precondition(count > 0 && G.columns == count, "min-norm weights need a square, non-empty Gramian")
        if count == 1 { return [1] }
        var scale = 0.0
        for t in 0..<count { scale = max(scale, G[t, t]) }
        guard scale > 0 else { return [Double](repeating: 1 / Double(count), count: count) }
        if count == 2 {
            let curvature = G[0, 0] + G[1, 1] - 2 * G[0, 1]
            guard curvature > 1e-15 * scale else { return [0.5, 0.5] }  // equal gradients
            let w0 = min(max((G[1, 1] - G[0, 1]) / curvature, 0), 1)
            return [w0, 1 - w0]
        }
        var w = [Double](repeating: 1 / Double(count), count: count)
        var Gw = [Double](repeating: 0, count: count)
        let tolerance = 1e-14 * scale
        for _ in 0..<maxIterations {
            Gw = matrixVectorProduct(G, w)
            var s = 0, v = -1
            for t in 0..<count {
                if Gw[t] < Gw[s] { s = t }
                if w[t] > 0 && (v < 0 || Gw[t] > Gw[v]) { v = t }
            }
            let gap = Gw[v] - Gw[s]
            if gap <= tolerance { break }
            // f(w + gamma (e_s - e_v)) = f(w) - 2 gamma gap + gamma^2 curvature.
            let curvature = G[s, s] + G[v, v] - 2 * G[s, v]
            var gamma = w[v]
            if curvature > 0 { gamma = min(gap / curvature, w[v]) }
            if gamma >= w[v] {
                w[s] += w[v]
                w[v] = 0
            } else {
                w[s] += gamma
                w[v] -= gamma
            }
        }
        return w
    }
}
