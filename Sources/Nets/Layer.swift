import Linalg

/// The name and shape of one parameter tensor a layer owns.
public struct ParameterShape: Sendable, Equatable {
    /// Suffix of the tensor's name (`weight`, `bias`).
    public var name: String
    /// Shape in PyTorch layout.
    public var shape: [Int]

    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    public var count: Int { shape.reduce(1, *) }
}

/// A differentiable layer of a network: forward, backward, and Pearlmutter's R-operator
/// (forward and backward R-passes) for exact Hessian-vector products.
///
/// A layer holds only its shape and the offset of its parameters in the model's flat
/// buffer; parameters, gradients and directions are passed in as flat buffers in the full
/// model layout. Activations are matrices with one example per row (`N x width`).
///
/// Backward passes take a *multiplicity* `m`: the upstream gradient is `N x (m * outputWidth)`,
/// row `n` holding `m` upstream vectors of example `n` side by side (one per task). Because a
/// layer's backward pass is linear in the upstream gradient, the `m` passes share one set of
/// larger GEMMs; gradient `k` is written to `gradients + k * gradientStride`.
public protocol Layer: Sendable, CustomStringConvertible {
    /// Features per example going in.
    var inputWidth: Int { get }
    /// Features per example coming out.
    var outputWidth: Int { get }
    /// The parameter tensors this layer owns, in storage order (empty for activations).
    var parameterShapes: [ParameterShape] { get }
    /// Index of this layer's first parameter in the model's flat buffer.
    var parameterOffset: Int { get set }

    /// Writes this layer's initial parameters into its slice of `parameters`.
    func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator)

    /// `output = f(input)`; input `N x inputWidth`, output `N x outputWidth`.
    func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar>

    /// Gradients of `m` losses: writes each parameter gradient (overwriting) and returns the
    /// input gradients `N x (m * inputWidth)` when `needsInputGradient`.
    func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>?

    /// Forward R-pass: the directional derivative of the output, R{output}, when the
    /// parameters move along `direction` and the input moves by `inputR` (nil: the input
    /// does not depend on the parameters).
    func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar>

    /// Backward R-pass: given the upstream gradient and its R-derivative, writes this
    /// layer's part of the Hessian-vector product into `hessianProduct` (overwriting) and
    /// returns the input gradient and its R-derivative when `needsInputGradient`.
    func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)?
}

extension Layer {
    /// Number of scalars this layer owns.
    public var parameterCount: Int { parameterShapes.reduce(0) { $0 + $1.count } }
}
