import Datasets
import Linalg
import Nets

/// The network a run trains, as named in configurations (`model`).
public enum ModelArchitecture: String, Codable, Sendable, CaseIterable {
    /// A multilayer perceptron trunk (`widths`, `activation`) with a Linear head per task.
    case mlp
    /// MultiLeNet (Sener & Koltun 2018): a LeNet-style convolutional trunk with a two-layer
    /// head per task; needs inputs of shape `[channels, height, width]` (`activation` and
    /// `widths` do not apply; `dropout` does). See `MultiTaskModel.multiLeNet`.
    case multilenet

    /// The initialised model for inputs of `inputShape` with the given heads; throws a
    /// `HyperparameterError` naming `model` when the architecture cannot take such inputs.
    public func makeModel(
        inputShape: [Int], heads: [(name: String, outputs: Int, loss: LossKind)], configuration: RunConfiguration,
        headStreams: [Int]? = nil
    ) throws -> MultiTaskModel<Float> {
        switch self {
        case .mlp:
            return .multilayerPerceptron(inputWidth: inputShape.reduce(1, *), trunkWidths: configuration.widths,
                                         activation: configuration.activation, heads: heads, seed: configuration.seed,
                                         headStreams: headStreams)
        case .multilenet:
            guard inputShape.count == 3, inputShape[1] >= 16, inputShape[2] >= 16 else {
                throw HyperparameterError(
                    field: "model",
                    message: "model multilenet needs images of shape [channels, height, width] of at least 16x16 pixels (the dataset's input shape is \(inputShape))")
            }
            return .multiLeNet(inputShape: inputShape, heads: heads, seed: configuration.seed, headStreams: headStreams,
                               dropout: configuration.dropout)
        }
    }
}
