import Testing
import Linalg
import Training

/// `Mean` is equal-weight scalarization: with g1 = [1, 2, 3, 0], g2 = [3, -2, 0, 4] (two shared
/// parameters, one head each) the direction is [2, 0, 1.5, 2], weights [1/2, 1/2].
@Suite struct MeanTests {
    let gradients = Matrix<Double>([[1, 2, 3, 0], [3, -2, 0, 4]])

    @Test func isTheAverageGradient() {
        var mean = Mean()
        var generator = RandomGenerator(seed: 1)
        let result = mean.aggregate(AggregationInput(gradients: gradients, sharedCount: 2, losses: [1, 1], step: 0), generator: &generator)
        #expect(mean.name == "mean")
        expectClose(result.weights, [0.5, 0.5], tolerance: 0)
        expectClose(result.direction, [2, 0, 1.5, 2], tolerance: 1e-15)
    }

    @Test func equalsEqualWeightLinearScalarization() {
        var generator = RandomGenerator(seed: 2)
        var rows: [[Double]] = []
        for _ in 0..<3 { rows.append((0..<5).map { _ in generator.normal() }) }
        let input = AggregationInput(gradients: Matrix(rows), sharedCount: 3, losses: [1, 2, 3], step: 4)
        var mean = Mean()
        var scalarization = LinearScalarization(weights: [1.0 / 3, 1.0 / 3, 1.0 / 3])
        let a = mean.aggregate(input, generator: &generator)
        let b = scalarization.aggregate(input, generator: &generator)
        expectClose(a.weights, b.weights, tolerance: 0)
        expectClose(a.direction, b.direction, tolerance: 0)
    }
}
