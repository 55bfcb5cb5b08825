/// Two square images on one square canvas, as in MultiMNIST (Sener and Koltun, 2018): the left
/// image at the top-left corner (offset 0, 0), the right image at (offset, offset), pixels where
/// they overlap taking the larger value; the rest of the canvas is 0.
///
/// With the defaults, two 28 x 28 images on a 36 x 36 canvas, overlapping in the 20 x 20 square
/// of canvas rows and columns 8..<28. Images and canvas are row-major.
public struct OverlayCanvas: Sendable, Equatable {
    /// The side of each placed image in pixels.
    public var imageSide: Int
    /// The row and column offset of the right image in pixels.
    public var offset: Int

    public init(imageSide: Int = 28, offset: Int = 8) {
        precondition(imageSide >= 1 && offset >= 0, "image side must be positive and offset non-negative")
        self.imageSide = imageSide
        self.offset = offset
    }

    /// The side of the canvas: `imageSide + offset` (36 by default).
    public var canvasSide: Int { imageSide + offset }

    /// The canvas (canvasSide² values, row-major) holding `left` and `right` (imageSide² each).
    public func composing(left: [Float], right: [Float]) -> [Float] {
        precondition(left.count == imageSide * imageSide && right.count == imageSide * imageSide,
                     "images must hold \(imageSide * imageSide) values")
        var canvas = [Float](repeating: 0, count: canvasSide * canvasSide)
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                canvas.withUnsafeMutableBufferPointer { c in compose(left: l, right: r, into: c) }
            }
        }
        return canvas
    }

    /// Writes the canvas of `left` and `right` into `canvas` (canvasSide² values, overwritten).
    func compose(left: UnsafeBufferPointer<Float>, right: UnsafeBufferPointer<Float>,
                 into canvas: UnsafeMutableBufferPointer<Float>) {
        let side = canvasSide, width = imageSide
        let (leftBase, rightBase, canvasBase) = (left.baseAddress!, right.baseAddress!, canvas.baseAddress!)
        canvas.update(repeating: 0)
        for row in 0..<width {
            (canvasBase + row * side).update(from: leftBase + row * width, count: width)
        }
        for row in 0..<width {
            let target = canvasBase + (row + offset) * side + offset, source = rightBase + row * width
            for column in 0..<width { target[column] = Swift.max(target[column], source[column]) }
        }
    }
}
