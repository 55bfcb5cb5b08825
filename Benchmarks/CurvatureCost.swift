import Linalg
import Nets

/// A fixed unit direction in parameter space (`count` scalars), the `v` of the timed HVPs.
func unitDirection(count: Int, seed: UInt64) -> [Float] {
    var generator = RandomGenerator(seed: seed)
    var direction = (0..<count).map { _ in Float(generator.normal()) }
    scale(&direction, by: 1 / norm(direction))
    return direction
}

/// Wall times of one gradient of the total loss `sum_t L_t / T` from scratch: one forward
/// and one backward pass (the plain scalarized gradient).
func gradientSeconds(_ bench: BenchmarkModel, budget: Double) -> [Double] {
    var checksum: Float = 0
    let times = timedSeconds(budget: budget) {
        checksum += bench.model.weightedGradient(inputs: bench.inputs, targets: bench.targets,
                                                 weights: bench.equalWeights).gradient[0]
    }
    precondition(checksum.isFinite, "the gradient of \(bench.name) is not finite")
    return times
}

/// Wall times of one exact Hessian-vector product of the total loss from scratch: the
/// forward pass and output gradients (`HessianVectorProduct.init`), then one forward R-pass
/// and one backward R-pass (`apply`).
func hessianVectorProductSeconds(_ bench: BenchmarkModel, budget: Double) -> [Double] {
    let direction = unitDirection(count: bench.model.layout.count, seed: 4)
    var checksum: Float = 0
    let times = timedSeconds(budget: budget) {
        let product = HessianVectorProduct(model: bench.model, inputs: bench.inputs, targets: bench.targets,
                                           weights: bench.equalWeights)
        checksum += product.apply(direction)[0]
    }
    precondition(checksum.isFinite, "the HVP of \(bench.name) is not finite")
    return times
}

/// Wall times of the top Hessian eigenvalue of the total loss by exactly `steps` Lanczos
/// steps (a negative tolerance: no early stop, even where the estimate has converged to the
/// last bit), forward pass included. One warm-up run: the HVP row
/// before it has warmed the same code.
func topEigenvalueSeconds(_ bench: BenchmarkModel, steps: Int, budget: Double) -> [Double] {
    var iterations: [Int] = []
    let times = timedSeconds(budget: budget, minimum: 5, warmup: 1) {
        let product = HessianVectorProduct(model: bench.model, inputs: bench.inputs, targets: bench.targets,
                                           weights: bench.equalWeights)
        let estimate = topEigenvalueByLanczos(dimension: bench.model.layout.count, tolerance: -1,
                                              maxIterations: steps, seed: 5, product: product.apply)
        iterations.append(estimate.iterations)
    }
    precondition(iterations.allSatisfy { $0 == steps }, "Lanczos on \(bench.name) stopped before \(steps) steps: \(iterations)")
    return times
}
