import Testing
import Linalg
import Training

/// Nash-MTL (Navon et al. 2022): weights alpha > 0 with (G alpha)_t = 1 / alpha_t.
@Suite struct NashMTLTests {
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    func aggregate(_ rows: [[Double]]) -> Aggregation<Double> {
        var nash = NashMTL()
        var generator = RandomGenerator(seed: 13)
        return nash.aggregate(
            AggregationInput(gradients: Matrix(rows), sharedCount: rows[0].count, losses: rows.map { _ in 1 }, step: 0),
            generator: &generator)
    }

    /// Orthogonal g1 = [1, 0], g2 = [0, 2]: alpha_t^2 |g_t|^2 = 1, alpha = (1, 1/2), d = [1, 1].
    @Test func handWorkedOrthogonal() {
        let result = aggregate([[1, 0], [0, 2]])
        #expect(NashMTL().name == "nashmtl")
        expectClose(result.weights, [1, 0.5], tolerance: 1e-12)
        expectClose(result.direction, [1, 1], tolerance: 1e-12)
    }

    /// g_t . d = 1 / alpha_t for every t, alpha > 0, and so |d|^2 = sum_t alpha_t g_t . d = T.
    @Test(arguments: [(2, 5), (3, 6), (4, 4), (5, 9), (6, 12)])
    func solvesTheBargainingEquations(tasks: Int, dimension: Int) {
        for seed in 0..<10 {
            var draw = RandomGenerator(seed: UInt64(77 * tasks + seed))
            var rows: [[Double]] = []
            for t in 0..<tasks { rows.append((0..<dimension).map { _ in draw.normal() * Double(t + 1) + 0.1 }) }
            let result = aggregate(rows)
            for t in 0..<tasks {
                let alpha = result.weights[t]
                #expect(alpha > 0)
                let projection = dot(rows[t], result.direction)
                #expect(abs(alpha * projection - 1) <= 1e-4, "task \(t): alpha \(alpha), g.d \(projection)")
            }
            #expect(abs(dot(result.direction, result.direction) - Double(tasks)) <= 1e-6 * Double(tasks))
        }
    }
}
