import Linalg
import Testing
import Training

@Suite struct RandomLossWeightingTests {
    let input = AggregationInput(
        gradients: Matrix<Double>([[1, 2, 0.5], [-1, 0, 2], [0.5, -3, 1]]), sharedCount: 2,
        losses: [1, 2, 3], step: 0)

    @Test func weightsArePositiveAndSumToOne() {
        var aggregator = RandomLossWeighting()
        var generator = RandomGenerator(seed: 7)
        for _ in 0..<20 {
            let result = aggregator.aggregate(input, generator: &generator)
            #expect(result.weights.count == 3)
            #expect(result.weights.allSatisfy { $0 > 0 })
            #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
            // The direction is J^T w over all parameters.
            let expected = (0..<3).map { k in (0..<3).reduce(0.0) { $0 + result.weights[$1] * input.gradients[$1, k] } }
            expectClose(result.direction, expected, tolerance: 1e-12)
        }
    }

    @Test func weightsAreSoftmaxOfNormalDraws() {
        var aggregator = RandomLossWeighting()
        var generator = RandomGenerator(seed: 11)
        var reference = RandomGenerator(seed: 11)
        let z = (0..<3).map { _ in reference.normal() }
        let e = z.map { Double.exp($0) }
        let total = e.reduce(0, +)
        let result = aggregator.aggregate(input, generator: &generator)
        expectClose(result.weights, e.map { $0 / total }, tolerance: 1e-12)
        #expect(generator == reference)
    }

    @Test func reproducibleForASeedAndVaryingAcrossSteps() {
        var a = RandomLossWeighting(), b = RandomLossWeighting()
        var g1 = RandomGenerator(seed: 3), g2 = RandomGenerator(seed: 3)
        let first = a.aggregate(input, generator: &g1).weights
        #expect(first == b.aggregate(input, generator: &g2).weights)
        let second = a.aggregate(input, generator: &g1).weights
        #expect(second == b.aggregate(input, generator: &g2).weights)
        #expect(first != second)
        #expect(a.name == "rlw")
    }
}
