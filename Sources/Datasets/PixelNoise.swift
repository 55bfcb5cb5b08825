import Linalg

/// The noise of the `noisy` domain: every pixel plus an independent normal draw of standard
/// deviation 0.2 (in pixel units, the image range being [0, 1]), clipped to [0, 1].
public enum PixelNoise {
    /// The standard deviation sigma of the additive noise, in pixel units.
    public static let standardDeviation = 0.2

    /// `pixels` with noise drawn from `generator` (one normal per pixel, in order), clipped to [0, 1].
    public static func apply(to pixels: [Float], generator: inout RandomGenerator) -> [Float] {
        pixels.map { pixel in
            let noisy = Double(pixel) + generator.normal(mean: 0, standardDeviation: standardDeviation)
            return Float(min(1, max(0, noisy)))
        }
    }
}
