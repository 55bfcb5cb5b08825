import Testing
import Linalg
@testable import Datasets

@Suite struct DomainTransformTests {
    /// A 3 x 3 image with distinct values 0.1 ... 0.9, row-major.
    let image: [Float] = (1...9).map { Float($0) / 10 }

    func apply(_ domain: DomainTransform, _ pixels: [Float], side: Int = 3, seed: UInt64 = 0) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return domain.apply(to: pixels, side: side, generator: &generator)
    }

    @Test func originalAndInversion() {
        #expect(apply(.original, image) == image)
        #expect(apply(.inverted, image) == image.map { 1 - $0 })
    }

    @Test func rotationMovesEachPixelNinetyDegreesClockwise() {
        // (r, c) goes to (c, side - 1 - r): the top row becomes the right column.
        //  .1 .2 .3        .7 .4 .1
        //  .4 .5 .6   ->   .8 .5 .2
        //  .7 .8 .9        .9 .6 .3
        let rotated = apply(.rotated, image)
        #expect(rotated == [0.7, 0.4, 0.1, 0.8, 0.5, 0.2, 0.9, 0.6, 0.3].map { Float($0) })
        // On a 4 x 4 image, a single bright pixel at (0, 1) lands at (1, 3).
        var single = [Float](repeating: 0, count: 16)
        single[0 * 4 + 1] = 1
        let moved = apply(.rotated, single, side: 4)
        #expect(moved.firstIndex(of: 1) == 1 * 4 + 3 && moved.reduce(0, +) == 1)
        // Four rotations give the image back.
        var turned = image
        for _ in 0..<4 { turned = apply(.rotated, turned) }
        #expect(turned == image)
    }

    @Test func blurringASingleBrightPixelGivesTheKernel() {
        var single = [Float](repeating: 0, count: 25)
        single[2 * 5 + 2] = 1
        let blurred = apply(.blurred, single, side: 5)
        let expected: [[Float]] = [[1, 2, 1], [2, 4, 2], [1, 2, 1]].map { $0.map { $0 / 16 } }
        for r in 0..<5 {
            for c in 0..<5 {
                let inside = (1...3).contains(r) && (1...3).contains(c)
                #expect(blurred[r * 5 + c] == (inside ? expected[r - 1][c - 1] : 0), "pixel (\(r), \(c))")
            }
        }
        #expect(GaussianBlur.kernel.reduce(0, +) == 1)
        // A constant image stays constant inside; at a zero-padded corner 9/16 of the kernel remains.
        let constant = apply(.blurred, [Float](repeating: 1, count: 9))
        #expect(constant[4] == 1 && constant[0] == 9 / 16)
    }

    @Test func noiseIsSeededClippedAndOfTheDocumentedSize() {
        let grey = [Float](repeating: 0.5, count: 10_000)
        let a = apply(.noisy, grey, side: 100, seed: 4), b = apply(.noisy, grey, side: 100, seed: 4)
        #expect(a == b)
        #expect(a != apply(.noisy, grey, side: 100, seed: 5))
        // Around 0.5 the clip at 0 and 1 is 2.5 sigma away: the deviation's spread is close to 0.2.
        let deviations = a.map { Double($0) - 0.5 }
        let spread = (deviations.map { $0 * $0 }.reduce(0, +) / Double(deviations.count)).squareRoot()
        #expect(abs(spread - PixelNoise.standardDeviation) < 0.01)
        // Black and white pixels are clipped into [0, 1], and half of them stay at the bound.
        let extremes = apply(.noisy, [Float](repeating: 0, count: 5000) + [Float](repeating: 1, count: 5000), side: 100)
        #expect(extremes.allSatisfy { $0 >= 0 && $0 <= 1 })
        let atBound = extremes.enumerated().filter { $0.element == ($0.offset < 5000 ? 0 : 1) }.count
        #expect(atBound > 4500 && atBound < 5500)
    }
}
