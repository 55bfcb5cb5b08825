import Linalg
import Testing
import Training

@Suite struct FAMOTests {
    @Test func firstStepWeightsAreInverseLosses() {
        // z = (1/2, 1/2), losses (2, 0.5): z / L = (0.25, 1), c = 1 / 1.25 = 0.8, w = (0.2, 0.8).
        let j = Matrix<Double>([[1, 2, 5], [3, -1, 0]])
        var aggregator = FAMO(taskCount: 2)
        #expect(aggregator.name == "famo")
        var generator = RandomGenerator(seed: 1)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: [2, 0.5], step: 0), generator: &generator)
        expectClose(aggregator.probabilities, [0.5, 0.5], tolerance: 0)
        expectClose(result.weights, [0.2, 0.8], tolerance: 1e-15)
        // direction = J^T w = 0.2 (1, 2, 5) + 0.8 (3, -1, 0).
        expectClose(result.direction, [2.6, -0.4, 1], tolerance: 1e-14)
        expectClose(aggregator.previousLosses, [2, 0.5], tolerance: 0)
        #expect(aggregator.hasPrevious)
    }

    @Test func taskThatImprovedLessGainsWeight() {
        let g = Matrix<Double>([[1, 0], [0, 1]])
        var aggregator = FAMO(taskCount: 2)
        var generator = RandomGenerator(seed: 1)
        _ = aggregator.weights(gramian: g, losses: [1, 1], step: 0, generator: &generator)
        // Task 0's loss stays, task 1's halves: d = (0, log 2), z = (1/2, 1/2),
        // delta = (1/2 (0 - log2 / 2), 1/2 (log2 - log2 / 2)) = (-log2 / 4, log2 / 4),
        // xi = -0.025 delta (weight decay acts on xi = 0).
        let w = aggregator.weights(gramian: g, losses: [1, 0.5], step: 1, generator: &generator)
        let log2 = Double.log(2.0)
        expectClose(aggregator.logits, [0.025 * log2 / 4, -0.025 * log2 / 4], tolerance: 1e-16)
        let z = aggregator.probabilities
        #expect(z[0] > z[1])
        let z0 = 1 / (1 + Double.exp(-0.025 * log2 / 2))
        expectClose(z, [z0, 1 - z0], tolerance: 1e-15)
        // w = c z / L with L = (1, 0.5).
        let scaled = [z0 / 1, (1 - z0) / 0.5]
        let total = scaled[0] + scaled[1]
        expectClose(w, scaled.map { $0 / total }, tolerance: 1e-15)
    }

    @Test func constantLossesKeepTheWeightsOfZ() {
        let g = Matrix<Double>([[1, 0], [0, 1]])
        var aggregator = FAMO(taskCount: 2)
        var generator = RandomGenerator(seed: 1)
        for step in 0..<10 {
            let w = aggregator.weights(gramian: g, losses: [2, 0.5], step: step, generator: &generator)
            expectClose(w, [0.2, 0.8], tolerance: 1e-15)
        }
        #expect(aggregator.logits == [0, 0])
        // From nonzero logits, constant losses only decay them: xi <- (1 - lr gamma) xi.
        var decayed = FAMO(taskCount: 2)
        decayed.state = [1, -1, 2, 0.5, 1]
        let w = decayed.weights(gramian: g, losses: [2, 0.5], step: 0, generator: &generator)
        let factor = 1 - 0.025 * 1e-3
        expectClose(decayed.logits, [factor, -factor], tolerance: 1e-15)
        let z = decayed.probabilities
        let scaled = [z[0] / 2, z[1] / 0.5]
        expectClose(w, scaled.map { $0 / (scaled[0] + scaled[1]) }, tolerance: 1e-15)
    }

    @Test func nonpositiveLossesAreClamped() {
        let g = Matrix<Double>([[1, 0], [0, 1]])
        var aggregator = FAMO(taskCount: 2)
        var generator = RandomGenerator(seed: 1)
        let w = aggregator.weights(gramian: g, losses: [0, 1], step: 0, generator: &generator)
        #expect(w.allSatisfy { $0.isFinite })
        #expect(abs(w[0] + w[1] - 1) < 1e-12)
        let next = aggregator.weights(gramian: g, losses: [-1, 1], step: 1, generator: &generator)
        #expect(next.allSatisfy { $0.isFinite })
    }

    @Test func stateRoundTrips() {
        let g = Matrix<Double>([[1, 0.5], [0.5, 2]])
        var a = FAMO(taskCount: 2)
        var generator = RandomGenerator(seed: 1)
        #expect(a.state == [0, 0, 0, 0, 0])
        _ = a.weights(gramian: g, losses: [2, 3], step: 0, generator: &generator)
        _ = a.weights(gramian: g, losses: [1.5, 2.9], step: 1, generator: &generator)
        #expect(a.state.count == 5)
        var b = FAMO(taskCount: 2)
        b.state = a.state
        #expect(b.state == a.state)
        let x = a.weights(gramian: g, losses: [1, 2], step: 2, generator: &generator)
        let y = b.weights(gramian: g, losses: [1, 2], step: 2, generator: &generator)
        #expect(x == y)
        #expect(a.state == b.state)
    }
}
