import Linalg

/// Gradient Vaccine (GradVac): Wang, Tsvetkov, Firat, Cao, "Gradient vaccine: investigating and
/// improving multi-task optimization in massively multilingual models", ICLR 2021.
///
/// GradVac keeps, for every ordered pair of tasks (i, j), a target cosine `phi_ij`: an
/// exponential moving average of the observed cosine, `phi_ij <- (1 - beta) phi_ij + beta cos`,
/// starting at 0 (the paper's default `beta = 0.01`). Each step, for each task i, starting from
/// `g_i' = g_i` and visiting the other tasks j in a random order (from the run's generator), if
/// `cos = cos(g_i', g_j) < phi_ij` it moves `g_i'` so that its cosine with `g_j` becomes exactly
/// `phi_ij`:
///
///     g_i' += |g_i'| (phi_ij sqrt(1 - cos^2) - cos sqrt(1 - phi_ij^2)) / (|g_j| sqrt(1 - phi_ij^2)) g_j
///
/// and then updates `phi_ij` with the cosine observed before the correction. The direction is
/// the sum `sum_i g_i'` (the paper's and LibMTL's scale: with no correction it is the sum of the
/// task gradients, T times their mean).
///
/// Gramian space: each `g_i'` is kept as coefficients `c_i` over the task gradients,
/// `g_i' = J^T c_i`, so `g_i' . g_j = (G c_i)_j` and `|g_i'|^2 = c_i^T G c_i`; the weights are
/// `sum_i c_i`. The cosines are over all the shared parameters at once (the paper also applies
/// it per layer; TaskTrace treats the shared trunk as one block).
///
/// Degenerate cases: a pair where `g_i'` or `g_j` is zero on the shared parameters is skipped
/// (no correction, `phi_ij` unchanged); a target `|phi_ij| >= 1` makes no correction (the
/// formula divides by `sqrt(1 - phi^2)`) but its average is still updated.
///
/// Stateful: `targets` (T x T, `targets[i][j] = phi_ij`, diagonal unused) lives in the value so a
/// checkpoint can store it; it is empty until the first step sizes it to zeros.
public struct GradVac: GramianWeighting {
    public let name = "gradvac"
    /// The moving-average rate beta of the target cosines.
    public var beta: Double
    /// The target cosines `phi_ij`, T x T; empty before the first step.
    public var targets: [[Double]]

    public init(beta: Double = 0.01, targets: [[Double]] = []) {
        self.beta = beta
        self.targets = targets
    }

    public mutating func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let coefficients = corrections(gramian: gramian, generator: &generator)
        let taskCount = gramian.rows
        return (0..<taskCount).map { t in coefficients.reduce(0) { $0 + $1[t] } }
    }

    /// One GradVac step: the coefficients `c_i` (row i) of each corrected gradient
    /// `g_i' = J^T c_i`, updating `targets`.
    public mutating func corrections(gramian g: Matrix<Double>, generator: inout RandomGenerator) -> [[Double]] {
        let taskCount = g.rows
        if targets.count != taskCount || targets.contains(where: { $0.count != taskCount }) {
            targets = [[Double]](repeating: [Double](repeating: 0, count: taskCount), count: taskCount)
        }
        var result: [[Double]] = []
        for i in 0..<taskCount {
            var c = [Double](repeating: 0, count: taskCount)
            c[i] = 1
            for j in generator.permutation(taskCount) where j != i {
                // g_i' . g_t for every t, then the norms.
                var product = 0.0, squaredNorm = 0.0
                for t in 0..<taskCount {
                    product += g[t, j] * c[t]
                    var row = 0.0
                    for s in 0..<taskCount { row += g[t, s] * c[s] }
                    squaredNorm += c[t] * row
                }
                let normI = max(squaredNorm, 0).squareRoot(), normJ = max(g[j, j], 0).squareRoot()
                guard normI > 0, normJ > 0 else { continue }
                let cosine = min(1, max(-1, product / (normI * normJ)))
                let phi = targets[i][j]
                if cosine < phi, abs(phi) < 1 {
                    let rootPhi = (1 - phi * phi).squareRoot()
                    let rootCos = max(0, 1 - cosine * cosine).squareRoot()
                    c[j] += normI * (phi * rootCos - cosine * rootPhi) / (normJ * rootPhi)
                }
                targets[i][j] = (1 - beta) * phi + beta * cosine
            }
            result.append(c)
        }
        return result
    }
}

extension GradVac {
    /// The target cosines phi_ij, row by row (T x T), for checkpoints.
    public var state: [Double] {
        get { targets.flatMap { $0 } }
        set {
            let t = Int(Double(newValue.count).squareRoot())
            precondition(t * t == newValue.count, "GradVac state must be T x T target cosines")
            targets = (0..<t).map { Array(newValue[($0 * t)..<(($0 + 1) * t)]) }
        }
    }
}
