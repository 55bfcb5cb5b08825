import Datasets
import Testing

@Test func placesLeftAtTheOriginAndRightAtTheOffsetTakingTheMaximumWhereTheyOverlap() {
    let canvas = OverlayCanvas()
    #expect(canvas.canvasSide == 36)
    // Left: 0.2 everywhere except its bottom-right pixel (27, 27) = 0.9 and (10, 10) = 0.7.
    var left = [Float](repeating: 0.2, count: 784)
    left[27 * 28 + 27] = 0.9
    left[10 * 28 + 10] = 0.7
    // Right: 0.5 everywhere except its top-left pixel (0, 0) = 0.1.
    var right = [Float](repeating: 0.5, count: 784)
    right[0] = 0.1
    let pixels = canvas.composing(left: left, right: right)
    let at = { (row: Int, column: Int) in pixels[row * 36 + column] }
    #expect(pixels.count == 36 * 36)
    #expect(at(0, 0) == 0.2)        // left only
    #expect(at(7, 27) == 0.2)       // left only (above the right image)
    #expect(at(35, 35) == 0.5)      // right only
    #expect(at(28, 8) == 0.5)       // right only (below the left image)
    #expect(at(0, 35) == 0)         // top-right corner: neither
    #expect(at(35, 0) == 0)         // bottom-left corner: neither
    #expect(at(7, 35) == 0 && at(35, 7) == 0)
    #expect(at(8, 8) == 0.2)        // right's (0, 0) = 0.1 under left's 0.2
    #expect(at(9, 9) == 0.5)        // overlap: max(0.2, 0.5)
    #expect(at(10, 10) == 0.7)      // overlap: max(0.7, 0.5)
    #expect(at(27, 27) == 0.9)      // overlap: max(0.9, right's (19, 19) = 0.5)
    #expect(at(27, 28) == 0.5)      // right only
}

@Test func otherGeometriesWork() {
    let canvas = OverlayCanvas(imageSide: 2, offset: 1)
    let pixels = canvas.composing(left: [1, 2, 3, 4], right: [5, 0, 0, 6])
    #expect(pixels == [1, 2, 0,
                       3, 5, 0,
                       0, 0, 6])
}
