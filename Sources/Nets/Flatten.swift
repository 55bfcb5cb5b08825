import Linalg

/// Reshapes `[channels, height, width]` feature maps into one feature vector per example.
///
/// Activations are already stored one example per row (`N x (C*H*W)`, channel-major as
/// PyTorch's `flatten(1)`), so the layer moves no data: forward, backward and both R-passes
/// pass their input through. It marks in a model's description where convolutional
/// features meet fully connected layers, and serves as the parameter-free head of a model
/// whose tasks share every parameter (a multi-domain model with one shared head).
public struct Flatten: Layer {
    /// Features per example, `C*H*W`.
    public let width: Int
    public var parameterOffset: Int = 0

    public init(width: Int) { self.width = width }

    public var inputWidth: Int { width }
    public var outputWidth: Int { width }
    public var parameterShapes: [ParameterShape] { [] }
    public var description: String { "Flatten(\(width))" }

    public func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {}

    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        precondition(input.columns == width, "\(self): input has \(input.columns) columns")
        return input
    }

    public func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>? {
        precondition(upstream.columns == multiplicity * width, "\(self): upstream shape")
        return needsInputGradient ? upstream : nil
    }

    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        inputR ?? Matrix(rows: input.rows, columns: width)
    }

    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        needsInputGradient ? (upstream, upstreamR) : nil
    }
}
