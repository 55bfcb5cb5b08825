import Testing
import Linalg

@Suite struct VectorOperationsTests {
    @Test func levelOneOperationsOnAHandWorkedVector() {
        let x: [Double] = [3, 4, 0], y: [Double] = [1, -2, 5]
        #expect(dot(x, y) == 3 - 8)
        #expect(norm(x) == 5)
        var z = y
        axpy(2, x, &z)
        #expect(z == [7, 6, 5])
        scale(&z, by: 0.5)
        #expect(z == [3.5, 3, 2.5])
        let precise = x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { preciseDot(px, $0) } }
        #expect(precise == -5)
    }
}


@Suite struct DistanceTests {
    @Test func distanceMatchesTheNormOfTheDifferenceAcrossBlocksAndRaggedEnds() {
        var generator = RandomGenerator(seed: 8)
        for count in [0, 5, 8, 1023, 1024, 2500] {
            let x = (0..<count).map { _ in generator.normal() }, y = (0..<count).map { _ in generator.normal() }
            var difference = x
            axpy(-1, y, &difference)
            #expect(abs(distance(x, y) - norm(difference)) <= 1e-12 * max(1, norm(difference)), "\(count)")
        }
        #expect(distance([3, 0] as [Float], [0, 4]) == 5)
    }
}
