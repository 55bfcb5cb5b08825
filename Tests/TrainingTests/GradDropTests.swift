import Linalg
import Testing
import Training

@Suite struct GradDropTests {
    @Test func identicalSignsGiveTheSum() {
        // Shared columns 0..<3 (same signs per column), heads 3 and 4.
        let j = Matrix<Double>([[1, -2, 0.5, 3, 0], [3, -1, 2, 0, -4]])
        var aggregator = GradDrop()
        for seed in 0..<10 as Range<UInt64> {
            var generator = RandomGenerator(seed: seed)
            let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 3, losses: [1, 1], step: 0), generator: &generator)
            expectClose(result.direction, [4, -3, 2.5, 3, -4], tolerance: 1e-12)
            expectClose(result.weights, [1, 1], tolerance: 1e-9)
        }
        #expect(aggregator.name == "graddrop")
    }

    @Test func oppositeEqualCoordinatesKeepHalf() {
        #expect(GradDrop.purity(sum: 0, absoluteSum: 2) == 0.5)
        #expect(GradDrop.purity(sum: 3, absoluteSum: 3) == 1)
        #expect(GradDrop.purity(sum: -3, absoluteSum: 3) == 0)
        // g1 = x, g2 = -x on 500 shared coordinates: each coordinate keeps g1's value or g2's.
        let n = 500
        let x: [Double] = (0..<n).map { k -> Double in
            let magnitude = Double(k % 7 + 1)
            return k % 2 == 0 ? magnitude : -magnitude
        }
        let negated: [Double] = x.map { -$0 }
        let j = Matrix<Double>([x + [1.0], negated + [2.0]])
        var aggregator = GradDrop()
        var keptFirst = 0
        for seed in 0..<40 as Range<UInt64> {
            var generator = RandomGenerator(seed: seed)
            let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: n, losses: [1, 1], step: 0), generator: &generator)
            for k in 0..<n {
                #expect(result.direction[k] == x[k] || result.direction[k] == -x[k])
                if result.direction[k] == x[k] { keptFirst += 1 }
            }
            #expect(result.direction[n] == 3)
        }
        let share = Double(keptFirst) / Double(40 * n)
        #expect(abs(share - 0.5) < 0.02, "kept share \(share)")
    }

    @Test func deterministicForASeedAndOneDrawPerSharedCoordinate() {
        var generator = RandomGenerator(seed: 99)
        var j = Matrix<Float>(rows: 3, columns: 60)
        for k in 0..<j.storage.count { j.storage[k] = Float(generator.normal()) }
        let input = AggregationInput(gradients: j, sharedCount: 50, losses: [1, 1, 1], step: 0)
        var aggregator = GradDrop()
        var a = RandomGenerator(seed: 4), b = RandomGenerator(seed: 4), reference = RandomGenerator(seed: 4)
        let first = aggregator.aggregate(input, generator: &a)
        let second = aggregator.aggregate(input, generator: &b)
        #expect(first.direction == second.direction)
        #expect(first.weights == second.weights)
        for _ in 0..<50 { _ = reference.uniform() }
        #expect(a == reference)
        // Heads: the plain sum of the task gradients.
        for k in 50..<60 {
            #expect(abs(first.direction[k] - (j[0, k] + j[1, k] + j[2, k])) < 1e-6)
        }
        // Each shared coordinate is the sum of a subset of the task values that share a sign.
        for k in 0..<50 {
            let positives = (0..<3).map { j[$0, k] }.filter { $0 > 0 }.reduce(0, +)
            let negatives = (0..<3).map { j[$0, k] }.filter { $0 < 0 }.reduce(0, +)
            // (The kernel sums in Double and rounds once to Float.)
            let value = first.direction[k]
            #expect(abs(value - positives) < 1e-6 || abs(value - negatives) < 1e-6)
        }
    }

    @Test func weightsAreLeastSquaresCoefficients() {
        // Mixed signs: the weights satisfy the normal equations G w = J_S d.
        let j = Matrix<Double>([[1, -2, 0.5, 1], [-3, 1, 2, 0], [0.5, 0.5, -1, 0]])
        var aggregator = GradDrop()
        var generator = RandomGenerator(seed: 8)
        let input = AggregationInput(gradients: j, sharedCount: 3, losses: [1, 1, 1], step: 0)
        let result = aggregator.aggregate(input, generator: &generator)
        for t in 0..<3 {
            let lhs = (0..<3).reduce(0.0) { $0 + input.gramian[t, $1] * result.weights[$1] }
            let rhs = (0..<3).reduce(0.0) { $0 + j[t, $1] * result.direction[$1] }
            #expect(abs(lhs - rhs) < 1e-9)
        }
        // Three independent gradients in three dimensions: J_S^T w reproduces d exactly.
        for k in 0..<3 {
            let reconstructed = (0..<3).reduce(0.0) { $0 + result.weights[$1] * j[$1, k] }
            #expect(abs(reconstructed - result.direction[k]) < 1e-9)
        }
    }

    @Test func fullLeakIsThePlainSum() {
        let j = Matrix<Double>([[1, -2, 0.5], [-3, 1, 2]])
        var aggregator = GradDrop(leak: 1)
        var generator = RandomGenerator(seed: 8)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 3, losses: [1, 1], step: 0), generator: &generator)
        expectClose(result.direction, [-2, -1, 2.5], tolerance: 1e-12)
    }
}
