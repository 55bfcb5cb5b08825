import Testing
import Linalg
import Training

/// CAGrad (Liu et al. 2021): the returned direction is the paper's d divided by 1 + c^2.
@Suite struct CAGradTests {
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    func randomRows(tasks: Int, dimension: Int, seed: UInt64) -> [[Double]] {
        var draw = RandomGenerator(seed: seed)
        var rows: [[Double]] = []
        for _ in 0..<tasks { rows.append((0..<dimension).map { _ in draw.normal() + 0.2 }) }
        return rows
    }

    func aggregate(_ rows: [[Double]], c: Double) -> Aggregation<Double> {
        var cagrad = CAGrad(c: c)
        var generator = RandomGenerator(seed: 5)
        return cagrad.aggregate(
            AggregationInput(gradients: Matrix(rows), sharedCount: rows[0].count, losses: rows.map { _ in 1 }, step: 0),
            generator: &generator)
    }

    @Test func defaultsAndName() {
        #expect(CAGrad().c == 0.5)
        #expect(CAGrad().name == "cagrad")
    }

    /// J = [[-4, 1, 1], [6, 1, 1]], c = 0.5: g0 = [1, 1, 1], and the dual's optimum (found
    /// independently by a fine grid search over w_1 in [0, 1]) gives the paper's
    /// d = [0.18350342, 1.20412415, 1.20412415] (the value torchjd's CAGrad(c=0.5) documents);
    /// the returned direction is d / 1.25.
    @Test func knownTwoTaskExample() {
        let result = aggregate([[-4, 1, 1], [6, 1, 1]], c: 0.5)
        expectClose(result.direction.map { $0 * 1.25 }, [0.18350342, 1.20412415, 1.20412415], tolerance: 1e-7)
    }

    /// With c = 0 the ball around g0 is the point g0: CAGrad is the mean.
    @Test(arguments: [2, 3, 5])
    func zeroRadiusIsTheMean(tasks: Int) {
        let rows = randomRows(tasks: tasks, dimension: 6, seed: UInt64(tasks))
        let result = aggregate(rows, c: 0)
        expectClose(result.weights, [Double](repeating: 1 / Double(tasks), count: tasks), tolerance: 0)
        let mean = (0..<6).map { k in rows.reduce(0) { $0 + $1[k] } / Double(tasks) }
        expectClose(result.direction, mean, tolerance: 1e-14)
    }

    /// The paper's d = (1 + c^2) direction lies on the sphere |d - g0| = c |g0| and maximises
    /// min_t g_t . d over the ball, so it improves the worst task at least as much as g0 does.
    @Test(arguments: [(2, 5), (3, 6), (4, 3), (5, 10)])
    func improvesTheWorstTaskWithinTheBall(tasks: Int, dimension: Int) {
        for seed in 0..<8 {
            let rows = randomRows(tasks: tasks, dimension: dimension, seed: UInt64(100 * tasks + seed))
            let g0 = (0..<dimension).map { k in rows.reduce(0) { $0 + $1[k] } / Double(tasks) }
            let g0Norm = dot(g0, g0).squareRoot()
            for c in [0.2, 0.5, 0.9] {
                let result = aggregate(rows, c: c)
                let d = result.direction.map { $0 * (1 + c * c) }
                let offset = zip(d, g0).map { $0 - $1 }
                #expect(abs(dot(offset, offset).squareRoot() - c * g0Norm) <= 1e-9 * max(1, g0Norm))
                let worst = rows.map { dot($0, d) }.min()!
                let worstMean = rows.map { dot($0, g0) }.min()!
                #expect(worst >= worstMean - 1e-9, "c \(c) seed \(seed): \(worst) < \(worstMean)")
                // Directional check of optimality: no random point of the ball does better.
                var draw = RandomGenerator(seed: UInt64(seed))
                for _ in 0..<50 {
                    var u = (0..<dimension).map { _ in draw.normal() }
                    let norm = dot(u, u).squareRoot()
                    u = u.map { $0 / norm * c * g0Norm }
                    let candidate = zip(g0, u).map { $0 + $1 }
                    #expect(rows.map { dot($0, candidate) }.min()! <= worst + 1e-7)
                }
            }
        }
    }
}
