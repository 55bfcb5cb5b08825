import Linalg

/// The mean of the task gradients, `d = (1/T) sum_t g_t`: equal-weight linear scalarization,
/// the baseline of Xin et al. (NeurIPS 2022), "Do current multi-task optimization methods in
/// deep learning even help?". Weights `w_t = 1/T`, so the direction has the scale of one task's
/// gradient (not of their sum). It equals `LinearScalarization(weights: [1/T, ...])`.
public struct Mean: GramianWeighting {
    public let name = "mean"

    public init() {}

    public func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let count = gramian.rows
        return [Double](repeating: 1 / Double(count), count: count)
    }
}
