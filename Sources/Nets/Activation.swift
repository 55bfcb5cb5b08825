import Linalg

/// The activation between trunk layers, as named in configurations.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case relu
    case tanh

    /// A layer applying this activation to `width` features.
    public func layer(width: Int) -> any Layer {
        switch self {
        case .relu: ReLU(width: width)
        case .tanh: Tanh(width: width)
        }
    }
}

/// `upstream ⊙ factor` where `upstream` is `N x (m * width)` and `factor` is `N x width`,
/// broadcast over the `m` blocks of each row: the backward pass of an elementwise layer.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func multiplyBlocks<Scalar: BLASScalar>(_ upstream: Matrix<Scalar>, by factor: Matrix<Scalar>, multiplicity m: Int) -> Matrix<Scalar> {
    let n = factor.rows, width = factor.columns
    precondition(upstream.rows == n && upstream.columns == m * width, "upstream shape does not match the layer")
    var result = Matrix<Scalar>(rows: n, columns: m * width)
    upstream.storage.withUnsafeBufferPointer { dy in
        factor.storage.withUnsafeBufferPointer { f in
            result.storage.withUnsafeMutableBufferPointer { dx in
                for row in 0..<n {
                    let fr = f.baseAddress! + row * width
                    for k in 0..<m {
                        let base = (row * m + k) * width
                        for j in 0..<width { dx[base + j] = dy[base + j] * fr[j] }
                    }
                }
            }
        }
    }
    return result
}

/// `a ⊙ b` elementwise, same shapes.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func hadamard<Scalar: BLASScalar>(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>) -> Matrix<Scalar> {
    multiplyBlocks(a, by: b, multiplicity: 1)
}
