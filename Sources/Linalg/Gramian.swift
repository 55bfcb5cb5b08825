/// The Gramian `G_ij = r_i . r_j` of the rows of `matrix` restricted to its first `columns`
/// columns, accumulated in Double: a `rows x rows` symmetric matrix, row-major.
///
/// With the per-task gradients as rows and the shared parameters as the column prefix, this
/// is the task-gradient Gramian from which norms, cosines and magnitude similarity follow.
public func gramian<Scalar: BLASScalar>(ofRows matrix: Matrix<Scalar>, columns: Int? = nil) -> Matrix<Double> {
    let width = columns ?? matrix.columns
    precondition(width <= matrix.columns, "Gramian over \(width) of \(matrix.columns) columns")
    let n = matrix.rows
    var result = Matrix<Double>(rows: n, columns: n)
    matrix.storage.withUnsafeBufferPointer { m in
        for i in 0..<n {
            for j in 0...i {
                let value = width == 0 ? 0 : Scalar.preciseDot(width, m.baseAddress! + i * matrix.columns, 1,
                                                               m.baseAddress! + j * matrix.columns, 1)
                result[i, j] = value
                result[j, i] = value
            }
        }
    }
    return result
}

/// Cosines `G_ij / sqrt(G_ii G_jj)` from a Gramian; 0 where either vector is zero.
public func cosines(fromGramian g: Matrix<Double>) -> Matrix<Double> {
    var result = Matrix<Double>(rows: g.rows, columns: g.columns)
    for i in 0..<g.rows {
        for j in 0..<g.columns {
            let scale = (g[i, i] * g[j, j]).squareRoot()
            result[i, j] = scale > 0 ? g[i, j] / scale : 0
        }
    }
    return result
}
