import Linalg

/// The hyperbolic tangent, elementwise. Smooth, so finite-difference checks of its
/// Hessian-vector products are reliable (ReLU's kink is not).
public struct Tanh: Layer {
    public let width: Int
    public var parameterOffset: Int = 0

    public init(width: Int) { self.width = width }

    public var inputWidth: Int { width }
    public var outputWidth: Int { width }
    public var parameterShapes: [ParameterShape] { [] }
    public var description: String { "Tanh(\(width))" }

    public func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {}

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        var output = input
        output.storage.withUnsafeMutableBufferPointer { y in
            for i in 0..<y.count { y[i] = Scalar.tanh(y[i]) }
        }
        return output
    }

    /// The derivative 1 - y^2 at the output y.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func slope<Scalar: BLASScalar>(_ output: Matrix<Scalar>) -> Matrix<Scalar> {
        var result = output
        result.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<s.count { s[i] = 1 - s[i] * s[i] }
        }
        return result
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>? {
        guard needsInputGradient else { return nil }
        return multiplyBlocks(upstream, by: slope(output), multiplicity: multiplicity)
    }

    /// R{y} = (1 - y^2) R{x}.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        guard let inputR else { return Matrix(rows: input.rows, columns: width) }
        return hadamard(inputR, slope(output))
    }

    /// R{dx} = R{dy} (1 - y^2) - 2 dy y R{y}.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        guard needsInputGradient else { return nil }
        let s = slope(output)
        var gradientR = hadamard(upstreamR, s)
        gradientR.storage.withUnsafeMutableBufferPointer { rdx in
            upstream.storage.withUnsafeBufferPointer { dy in
                output.storage.withUnsafeBufferPointer { y in
                    outputR.storage.withUnsafeBufferPointer { ry in
                        for i in 0..<rdx.count { rdx[i] -= 2 * dy[i] * y[i] * ry[i] }
                    }
                }
            }
        }
        return (hadamard(upstream, s), gradientR)
    }
}
