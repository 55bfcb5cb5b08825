import Testing
import Linalg
import Training

/// MGDA (Sener & Koltun 2018): the min-norm point of the convex hull of the task gradients.
@Suite struct MGDAUpperBoundTests {
    func aggregate(_ rows: [[Double]], sharedCount: Int? = nil) -> Aggregation<Double> {
        var mgda = MGDAUpperBound()
        var generator = RandomGenerator(seed: 3)
        return mgda.aggregate(
            AggregationInput(gradients: Matrix(rows), sharedCount: sharedCount ?? rows[0].count, losses: rows.map { _ in 1 }, step: 0),
            generator: &generator)
    }

    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// g and -g: the hull is the segment through 0, whose min-norm point is 0 = g/2 + (-g)/2.
    @Test func oppositeGradientsGiveZero() {
        let result = aggregate([[1, 2], [-1, -2]])
        expectClose(result.weights, [0.5, 0.5], tolerance: 1e-15)
        expectClose(result.direction, [0, 0], tolerance: 1e-15)
    }

    /// g1 = [1, 0], g2 = [0, 2]: w1 = (G22 - G12) / (G11 + G22 - 2 G12) = 4/5, d = [0.8, 0.4],
    /// and g1 . d = g2 . d = |d|^2 = 0.8.
    @Test func twoTasksClosedForm() {
        let result = aggregate([[1, 0], [0, 2]])
        expectClose(result.weights, [0.8, 0.2], tolerance: 1e-15)
        expectClose(result.direction, [0.8, 0.4], tolerance: 1e-15)
    }

    /// g1 = [1, 0], g2 = [3, 0]: the unclamped w1 = (9 - 3) / (1 + 9 - 6) = 1.5 clamps to 1, d = g1.
    @Test func twoTasksClampedToAVertex() {
        let result = aggregate([[1, 0], [3, 0]])
        expectClose(result.weights, [1, 0], tolerance: 0)
        expectClose(result.direction, [1, 0], tolerance: 0)
    }

    /// A third task equal to the second does not change the hull: the iterative solver (T = 3)
    /// lands on the two-task closed-form point d = [0.8, 0.4].
    @Test func duplicateTaskMatchesTheClosedForm() {
        let result = aggregate([[1, 0], [0, 2], [0, 2]])
        expectClose(result.direction, [0.8, 0.4], tolerance: 1e-12)
        #expect(abs(result.weights.reduce(0, +) - 1) < 1e-14)
        #expect(abs(result.weights[0] - 0.8) < 1e-12)
    }

    /// KKT of min_{w in simplex} |J^T w|^2: g_t . d >= |d|^2 for all t, with equality where
    /// w_t > 0; weights on the simplex. Random cases, including more tasks than dimensions.
    @Test(arguments: [(3, 6), (3, 2), (5, 8), (5, 3), (5, 20)])
    func satisfiesTheMinNormOptimalityConditions(tasks: Int, dimension: Int) {
        for seed in 0..<10 {
            var draw = RandomGenerator(seed: UInt64(1000 * tasks + 10 * dimension + seed))
            var rows: [[Double]] = []
            for _ in 0..<tasks { rows.append((0..<dimension).map { _ in draw.normal() + 0.3 }) }
            let result = aggregate(rows)
            let d = result.direction
            let normSquared = dot(d, d)
            #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
            for t in 0..<tasks {
                #expect(result.weights[t] >= 0)
                let projection = dot(rows[t], d)
                #expect(projection >= normSquared - 1e-9, "task \(t): \(projection) < \(normSquared)")
                if result.weights[t] > 0 {
                    #expect(abs(projection - normSquared) <= 1e-9, "task \(t) in the support: \(projection) vs \(normSquared)")
                }
            }
            expectClose(d, combinationOfRows(rows, result.weights), tolerance: 1e-12)
        }
    }

    func combinationOfRows(_ rows: [[Double]], _ w: [Double]) -> [Double] {
        (0..<rows[0].count).map { k in rows.indices.reduce(0) { $0 + w[$1] * rows[$1][k] } }
    }
}
