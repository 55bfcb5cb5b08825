/// The eigen-decomposition of a small symmetric matrix, by LAPACK's syev.
public struct SymmetricEigen<Scalar: BLASScalar>: Sendable {
    /// Eigenvalues in ascending order.
    public var values: [Scalar]
    /// Eigenvectors as the columns of an n x n matrix: column j belongs to `values[j]`.
    public var vectors: Matrix<Scalar>

    /// Decomposes the symmetric matrix `matrix` (only its upper triangle is read).
    /// - Throws: `LinalgError.eigenFailed` when LAPACK reports that the iteration did not converge.
    public init(_ matrix: Matrix<Scalar>) throws {
        precondition(matrix.rows == matrix.columns, "eigen-decomposition needs a square matrix")
        let n = matrix.rows
        // LAPACK is column-major: the row-major storage of a symmetric matrix is its own
        // column-major storage, and "upper" there is "lower" here, which syev with uplo "U"
        // reads; symmetry makes both the same.
        var a = matrix.storage
        var w = [Scalar](repeating: 0, count: n)
        let info = n == 0 ? 0 : a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                Scalar.syev(vectors: true, n: n, a: pa.baseAddress!, values: pw.baseAddress!)
            }
        }
        if info != 0 { throw LinalgError.eigenFailed(info: info) }
        values = w
        // a now holds the vectors column-major: column j at a[j*n ..< (j+1)*n].
        vectors = Matrix(rows: n, columns: n, storage: a).transposed
    }
}

/// Eigenvalues only (ascending) of a small symmetric matrix.
public func symmetricEigenvalues<Scalar: BLASScalar>(_ matrix: Matrix<Scalar>) throws -> [Scalar] {
    precondition(matrix.rows == matrix.columns, "eigenvalues need a square matrix")
    let n = matrix.rows
    var a = matrix.storage
    var w = [Scalar](repeating: 0, count: n)
    let info = n == 0 ? 0 : a.withUnsafeMutableBufferPointer { pa in
        w.withUnsafeMutableBufferPointer { pw in
            Scalar.syev(vectors: false, n: n, a: pa.baseAddress!, values: pw.baseAddress!)
        }
    }
    if info != 0 { throw LinalgError.eigenFailed(info: info) }
    return w
}

/// Failures of the linear-algebra layer.
public enum LinalgError: Error, Equatable, CustomStringConvertible {
    case eigenFailed(info: Int)

    public var description: String {
        switch self {
        case .eigenFailed(let info): "symmetric eigen-decomposition failed (LAPACK info \(info))"
        }
    }
}
