import Linalg
import Testing
import Training

@Suite struct GradNormTests {
    @Test func firstStepUsesUnitWeightsThenStepsTowardTheTargets() {
        // Gramian diag (4, 1): |g| = (2, 1). Constant losses: r = (1, 1), G = (2, 1),
        // Gbar = 1.5, targets (1.5, 1.5); w <- (1 - 0.025 * 2, 1 + 0.025 * 1) renormalised to sum 2.
        let j = Matrix<Double>([[2, 0, 3], [0, 1, 0]])
        var aggregator = GradNorm(taskCount: 2)
        #expect(aggregator.name == "gradnorm")
        var generator = RandomGenerator(seed: 1)
        let input = AggregationInput(gradients: j, sharedCount: 2, losses: [0.7, 1.3], step: 0)
        let first = aggregator.aggregate(input, generator: &generator)
        expectClose(first.weights, [1, 1], tolerance: 0)
        expectClose(first.direction, [2, 1, 3], tolerance: 0)
        let raw = [1 - 0.025 * 2, 1 + 0.025 * 1]
        let expected = raw.map { $0 * 2 / (raw[0] + raw[1]) }
        expectClose(aggregator.taskWeights, expected, tolerance: 1e-15)
        expectClose(aggregator.initialLosses, [0.7, 1.3], tolerance: 0)
        // The second step applies those weights: direction = J^T w.
        let second = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: [0.7, 1.3], step: 1), generator: &generator)
        expectClose(second.weights, expected, tolerance: 1e-15)
        expectClose(second.direction, [2 * expected[0], expected[1], 3 * expected[0]], tolerance: 1e-14)
    }

    @Test func slowerTaskGetsALargerTarget() {
        // Equal gradient norms, task 0's loss ratio is higher (training slower): its target
        // exceeds Gbar, so its weight rises.
        let g = Matrix<Double>([[1, 0], [0, 1]])
        var aggregator = GradNorm(taskCount: 2)
        var generator = RandomGenerator(seed: 1)
        _ = aggregator.weights(gramian: g, losses: [1, 1], step: 0, generator: &generator)
        #expect(aggregator.taskWeights == [1, 1])  // G = targets = (1, 1): no move
        _ = aggregator.weights(gramian: g, losses: [0.9, 0.5], step: 1, generator: &generator)
        // Ratios (0.9, 0.5): G = (1, 1), targets 1 * (0.9/0.7)^1.5 > 1 and (0.5/0.7)^1.5 < 1.
        let raw = [1 + 0.025, 1 - 0.025]
        expectClose(aggregator.taskWeights, raw, tolerance: 1e-15)
    }

    @Test func weightsBalanceTheGradientNorms() {
        let g = Matrix<Double>([[4, 0], [0, 1]])
        var aggregator = GradNorm(taskCount: 2, learningRate: 0.001)
        var generator = RandomGenerator(seed: 1)
        for step in 0..<2000 {
            _ = aggregator.weights(gramian: g, losses: [1, 1], step: step, generator: &generator)
        }
        let w = aggregator.taskWeights
        #expect(abs(w[0] * 2 - w[1] * 1) < 1e-2)
        #expect(abs(w[0] + w[1] - 2) < 1e-12)
    }

    @Test func weightsStayPositive() {
        // A huge learning rate would drive task 0's weight negative: it is clamped instead.
        let g = Matrix<Double>([[100, 0], [0, 1]])
        var aggregator = GradNorm(taskCount: 2, learningRate: 1)
        var generator = RandomGenerator(seed: 1)
        _ = aggregator.weights(gramian: g, losses: [1, 1], step: 0, generator: &generator)
        #expect(aggregator.taskWeights.allSatisfy { $0 > 0 })
        #expect(abs(aggregator.taskWeights.reduce(0, +) - 2) < 1e-12)
    }

    @Test func stateRoundTrips() {
        let g = Matrix<Double>([[4, 1], [1, 1]])
        var a = GradNorm(taskCount: 2)
        var generator = RandomGenerator(seed: 1)
        #expect(a.state == [1, 1, 0, 0, 0])
        _ = a.weights(gramian: g, losses: [2, 3], step: 0, generator: &generator)
        _ = a.weights(gramian: g, losses: [1.5, 2.9], step: 1, generator: &generator)
        #expect(a.state.count == 5)
        var b = GradNorm(taskCount: 2)
        b.state = a.state
        #expect(b.state == a.state)
        let x = a.weights(gramian: g, losses: [1, 2], step: 2, generator: &generator)
        let y = b.weights(gramian: g, losses: [1, 2], step: 2, generator: &generator)
        #expect(x == y)
        #expect(a.state == b.state)
    }
}
