/// The eigen-decomposition of a small symmetric matrix, by LAPACK's syev.
public struct SymmetricEigen<Scalar: BLASScalar>: Sendable {
    /// Eigenvalues in ascending order.
    public var values: [Scalar]
    /// Eigenvectors as the columns of an n x n matrix: column j belongs to `values[j]`.
    public var vectors: Matrix<Scalar>

    /// Decomposes the symmetric matrix `matrix` (only its upper triangle is read).
    /// - Throws: `LinalgError.eigenFailed` when LAPACK reports that the iteration did not converge.
    public init(_ matrix: Matrix<Scalar>) throws {
        // LAPACK is column-major: the row-major storage of a symmetric matrix is its own
        // column-major storage, so the buffer goes in as it is.
        let (w, a) = try lapackSymmetricEigen(matrix, vectors: true)
        values = w
        // a holds the vectors column-major: column j at a[j*n ..< (j+1)*n].
        vectors = Matrix(rows: matrix.rows, columns: matrix.rows, storage: a).transposed
    }
}

/// Eigenvalues only (ascending) of a small symmetric matrix.
public func symmetricEigenvalues<Scalar: BLASScalar>(_ matrix: Matrix<Scalar>) throws -> [Scalar] {
    try lapackSymmetricEigen(matrix, vectors: false).values
}

/// LAPACK's syev on a copy of `matrix`: the eigenvalues (ascending) and the buffer LAPACK
/// leaves, which holds the eigenvectors column-major when `vectors` is set.
private func lapackSymmetricEigen<Scalar: BLASScalar>(_ matrix: Matrix<Scalar>, vectors: Bool) throws -> (values: [Scalar], buffer: [Scalar]) {
    precondition(matrix.rows == matrix.columns, "eigen-decomposition needs a square matrix")
    let n = matrix.rows
    var a = matrix.storage
    var w = [Scalar](repeating: 0, count: n)
    let info = n == 0 ? 0 : a.withUnsafeMutableBufferPointer { pa in
        w.withUnsafeMutableBufferPointer { pw in
            Scalar.syev(vectors: vectors, n: n, a: pa.baseAddress!, values: pw.baseAddress!)
        }
    }
    if info != 0 { throw LinalgError.eigenFailed(info: info) }
    return (w, a)
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
