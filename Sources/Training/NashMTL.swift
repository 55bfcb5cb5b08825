import Linalg

/// Nash-MTL: Navon, Shamsian, Achituve, Maron, Kawaguchi, Chechik, Fetaya, "Multi-task learning
/// as a bargaining game" (ICML 2022).
///
/// The Nash bargaining solution: the weights `alpha > 0` solving the bargaining equations
/// ```
/// (G alpha)_t = 1 / alpha_t   for every task t,   direction d = sum_t alpha_t g_t,
/// ```
/// i.e. `g_t . d = 1 / alpha_t`. They are the stationarity conditions of the strictly convex
/// `phi(alpha) = 1/2 alpha^T G alpha - sum_t log alpha_t` (for positive definite G), which is
/// minimised here directly by damped Newton steps (Hessian `G + diag(1/alpha^2)`, backtracking
/// that keeps `alpha > 0` and decreases phi) until `max_t |alpha_t (G alpha)_t - 1| < 1e-10`, at
/// most `maxIterations` steps. The paper instead solves a sequence of convex programs
/// (cvxpy, 20 iterations); both target the same equations.
///
/// Scale: the weights are the raw solution, so `|d|^2 = alpha^T G alpha = T`: the direction
/// always has norm sqrt(T), whatever the gradients' scale (the weights scale as 1/|g|). The
/// authors' code solves with `G / |G|_F` instead (weights larger by sqrt(|G|_F)) and then
/// clips the update's norm to 1; TaskTrace returns the solution of the stated equations and
/// leaves clipping to the optimizer. If G is singular with no positive solution (e.g. two
/// opposite gradients), Newton does not converge; the solver then retries with a ridge
/// `G + eps I`, eps = 1e-10, 1e-8, 1e-6 times max_t G_tt, and returns that solution. All-zero
/// gradients give the mean's weights 1/T (the equations have no solution).
public struct NashMTL: GramianWeighting {
    public let name = "nashmtl"
    /// The Newton iteration cap per attempt.
    public var maxIterations: Int

    public init(maxIterations: Int = 200) {
        self.maxIterations = maxIterations
    }

    public func weights(gramian G: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let count = G.rows
        var scale = 0.0
        for t in 0..<count { scale = max(scale, G[t, t]) }
        guard scale > 0 else { return [Double](repeating: 1 / Double(count), count: count) }
        var last: [Double] = []
        for ridge in [0, 1e-10, 1e-8, 1e-6] {
            var A = G
            for t in 0..<count { A[t, t] += ridge * scale }
            let (alpha, converged) = NashMTL.solveBargaining(A, maxIterations: maxIterations)
            last = alpha
            if converged { return alpha }
        }
        return last
    }

    /// Damped Newton on `phi(alpha) = 1/2 alpha^T A alpha - sum log alpha`; whether
    /// `max_t |alpha_t (A alpha)_t - 1| < 1e-10` was reached.
    static func solveBargaining(_ A: Matrix<Double>, maxIterations: Int) -> ([Double], Bool) {
        let n = A.rows
        func product(_ x: [Double]) -> [Double] {
            (0..<n).map { t in (0..<n).reduce(0.0) { $0 + A[t, $1] * x[$1] } }
        }
        func phi(_ x: [Double]) -> Double {
            let Ax = product(x)
            var value = 0.0
            for t in 0..<n { value += 0.5 * x[t] * Ax[t] - Double.log(x[t]) }
            return value
        }
        var total = 0.0
        for t in 0..<n { for k in 0..<n { total += A[t, k] } }
        var alpha = [Double](repeating: total > 0 ? (Double(n) / total).squareRoot() : 1, count: n)
        for _ in 0..<maxIterations {
            let Aa = product(alpha)
            var residual = 0.0
            for t in 0..<n { residual = max(residual, abs(alpha[t] * Aa[t] - 1)) }
            if residual < 1e-10 { return (alpha, true) }
            var hessian = [Double](repeating: 0, count: n * n)
            var gradient = [Double](repeating: 0, count: n)
            for t in 0..<n {
                for k in 0..<n { hessian[t * n + k] = A[t, k] }
                hessian[t * n + t] += 1 / (alpha[t] * alpha[t])
                gradient[t] = Aa[t] - 1 / alpha[t]
            }
            guard let newton = choleskySolve(hessian, gradient, size: n) else { return (alpha, false) }
            var slope = 0.0
            for t in 0..<n { slope -= gradient[t] * newton[t] }  // directional derivative along -newton
            let current = phi(alpha)
            var stepSize = 1.0
            var accepted = false
            for _ in 0..<60 {
                let candidate = (0..<n).map { alpha[$0] - stepSize * newton[$0] }
                if candidate.allSatisfy({ $0 > 0 }) && phi(candidate) <= current + 1e-4 * stepSize * slope {
                    alpha = candidate
                    accepted = true
                    break
                }
                stepSize *= 0.5
            }
            if !accepted { return (alpha, false) }
        }
        let Aa = product(alpha)
        var residual = 0.0
        for t in 0..<n { residual = max(residual, abs(alpha[t] * Aa[t] - 1)) }
        return (alpha, residual < 1e-10)
    }
}

/// Solves `H x = b` for a symmetric positive definite `H` (row-major `size x size`) by
/// Cholesky; nil if H is not numerically positive definite.
fileprivate func choleskySolve(_ H: [Double], _ b: [Double], size n: Int) -> [Double]? {
    var L = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {
            var sum = H[i * n + j]
            for k in 0..<j { sum -= L[i * n + k] * L[j * n + k] }
            if i == j {
                guard sum > 0, sum.isFinite else { return nil }
                L[i * n + i] = sum.squareRoot()
            } else {
                L[i * n + j] = sum / L[j * n + j]
            }
        }
    }
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
        var sum = b[i]
        for k in 0..<i { sum -= L[i * n + k] * y[k] }
        y[i] = sum / L[i * n + i]
    }
    var x = [Double](repeating: 0, count: n)
    for i in stride(from: n - 1, through: 0, by: -1) {
        var sum = y[i]
        for k in (i + 1)..<n { sum -= L[k * n + i] * x[k] }
        x[i] = sum / L[i * n + i]
    }
    return x
}
