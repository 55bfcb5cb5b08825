import Foundation
import Linalg
import Testing
import Training

@Suite struct UncertaintyWeightingTests {
    let j = Matrix<Double>([[1, 2, 0], [0, 1, 3]])

    @Test func firstStepWeightsAreOneAndLogVariancesTakeOneSGDStep() {
        let lr = 0.1
        var aggregator = UncertaintyWeighting(taskCount: 2, learningRate: lr)
        #expect(aggregator.name == "uncertainty")
        #expect(aggregator.state == [0, 0])
        var generator = RandomGenerator(seed: 1)
        let input = AggregationInput(gradients: j, sharedCount: 2, losses: [2, 0.5], step: 0)
        let first = aggregator.aggregate(input, generator: &generator)
        expectClose(first.weights, [1, 1], tolerance: 0)
        expectClose(first.direction, [1, 3, 3], tolerance: 0)
        // ds_t = -exp(-s_t) L_t + 1 at s = 0.
        #expect(aggregator.state == [0 - lr * (-2 + 1), 0 - lr * (-0.5 + 1)])
        // The next weights are exp(-s): (exp(-0.1), exp(0.05)), direction J^T w.
        let second = aggregator.aggregate(input, generator: &generator)
        let w = [exp(-0.1), exp(0.05)]
        expectClose(second.weights, w, tolerance: 1e-15)
        expectClose(second.direction, [w[0], 2 * w[0] + w[1], 3 * w[1]], tolerance: 1e-14)
    }

    @Test func constantLossesConvergeToLogLoss() {
        var aggregator = UncertaintyWeighting(taskCount: 3, learningRate: 0.5)
        var generator = RandomGenerator(seed: 1)
        let losses = [2.0, 0.5, 1.0]
        let g = gramian(ofRows: Matrix<Double>([[1, 0], [0, 1], [1, 1]]))
        for step in 0..<500 {
            _ = aggregator.weights(gramian: g, losses: losses, step: step, generator: &generator)
        }
        expectClose(aggregator.state, losses.map { log($0) }, tolerance: 1e-6)
        // At the fixed point the weights are 1 / L_t.
        let w = aggregator.weights(gramian: g, losses: losses, step: 500, generator: &generator)
        expectClose(w, [0.5, 2, 1], tolerance: 1e-6)
    }

    @Test func stateRoundTripReproducesTheNextWeights() {
        var aggregator = UncertaintyWeighting(taskCount: 2, learningRate: 0.05)
        var generator = RandomGenerator(seed: 1)
        let g = gramian(ofRows: j, columns: 2)
        for (step, losses) in [[2.0, 0.5], [1.5, 0.7], [3.0, 0.2]].enumerated() {
            _ = aggregator.weights(gramian: g, losses: losses, step: step, generator: &generator)
        }
        let saved = aggregator.state
        #expect(saved.count == 2)
        var restored = UncertaintyWeighting(taskCount: 2, learningRate: 0.05)
        restored.state = saved
        #expect(restored.state == saved)
        for (step, losses) in [[1.0, 1.0], [0.4, 2.5]].enumerated() {
            let a = aggregator.weights(gramian: g, losses: losses, step: 3 + step, generator: &generator)
            let b = restored.weights(gramian: g, losses: losses, step: 3 + step, generator: &generator)
            #expect(a == b)
        }
        #expect(aggregator.state == restored.state)
    }
}
