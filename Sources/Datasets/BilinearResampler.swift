/// Resizes square single-channel images with Pillow's bilinear filter (`Image.resize(...,
/// BILINEAR)`, also torchvision's `antialias=True`): output pixel i has its centre at
/// `(i + 0.5) * scale` in input pixel units (`scale = sourceSide / targetSide`) and is the
/// average of the input pixels weighted by a triangle `max(0, 1 - |distance| / s)`, with
/// `s = max(scale, 1)`, normalized to sum 1. Rows first, then columns (separable).
///
/// Upsampling is therefore ordinary bilinear interpolation (align_corners = false, edges
/// clamped); downsampling widens the triangle so every input pixel contributes (antialiased,
/// close to area averaging). A constant image stays the same constant; a same-size resize is
/// the identity. Unlike Pillow on 8-bit images, nothing is rounded between or after the passes.
public struct BilinearResampler: Sendable, Equatable {
    /// The side of input images in pixels.
    public let sourceSide: Int
    /// The side of output images in pixels.
    public let targetSide: Int
    /// For each output index, the first input index it reads.
    private let firstTap: [Int]
    /// For each output index, its normalized weights, `tapCount` each (zero-padded), applied to
    /// input indices `firstTap[i] ..< firstTap[i] + tapCount`.
    private let weights: [Float]
    private let tapCount: Int

    public init(sourceSide: Int, targetSide: Int) {
        precondition(sourceSide >= 1 && targetSide >= 1, "image sides must be positive")
        self.sourceSide = sourceSide
        self.targetSide = targetSide
        let scale = Double(sourceSide) / Double(targetSide)
        let filterScale = Swift.max(scale, 1)
        let support = filterScale  // the triangle's support (1) widened by the filter scale
        var ranges: [(first: Int, weights: [Double])] = []
        for output in 0..<targetSide {
            let center = (Double(output) + 0.5) * scale
            let first = Swift.max(Int(center - support + 0.5), 0)
            let end = Swift.min(Int(center + support + 0.5), sourceSide)
            var taps = (first..<end).map { input in
                Swift.max(0, 1 - abs((Double(input) + 0.5 - center) / filterScale))
            }
            let total = taps.reduce(0, +)
            taps = taps.map { $0 / total }
            ranges.append((first, taps))
        }
        // Every output reads the same number of taps: short ranges are padded with zero weights,
        // shifted left at the far edge so that no tap falls outside the image.
        let tapCount = ranges.map(\.weights.count).max() ?? 0
        self.tapCount = tapCount
        firstTap = ranges.map { Swift.min($0.first, sourceSide - tapCount) }
        weights = ranges.flatMap { range in
            let lead = range.first - Swift.min(range.first, sourceSide - tapCount)
            return [Float](repeating: 0, count: lead) + range.weights.map { Float($0) }
                + [Float](repeating: 0, count: tapCount - lead - range.weights.count)
        }
    }

    /// `image` (sourceSide² values, row-major) resized to targetSide² values.
    public func resampled(_ image: [Float]) -> [Float] {
        precondition(image.count == sourceSide * sourceSide, "image must hold \(sourceSide * sourceSide) values")
        var output = [Float](repeating: 0, count: targetSide * targetSide)
        var scratch = [Float](repeating: 0, count: sourceSide * targetSide)
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                scratch.withUnsafeMutableBufferPointer { resample(source, into: target, scratch: $0) }
            }
        }
        return output
    }

    /// Resizes `source` (sourceSide²) into `target` (targetSide²), using `scratch`
    /// (sourceSide * targetSide values) for the intermediate image.
    func resample(_ source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>,
                  scratch: UnsafeMutableBufferPointer<Float>) {
        let n = sourceSide, m = targetSide, taps = tapCount
        weights.withUnsafeBufferPointer { w in
            firstTap.withUnsafeBufferPointer { first in
                // Horizontal pass: n rows of n -> n rows of m.
                for row in 0..<n {
                    let input = row * n
                    for column in 0..<m {
                        let start = input + first[column], base = column * taps
                        var sum: Float = 0
                        for k in 0..<taps { sum += w[base + k] * source[start + k] }
                        scratch[row * m + column] = sum
                    }
                }
                // Vertical pass: n rows of m -> m rows of m.
                for row in 0..<m {
                    let start = first[row], base = row * taps
                    for column in 0..<m { target[row * m + column] = 0 }
                    for k in 0..<taps {
                        let weight = w[base + k], input = (start + k) * m
                        for column in 0..<m { target[row * m + column] += weight * scratch[input + column] }
                    }
                }
            }
        }
    }
}
