import Foundation
import Linalg
import Testing
import Training

@Suite struct DynamicWeightAverageTests {
    let j = Matrix<Double>([[1, 2, 0], [0, 1, 3]])

    @Test func weightsAreOneForTwoWindowsThenTheSoftmaxOfTheRatios() {
        var aggregator = DynamicWeightAverage(taskCount: 2, window: 2)
        #expect(aggregator.name == "dwa")
        #expect(aggregator.temperature == 2)
        #expect(aggregator.state.count == 3 * 2 + 2)
        var generator = RandomGenerator(seed: 1)
        // Window 1 averages (3, 1); window 2 averages (1.5, 1).
        let losses: [[Double]] = [[2, 1], [4, 1], [1, 0.5], [2, 1.5]]
        for (step, l) in losses.enumerated() {
            let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: l, step: step), generator: &generator)
            expectClose(result.weights, [1, 1], tolerance: 0)
            expectClose(result.direction, [1, 3, 3], tolerance: 0)
        }
        expectClose(aggregator.lastAverages, [1.5, 1], tolerance: 0)
        expectClose(aggregator.previousAverages, [3, 1], tolerance: 0)
        // r = (1.5/3, 1/1) = (0.5, 1); w_t = 2 exp(r_t/2) / (exp(0.25) + exp(0.5)).
        let denominator = exp(0.25) + exp(0.5)
        let expected = [2 * exp(0.25) / denominator, 2 * exp(0.5) / denominator]
        for step in 4..<6 {
            let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: [1, 1], step: step), generator: &generator)
            expectClose(result.weights, expected, tolerance: 1e-14)
            #expect(abs(result.weights.reduce(0, +) - 2) < 1e-14)
            let w = expected
            expectClose(result.direction, [w[0], 2 * w[0] + w[1], 3 * w[1]], tolerance: 1e-13)
        }
    }

    @Test func weightsSumToTheTaskCount() {
        var aggregator = DynamicWeightAverage(taskCount: 3, window: 1, temperature: 0.7)
        var generator = RandomGenerator(seed: 1)
        let g = gramian(ofRows: Matrix<Double>([[1, 0], [0, 1], [1, 1]]))
        let losses: [[Double]] = [[1, 2, 3], [0.5, 2.5, 1], [0.4, 2, 2], [0.1, 3, 1.5]]
        for (step, l) in losses.enumerated() {
            let w = aggregator.weights(gramian: g, losses: l, step: step, generator: &generator)
            #expect(abs(w.reduce(0, +) - 3) < 1e-12)
            #expect(w.allSatisfy { $0 > 0 })
        }
    }

    @Test func stateRoundTripMidWindowReproducesTheNextWeights() {
        var aggregator = DynamicWeightAverage(taskCount: 2, window: 3)
        var generator = RandomGenerator(seed: 1)
        let g = gramian(ofRows: j, columns: 2)
        let losses: [[Double]] = [[2, 1], [1.8, 1.1], [1.7, 0.9], [1.2, 1], [1, 0.8], [0.9, 0.9], [0.8, 0.7], [0.7, 0.75],
                                  [0.6, 0.6], [0.5, 0.7], [0.45, 0.5], [0.4, 0.45], [0.35, 0.5]]
        for step in 0..<7 {
            _ = aggregator.weights(gramian: g, losses: losses[step], step: step, generator: &generator)
        }
        // Mid-window: two windows completed, one step into the third.
        #expect(aggregator.countInWindow == 1)
        #expect(aggregator.windowsCompleted == 2)
        let saved = aggregator.state
        #expect(saved.count == 8)
        var restored = DynamicWeightAverage(taskCount: 2, window: 3)
        restored.state = saved
        #expect(restored.state == saved)
        for step in 7..<losses.count {
            let a = aggregator.weights(gramian: g, losses: losses[step], step: step, generator: &generator)
            let b = restored.weights(gramian: g, losses: losses[step], step: step, generator: &generator)
            #expect(a == b)
        }
        #expect(aggregator.state == restored.state)
    }
}
