import Linalg

/// IMTL-G, the gradient part of impartial multi-task learning: Liu, Li, Kuang, Xue, Chen, Yang,
/// Liao, Zhang, "Towards impartial multi-task learning" (ICLR 2021).
///
/// With unit gradients `u_t = g_t / |g_t|` and the `(T-1) x P` row stacks
/// `D = [g_1 - g_2; ...; g_1 - g_T]`, `U = [u_1 - u_2; ...; u_1 - u_T]`, the paper's closed form is
/// ```
/// alpha_{2..T} = g_1 U^T (D U^T)^{-1},    alpha_1 = 1 - sum_{t >= 2} alpha_t,
/// d = sum_t alpha_t g_t,
/// ```
/// the direction whose projections onto every unit task gradient are equal (`d . u_t` the same
/// for all t), with weights summing to 1 (the paper's scale; the weights may be negative).
///
/// In Gramian space `g_a . u_b = G_ab / sqrt(G_bb)`, so `(D U^T)` and `g_1 U^T` come from `G`
/// alone; the `(T-1) x (T-1)` system is solved by Gaussian elimination with partial pivoting.
/// IMTL-G has no hyperparameters. If a task gradient is zero, or the system is singular (two
/// parallel task gradients), the weights fall back to the mean's, 1/T.
public struct IMTLG: GramianWeighting {
    public let name = "imtlg"

    public init() {}

    public func weights(gramian G: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let count = G.rows
        let mean = [Double](repeating: 1 / Double(count), count: count)
        if count == 1 { return [1] }
        var norms = [Double](repeating: 0, count: count)
        var scale = 0.0
        for t in 0..<count {
            norms[t] = max(G[t, t], 0).squareRoot()
            scale = max(scale, G[t, t])
        }
        guard norms.allSatisfy({ $0 > 1e-12 * scale.squareRoot() && $0 > 0 }) else { return mean }
        // P_ab = g_a . u_b.
        func p(_ a: Int, _ b: Int) -> Double { G[a, b] / norms[b] }
        let n = count - 1
        // M = D U^T: M_ij = (g_1 - g_i) . (u_1 - u_j); r = g_1 U^T: r_j = g_1 . (u_1 - u_j).
        // alpha M = r, i.e. M^T alpha^T = r.
        var system = [Double](repeating: 0, count: n * n)  // M^T, row-major
        var rhs = [Double](repeating: 0, count: n)
        for i in 1...n {
            for j in 1...n {
                let m = p(0, 0) - p(0, j) - p(i, 0) + p(i, j)
                system[(j - 1) * n + (i - 1)] = m
            }
            rhs[i - 1] = p(0, 0) - p(0, i)
        }
        guard let alpha = solveLinearSystem(system, rhs, size: n) else { return mean }
        return [1 - alpha.reduce(0, +)] + alpha
    }
}

/// Solves `A x = b` (A row-major `size x size`) by Gaussian elimination with partial pivoting;
/// nil if a pivot is negligible relative to the largest entry of A.
fileprivate func solveLinearSystem(_ matrix: [Double], _ rhs: [Double], size n: Int) -> [Double]? {
    var a = matrix, b = rhs
    let largest = a.map(abs).max() ?? 0
    guard largest > 0 else { return nil }
    for column in 0..<n {
        var pivot = column
        for row in column..<n where abs(a[row * n + column]) > abs(a[pivot * n + column]) { pivot = row }
        guard abs(a[pivot * n + column]) > 1e-13 * largest else { return nil }
        if pivot != column {
            for k in 0..<n { a.swapAt(column * n + k, pivot * n + k) }
            b.swapAt(column, pivot)
        }
        for row in (column + 1)..<n {
            let factor = a[row * n + column] / a[column * n + column]
            if factor == 0 { continue }
            for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
            b[row] -= factor * b[column]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
        var sum = b[row]
        for k in (row + 1)..<n { sum -= a[row * n + k] * x[k] }
        x[row] = sum / a[row * n + row]
    }
    return x
}
