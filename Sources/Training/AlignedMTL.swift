import Linalg

/// Aligned-MTL: Senushkin, Patakin, Kuznetsov, Konushin, "Independent component alignment for
/// multi-task learning", CVPR 2023.
///
/// With the task gradients over the shared parameters as the columns of `G_paper = J^T` and the
/// Gramian `M = J J^T = V diag(lambda) V^T`, the balance transformation
/// `B = sqrt(lambda_min) V diag(1 / sqrt(lambda)) V^T` makes the aligned gradient matrix
/// `J^T B` have all its (nonzero) singular values equal to `sqrt(lambda_min)`, condition number 1:
/// `(J^T B)^T (J^T B) = B M B = lambda_min I` on the range of `M`. The update is the aligned
/// matrix applied to the task weights `omega`: `J^T (B omega)`, so the effective weights are
/// `w = B omega`.
///
/// Scale: the task weights default to equal weights `1/T` (TorchJD's default preference;
/// LibMTL sums, `omega = 1`, which is T times this), and the aligned singular values are
/// `sqrt(lambda_min)`, the smallest nonzero singular value of `J`: for orthogonal gradients of
/// equal norm `B = I` and the direction is the plain mean of the task gradients.
///
/// Zero eigenvalues: as in the authors' code, eigenvalues at or below
/// `lambda_max * T * epsilon` (linearly dependent task gradients) are dropped together with
/// their eigenvectors, so `B` is built on the range of `M` and `lambda_min` is the smallest
/// kept eigenvalue; the part of `omega` in the null space of `M` is discarded. When all
/// eigenvalues are dropped (zero shared gradients) or the decomposition fails, the task
/// weights are returned unchanged.
public struct AlignedMTL: GramianWeighting {
    public let name = "alignedmtl"
    /// The task weights `omega` the aligned matrix is applied to; nil means equal weights 1/T.
    public var taskWeights: [Double]?

    public init(taskWeights: [Double]? = nil) { self.taskWeights = taskWeights }

    public func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let taskCount = gramian.rows
        let omega = taskWeights ?? [Double](repeating: 1 / Double(taskCount), count: taskCount)
        precondition(omega.count == taskCount, "\(omega.count) task weights for \(taskCount) tasks")
        guard taskCount > 0, let eigen = try? SymmetricEigen(gramian) else { return omega }
        let largest = eigen.values.last ?? 0
        let tolerance = largest * Double(taskCount) * Double.ulpOfOne
        let kept = (0..<taskCount).filter { eigen.values[$0] > tolerance && eigen.values[$0] > 0 }
        guard let smallest = kept.map({ eigen.values[$0] }).min() else { return omega }
        let rootSmallest = smallest.squareRoot()
        // w = B omega = sqrt(lambda_min) sum_k v_k (v_k . omega) / sqrt(lambda_k).
        var w = [Double](repeating: 0, count: taskCount)
        for k in kept {
            var projection = 0.0
            for t in 0..<taskCount { projection += eigen.vectors[t, k] * omega[t] }
            let scale = rootSmallest / eigen.values[k].squareRoot() * projection
            for t in 0..<taskCount { w[t] += scale * eigen.vectors[t, k] }
        }
        return w
    }
}
