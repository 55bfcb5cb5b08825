/// The blur of the `blurred` domain: a convolution with the 3 x 3 binomial kernel
/// `[1 2 1]ᵀ [1 2 1] / 16` (the smallest discrete Gaussian, standard deviation about 0.7
/// pixels), pixels outside the image counting as 0 (so the border darkens slightly).
public enum GaussianBlur {
    /// The kernel, row-major 3 x 3, summing to 1: 1/16, 2/16, 1/16 / 2/16, 4/16, 2/16 / 1/16, 2/16, 1/16.
    public static let kernel: [Float] = [1, 2, 1, 2, 4, 2, 1, 2, 1].map { $0 / 16 }

    /// The blurred image of `pixels` (`side * side`, row-major).
    public static func apply(to pixels: [Float], side: Int) -> [Float] {
        var result = [Float](repeating: 0, count: pixels.count)
        for r in 0..<side {
            for c in 0..<side {
                var sum: Float = 0
                for dr in -1...1 where r + dr >= 0 && r + dr < side {
                    for dc in -1...1 where c + dc >= 0 && c + dc < side {
                        sum += kernel[(dr + 1) * 3 + dc + 1] * pixels[(r + dr) * side + c + dc]
                    }
                }
                result[r * side + c] = sum
            }
        }
        return result
    }
}
