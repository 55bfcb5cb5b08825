import Linalg

/// The rectifier `max(x, 0)`, elementwise. Its derivative is taken as 0 at 0 (as PyTorch
/// does) and its second derivative as 0 everywhere, so R-passes only mask.
public struct ReLU: Layer {
    public let width: Int
    public var parameterOffset: Int = 0

    public init(width: Int) { self.width = width }

    public var inputWidth: Int { width }
    public var outputWidth: Int { width }
    public var parameterShapes: [ParameterShape] { [] }
    public var description: String { "ReLU(\(width))" }

    public func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {}

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        var output = input
        output.storage.withUnsafeMutableBufferPointer { y in
            for i in 0..<y.count where !(y[i] > 0) { y[i] = 0 }
        }
        return output
    }

    /// 1 where the input is positive, else 0.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func mask<Scalar: BLASScalar>(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        var result = input
        result.storage.withUnsafeMutableBufferPointer { m in
            for i in 0..<m.count { m[i] = m[i] > 0 ? 1 : 0 }
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
        // One pass: the output is positive exactly where the input is.
        let n = output.rows, m = multiplicity
        precondition(upstream.rows == n && upstream.columns == m * width, "\(self): upstream shape")
        var result = upstream
        result.storage.withUnsafeMutableBufferPointer { dx in
            output.storage.withUnsafeBufferPointer { y in
                for row in 0..<n {
                    let yr = y.baseAddress! + row * width
                    for k in 0..<m {
                        let block = dx.baseAddress! + (row * m + k) * width
                        for j in 0..<width where !(yr[j] > 0) { block[j] = 0 }
                    }
                }
            }
        }
        return result
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        guard let inputR else { return Matrix(rows: input.rows, columns: width) }
        return hadamard(inputR, mask(output))
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        guard needsInputGradient else { return nil }
        let m = mask(output)
        return (hadamard(upstream, m), hadamard(upstreamR, m))
    }
}
