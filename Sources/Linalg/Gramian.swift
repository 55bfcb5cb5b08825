/// The Gramian `G_ij = r_i . r_j` of the rows of `matrix` restricted to its first `columns`
/// columns: a `rows x rows` symmetric matrix, row-major.
///
/// With the per-task gradients as rows and the shared parameters as the column prefix, this
/// is the task-gradient Gramian from which norms, cosines and magnitude similarity follow.
/// It is one pass over the rows: a GEMM per block of `blockColumns` columns, each block's
/// product added into a Double accumulator (so Float rows lose at most a block's rounding).
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func gramian<Scalar: BLASScalar>(ofRows matrix: Matrix<Scalar>, columns: Int? = nil, blockColumns: Int = 4096) -> Matrix<Double> {
    let width = columns ?? matrix.columns
    precondition(width <= matrix.columns, "Gramian over \(width) of \(matrix.columns) columns")
    precondition(blockColumns > 0, "blocks need at least one column")
    let n = matrix.rows
    var result = Matrix<Double>(rows: n, columns: n)
    guard n > 0 else { return result }
    var block = [Scalar](repeating: 0, count: n * n)
    matrix.storage.withUnsafeBufferPointer { m in
        block.withUnsafeMutableBufferPointer { b in
            var start = 0
            while start < width {
                let length = min(blockColumns, width - start)
                Scalar.gemm(transposeA: false, transposeB: true, m: n, n: n, k: length, alpha: 1,
                            a: m.baseAddress! + start, lda: matrix.columns, b: m.baseAddress! + start, ldb: matrix.columns,
                            beta: 0, c: b.baseAddress!, ldc: n)
                for i in 0..<(n * n) { result.storage[i] += Double(b[i]) }
                start += length
            }
        }
    }
    // Exact symmetry, whatever the GEMM's rounding.
    for i in 0..<n { for j in 0..<i { result[j, i] = result[i, j] } }
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
