/// The shape `[channels, height, width]` of one example's feature maps.
///
/// An example's maps are stored in one matrix row, channel-major as PyTorch's `flatten(1)`:
/// element `(c, i, j)` at column `(c * height + i) * width + j`.
public struct FeatureMapShape: Sendable, Equatable, CustomStringConvertible {
    public var channels: Int
    /// Rows of one map, in pixels.
    public var height: Int
    /// Columns of one map, in pixels.
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        precondition(channels > 0 && height > 0 && width > 0, "feature maps need positive channels, height and width")
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// The shape from `[channels, height, width]` (a dataset's `inputShape`).
    public init(_ dimensions: [Int]) {
        precondition(dimensions.count == 3, "feature maps have shape [channels, height, width], got \(dimensions)")
        self.init(channels: dimensions[0], height: dimensions[1], width: dimensions[2])
    }

    /// Pixels of one map, `height * width`.
    public var area: Int { height * width }
    /// Scalars per example, `channels * height * width`.
    public var count: Int { channels * height * width }
    public var dimensions: [Int] { [channels, height, width] }
    public var description: String { "\(channels)x\(height)x\(width)" }

    /// The side of a sliding window's output: `(side + 2 padding - kernel) / stride + 1`.
    static func slidingOutputSide(_ side: Int, kernel: Int, stride: Int, padding: Int) -> Int {
        (side + 2 * padding - kernel) / stride + 1
    }
}
