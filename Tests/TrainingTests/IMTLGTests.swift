import Testing
import Linalg
import Training

/// IMTL-G (Liu et al. 2021): the direction's projections onto every unit task gradient agree.
@Suite struct IMTLGTests {
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    func aggregate(_ rows: [[Double]], sharedCount: Int? = nil) -> Aggregation<Double> {
        var imtl = IMTLG()
        var generator = RandomGenerator(seed: 9)
        return imtl.aggregate(
            AggregationInput(gradients: Matrix(rows), sharedCount: sharedCount ?? rows[0].count, losses: rows.map { _ in 1 }, step: 0),
            generator: &generator)
    }

    /// g1 = [1, 0], g2 = [0, 2]: d = a g1 + (1 - a) g2 = [a, 2 - 2a]; d . u1 = a = d . u2 = 2 - 2a
    /// gives a = 2/3, d = [2/3, 2/3].
    @Test func handWorkedTwoTasks() {
        let result = aggregate([[1, 0], [0, 2]])
        #expect(IMTLG().name == "imtlg")
        expectClose(result.weights, [2.0 / 3, 1.0 / 3], tolerance: 1e-15)
        expectClose(result.direction, [2.0 / 3, 2.0 / 3], tolerance: 1e-15)
    }

    @Test(arguments: [2, 3, 4])
    func equalProjectionsOnUnitGradients(tasks: Int) {
        for seed in 0..<10 {
            var draw = RandomGenerator(seed: UInt64(50 * tasks + seed))
            let dimension = 7
            var rows: [[Double]] = []
            for _ in 0..<tasks { rows.append((0..<dimension).map { _ in draw.normal() * (1 + draw.uniform()) }) }
            let result = aggregate(rows)
            #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
            let projections = rows.map { dot($0, result.direction) / dot($0, $0).squareRoot() }
            for p in projections {
                #expect(abs(p - projections[0]) <= 1e-9, "\(projections)")
            }
        }
    }
}
