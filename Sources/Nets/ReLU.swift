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
        let count = input.storage.count
        let storage = input.storage.withUnsafeBufferPointer { x in
            [Scalar](unsafeUninitializedCapacity: count) { y, initialized in
                keepPositive(x.baseAddress!, mask: x.baseAddress!, into: y.baseAddress!, count: count)
                initialized = count
            }
        }
        return Matrix(rows: input.rows, columns: input.columns, storage: storage)
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
        let storage = upstream.storage.withUnsafeBufferPointer { dy in
            output.storage.withUnsafeBufferPointer { y in
                [Scalar](unsafeUninitializedCapacity: dy.count) { dx, initialized in
                    for row in 0..<n {
                        for k in 0..<m {
                            let offset = (row * m + k) * width
                            keepPositive(dy.baseAddress! + offset, mask: y.baseAddress! + row * width,
                                         into: dx.baseAddress! + offset, count: width)
                        }
                    }
                    initialized = dy.count
                }
            }
        }
        return Matrix(rows: upstream.rows, columns: upstream.columns, storage: storage)
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

/// `result[i] = mask[i] > 0 ? values[i] : 0` for `count` elements (a NaN mask entry gives 0,
/// as ReLU maps NaN to 0); `values` and `mask` may be the same buffer. A branch-free select
/// that the compiler vectorises once specialised.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
@inline(__always)
func keepPositive<Scalar: BLASScalar>(_ values: UnsafePointer<Scalar>, mask: UnsafePointer<Scalar>,
                                      into result: UnsafeMutablePointer<Scalar>, count: Int) {
    for k in 0..<count { result[k] = mask[k] > 0 ? values[k] : 0 }
}
