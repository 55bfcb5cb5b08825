import Linalg

/// PCGrad, "projecting conflicting gradients": Yu, Kumar, Gupta, Levine, Hausman, Finn,
/// "Gradient surgery for multi-task learning" (NeurIPS 2020), Algorithm 1.
///
/// For each task i, `g_i' = g_i`; then for each other task j, in a random order drawn from the
/// run's generator (a fresh order per task i, as in the authors' code), if `g_i' . g_j < 0`:
/// ```
/// g_i' <- g_i' - (g_i' . g_j / |g_j|^2) g_j
/// ```
/// The direction is the sum `d = sum_i g_i'` (the paper sums; it is not divided by T, so with
/// no conflicts PCGrad is the sum of the task gradients, T times the mean).
///
/// Everything is computed in Gramian space: each `g_i'` is held as its T coefficients `c_i` on
/// the task gradients, and `g_i' . g_j = (c_i^T G)_j`; the effective weights are `sum_i c_i`.
/// The dot products are over the shared parameters only (the Gramian's); a task's head
/// gradient is untouched by the other tasks, whose heads it does not share. A task with a zero
/// gradient is never projected onto. PCGrad has no hyperparameters.
public struct PCGrad: GramianWeighting {
    public let name = "pcgrad"

    public init() {}

    public func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let count = gramian.rows
        var total = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var c = [Double](repeating: 0, count: count)
            c[i] = 1
            for j in generator.permutation(count) where j != i {
                let normSquared = gramian[j, j]
                guard normSquared > 0 else { continue }
                var dot = 0.0
                for k in 0..<count { dot += c[k] * gramian[k, j] }
                if dot < 0 { c[j] -= dot / normSquared }
            }
            for k in 0..<count { total[k] += c[k] }
        }
        return total
    }
}
