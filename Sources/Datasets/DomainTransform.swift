import Linalg

/// One way of seeing a square grey image, for multi-domain data (`MultiDomainFashion`): the
/// same label space seen through different input distributions. Every transform maps pixel
/// values in [0, 1] to values in [0, 1] and keeps the image's side.
public enum DomainTransform: String, Codable, Sendable, CaseIterable {
    /// The image as it is.
    case original
    /// `1 - x` for every pixel x.
    case inverted
    /// Rotated by 90 degrees clockwise: the pixel at (row r, column c) moves to (c, side - 1 - r),
    /// so the top-left corner goes to the top-right.
    case rotated
    /// Blurred by the 3 x 3 binomial (Gaussian-like) kernel `GaussianBlur.kernel`, zero padding.
    case blurred
    /// Plus independent Gaussian noise of standard deviation `PixelNoise.standardDeviation`
    /// (0.2) per pixel, clipped to [0, 1]; the noise comes from the generator passed in.
    case noisy

    /// Every domain name, in the order of the cases.
    public static let allNames = allCases.map(\.rawValue)

    /// The transformed image.
    /// - Parameters:
    ///   - pixels: `side * side` values in [0, 1], row-major.
    ///   - side: the image's side in pixels.
    ///   - generator: the noise source (drawn from by `noisy` only: `side * side` normals).
    public func apply(to pixels: [Float], side: Int, generator: inout RandomGenerator) -> [Float] {
        precondition(pixels.count == side * side, "\(pixels.count) pixels do not form a \(side) x \(side) image")
        switch self {
        case .original:
            return pixels
        case .inverted:
            return pixels.map { 1 - $0 }
        case .rotated:
            var result = [Float](repeating: 0, count: pixels.count)
            for r in 0..<side {
                for c in 0..<side { result[c * side + (side - 1 - r)] = pixels[r * side + c] }
            }
            return result
        case .blurred:
            return GaussianBlur.apply(to: pixels, side: side)
        case .noisy:
            return PixelNoise.apply(to: pixels, generator: &generator)
        }
    }
}
