import Linalg

/// Random loss weighting (RLW): Lin, Ye, Xu, Shi, Zhang, Kwok, "Reasonable effectiveness of
/// random weighting: a litmus test for multi-task learning", TMLR 2022.
///
/// Each step draws `z_t ~ N(0, 1)` independently for the T tasks from the run's generator and
/// weights the task gradients by `w = softmax(z)`, `w_t = exp(z_t) / sum_s exp(z_s)`: the
/// direction is `sum_t w_t g_t`. Scale: the weights are positive and sum to 1 (the scale of the
/// mean of the task gradients). The paper's default sampling distribution is the standard
/// normal, the only one offered here; the weights ignore the Gramian and the losses.
public struct RandomLossWeighting: GramianWeighting {
    public let name = "rlw"

    public init() {}

    public func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let taskCount = gramian.rows
        let draws = (0..<taskCount).map { _ in generator.normal() }
        // Softmax, shifted by the maximum for numerical safety.
        let shift = draws.max() ?? 0
        let exponentials = draws.map { Double.exp($0 - shift) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
