import Testing
import Linalg
import Training

/// PCGrad (Yu et al. 2020) against hand-worked cases and an explicit implementation on the full
/// shared vectors.
@Suite struct PCGradTests {
    func aggregate(_ rows: [[Double]], sharedCount: Int, seed: UInt64 = 7) -> Aggregation<Double> {
        var pcgrad = PCGrad()
        var generator = RandomGenerator(seed: seed)
        return pcgrad.aggregate(
            AggregationInput(gradients: Matrix(rows), sharedCount: sharedCount, losses: rows.map { _ in 1 }, step: 0),
            generator: &generator)
    }

    /// No conflicts (g1 . g2 = 0): nothing is projected, the direction is the sum.
    @Test func orthogonalGradientsGiveTheSum() {
        let result = aggregate([[1, 0, 0], [0, 2, 0]], sharedCount: 3)
        expectClose(result.weights, [1, 1], tolerance: 0)
        expectClose(result.direction, [1, 2, 0], tolerance: 0)
    }

    /// g and -g: g' = g - (g.(-g)/|g|^2)(-g) = g - g = 0, and likewise (-g)' = 0. Each projected
    /// gradient has coefficients (1, 1) on (g, -g), so the weights are (2, 2) and the direction 0.
    @Test func oppositeGradientsCancel() {
        let result = aggregate([[1, 2], [-1, -2]], sharedCount: 2)
        expectClose(result.weights, [2, 2], tolerance: 1e-15)
        expectClose(result.direction, [0, 0], tolerance: 1e-15)
    }

    /// Shared parts g1 = [1, 0], g2 = [-1, 1] conflict (g1 . g2 = -1):
    /// g1' = g1 - (-1/2) g2 = [0.5, 0.5] (coefficients (1, 0.5)),
    /// g2' = g2 - (-1/1) g1 = [0, 1]     (coefficients (1, 1)),
    /// sum = [0.5, 1.5], weights (2, 1.5). The heads [3, 0] and [0, 4] scale by their weights:
    /// direction = 2 [1, 0, 3, 0] + 1.5 [-1, 1, 0, 4] = [0.5, 1.5, 6, 6].
    @Test func handWorkedConflict() {
        let result = aggregate([[1, 0, 3, 0], [-1, 1, 0, 4]], sharedCount: 2)
        expectClose(result.weights, [2, 1.5], tolerance: 1e-15)
        expectClose(result.direction, [0.5, 1.5, 6, 6], tolerance: 1e-15)
    }

    /// The paper's algorithm on explicit vectors (the shared parts), drawing the same orders.
    func explicitPCGrad(_ rows: [[Double]], generator: inout RandomGenerator) -> [Double] {
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        var sum = [Double](repeating: 0, count: rows[0].count)
        for i in rows.indices {
            var g = rows[i]
            for j in generator.permutation(rows.count) where j != i {
                let d = dot(g, rows[j])
                if d < 0 {
                    let factor = d / dot(rows[j], rows[j])
                    for k in g.indices { g[k] -= factor * rows[j][k] }
                }
            }
            for k in g.indices { sum[k] += g[k] }
        }
        return sum
    }

    @Test(arguments: [(3, 4), (4, 6), (5, 3), (6, 8)])
    func gramianSpaceMatchesExplicitVectors(tasks: Int, dimension: Int) {
        var draw = RandomGenerator(seed: UInt64(tasks * 100 + dimension))
        var rows: [[Double]] = []
        for _ in 0..<tasks { rows.append((0..<dimension).map { _ in draw.normal() }) }
        let result = aggregate(rows, sharedCount: dimension, seed: 11)
        var generator = RandomGenerator(seed: 11)
        let expected = explicitPCGrad(rows, generator: &generator)
        expectClose(result.direction, expected, tolerance: 1e-12)
    }
}
