import Linalg
import Testing
import Training

@Suite struct UPGradTests {
    func product(_ g: Matrix<Double>, _ c: [Double]) -> [Double] {
        (0..<g.rows).map { r in (0..<g.rows).reduce(0.0) { $0 + g[r, $1] * c[$1] } }
    }

    @Test func projectionsLieInTheDualCone() {
        var generator = RandomGenerator(seed: 17)
        for trial in 0..<20 {
            let t = 2 + trial % 5, p = trial % 2 == 0 ? 3 : 8
            var j = Matrix<Double>(rows: t, columns: p)
            for a in 0..<t { for k in 0..<p { j[a, k] = generator.normal() * Double(1 + a) } }
            let g = gramian(ofRows: j)
            let rows = UPGrad().projections(gramian: g)
            let magnitude = (0..<t).map { g[$0, $0] }.max()!
            for (i, c) in rows.enumerated() {
                // v = c - e_i >= 0 and g_t . J^T c >= 0 for all t; complementary slackness.
                let dots = product(g, c)
                for s in 0..<t {
                    let v = c[s] - (s == i ? 1 : 0)
                    #expect(v >= 0)
                    #expect(dots[s] >= -1e-9 * magnitude, "trial \(trial) task \(i): g_\(s) . projection = \(dots[s])")
                    if v > 1e-9 { #expect(abs(dots[s]) <= 1e-9 * magnitude) }
                }
            }
            // The weights are the mean of the rows.
            let w = UPGrad().weights(gramian: g, losses: [], step: 0, generator: &generator)
            expectClose(w, (0..<t).map { s in rows.reduce(0) { $0 + $1[s] } / Double(t) }, tolerance: 1e-12)
        }
    }

    @Test func nonConflictingGradientsAreUnchanged() {
        let j = Matrix<Double>([[1, 2, 0, 7], [2, 1, 1, 0], [0, 1, 3, 0]])
        var aggregator = UPGrad()
        var generator = RandomGenerator(seed: 1)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 3, losses: [1, 1, 1], step: 0), generator: &generator)
        expectClose(result.weights, [1.0 / 3, 1.0 / 3, 1.0 / 3], tolerance: 1e-15)
        expectClose(result.direction, [1, 4.0 / 3, 4.0 / 3, 7.0 / 3], tolerance: 1e-12)
        #expect(aggregator.name == "upgrad")
    }

    @Test func oppositeGradientsCancel() {
        // g2 = -2 g1: the dual cone is the hyperplane g1 . x = 0, both projections are 0.
        // Task 1: v = (0, 1/2), coefficients (1, 1/2); task 2: v = (2, 0), coefficients (2, 1);
        // mean (3/2, 3/4), direction 3/2 g1 + 3/4 g2 = 0.
        let j = Matrix<Double>([[1, -2], [-2, 4]])
        var aggregator = UPGrad()
        var generator = RandomGenerator(seed: 1)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: [1, 1], step: 0), generator: &generator)
        expectClose(result.weights, [1.5, 0.75], tolerance: 1e-12)
        expectClose(result.direction, [0, 0], tolerance: 1e-12)
    }

    @Test func partialConflictHandCase() {
        // g1 = (1, 0), g2 = (-1, 1), g1 . g2 = -1: g1 projects to g1 + g2/2 = (1/2, 1/2),
        // g2 to g2 + g1 = (0, 1); weights ((1, 1/2) + (1, 1)) / 2 = (1, 3/4), direction (1/4, 3/4).
        // A head parameter (column 2) of task 2 gets weight 3/4.
        let j = Matrix<Double>([[1, 0, 0], [-1, 1, 4]])
        var aggregator = UPGrad()
        var generator = RandomGenerator(seed: 1)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: [1, 1], step: 0), generator: &generator)
        expectClose(result.weights, [1, 0.75], tolerance: 1e-12)
        expectClose(result.direction, [0.25, 0.75, 3], tolerance: 1e-12)
    }

    @Test func dependentAndZeroGradients() {
        // g1 = g3 = (1, 0), g2 = (-1, 0), g4 = 0 (shared); the cone is x_1 = 0 and every
        // projection is 0 on the shared parameters.
        let j = Matrix<Double>([[1, 0], [-1, 0], [1, 0], [0, 0]])
        var aggregator = UPGrad()
        var generator = RandomGenerator(seed: 1)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 2, losses: [1, 1, 1, 1], step: 0), generator: &generator)
        expectClose(result.direction, [0, 0], tolerance: 1e-12)
        #expect(result.weights.allSatisfy { $0 >= 0 })
        #expect(abs(result.weights[3] - 0.25) < 1e-15)
    }
}
