import Linalg
import Testing
import Training

@Suite struct GradVacTests {
    func cosine(_ c: [Double], _ j: Int, _ g: Matrix<Double>) -> Double {
        let t = g.rows
        let product = (0..<t).reduce(0.0) { $0 + c[$1] * g[$1, j] }
        var squared = 0.0
        for a in 0..<t { for b in 0..<t { squared += c[a] * g[a, b] * c[b] } }
        return product / (squared.squareRoot() * g[j, j].squareRoot())
    }

    @Test func positiveCosinesWithZeroTargetsLeaveTheGradients() {
        let j = Matrix<Double>([[1, 2, 0, 5], [2, 1, 1, 0], [0, 1, 3, 0]])
        var aggregator = GradVac()
        var generator = RandomGenerator(seed: 5)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 3, losses: [1, 1, 1], step: 0), generator: &generator)
        expectClose(result.weights, [1, 1, 1], tolerance: 0)
        expectClose(result.direction, [3, 4, 4, 5], tolerance: 1e-12)
        // The targets moved toward the observed cosines: phi_ij = 0.01 cos(g_i, g_j).
        let g = gramian(ofRows: j, columns: 3)
        for a in 0..<3 { for b in 0..<3 where a != b {
            #expect(abs(aggregator.targets[a][b] - 0.01 * cosine([a == 0 ? 1 : 0, a == 1 ? 1 : 0, a == 2 ? 1 : 0], b, g)) < 1e-15)
        } }
        #expect(aggregator.name == "gradvac")
    }

    @Test func conflictIsCorrectedToTheTargetCosine() {
        // g1 = (1, 0), g2 = (-1, 1), cos = -1/sqrt 2 < 0: g1' = g1 + g2/2 = (1/2, 1/2),
        // g2' = g2 + g1 = (0, 1); both now orthogonal to the other task's gradient.
        let j = Matrix<Double>([[1, 0], [-1, 1]])
        var aggregator = GradVac()
        var generator = RandomGenerator(seed: 5)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: [1, 1], step: 0), generator: &generator)
        expectClose(result.weights, [2, 1.5], tolerance: 1e-12)
        expectClose(result.direction, [0.5, 1.5], tolerance: 1e-12)
        expectClose(aggregator.targets.flatMap { $0 }, [0, -0.01 / 2.0.squareRoot(), -0.01 / 2.0.squareRoot(), 0], tolerance: 1e-15)
    }

    @Test func correctedCosineEqualsANonzeroTarget() {
        // Positive but below-target cosines are raised to the target exactly.
        let g = gramian(ofRows: Matrix<Double>([[1, 0.2, -0.3], [0.1, 2, 0.4]]))
        var aggregator = GradVac(targets: [[0, 0.6], [0.35, 0]])
        var generator = RandomGenerator(seed: 9)
        let c = aggregator.corrections(gramian: g, generator: &generator)
        #expect(abs(cosine(c[0], 1, g) - 0.6) < 1e-9)
        #expect(abs(cosine(c[1], 0, g) - 0.35) < 1e-9)
        // A conflicting pair with a nonzero target.
        let h = gramian(ofRows: Matrix<Double>([[1, 0.5, 0], [-2, 0.1, 1]]))
        var second = GradVac(beta: 0.5, targets: [[0, 0.2], [-0.1, 0]])
        let d = second.corrections(gramian: h, generator: &generator)
        #expect(abs(cosine(d[0], 1, h) - 0.2) < 1e-9)
        #expect(abs(cosine(d[1], 0, h) - (-0.1)) < 1e-9)
        let observed = cosine([1, 0], 1, h)
        #expect(abs(second.targets[0][1] - (0.5 * 0.2 + 0.5 * observed)) < 1e-15)
    }

    @Test func threeTasksAreReproducibleForASeed() {
        let j = Matrix<Double>([[1, -1, 0.5], [-1, 0.2, 1], [0.3, 1, -1]])
        let input = AggregationInput(gradients: j, sharedCount: 3, losses: [1, 1, 1], step: 0)
        var a = GradVac(), b = GradVac()
        var g1 = RandomGenerator(seed: 2), g2 = RandomGenerator(seed: 2)
        for _ in 0..<3 {
            let x = a.aggregate(input, generator: &g1), y = b.aggregate(input, generator: &g2)
            #expect(x.weights == y.weights)
            #expect(x.direction == y.direction)
        }
        #expect(a.targets == b.targets)
        #expect(a.targets.count == 3)
    }
}
