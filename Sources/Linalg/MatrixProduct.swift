/// The product `op(a) * op(b)` by GEMM, where `op` transposes when asked.
///
/// Shapes: op(a) is m x k, op(b) is k x n, the result m x n.
public func matrixProduct<Scalar>(
    _ a: Matrix<Scalar>, transposed transposeA: Bool = false,
    _ b: Matrix<Scalar>, transposed transposeB: Bool = false
) -> Matrix<Scalar> {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let kb = transposeB ? b.columns : b.rows
    let n = transposeB ? b.rows : b.columns
    precondition(k == kb, "inner dimensions differ: \(k) vs \(kb)")
    var c = Matrix<Scalar>(rows: m, columns: n)
    if m == 0 || n == 0 { return c }
    if k == 0 { return c }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                            alpha: 1, a: pa.baseAddress!, lda: max(1, a.columns),
                            b: pb.baseAddress!, ldb: max(1, b.columns),
                            beta: 0, c: pc.baseAddress!, ldc: max(1, n))
            }
        }
    }
    return c
}

/// `c = alpha * op(a) * op(b) + beta * c` in place.
public func multiplyAccumulate<Scalar>(
    _ a: Matrix<Scalar>, transposed transposeA: Bool = false,
    _ b: Matrix<Scalar>, transposed transposeB: Bool = false,
    into c: inout Matrix<Scalar>, alpha: Scalar = 1, beta: Scalar = 1
) {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let kb = transposeB ? b.columns : b.rows
    let n = transposeB ? b.rows : b.columns
    precondition(k == kb, "inner dimensions differ: \(k) vs \(kb)")
    precondition(c.rows == m && c.columns == n, "result is \(c.rows)x\(c.columns), product is \(m)x\(n)")
    if m == 0 || n == 0 || k == 0 { return }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                            alpha: alpha, a: pa.baseAddress!, lda: max(1, a.columns),
                            b: pb.baseAddress!, ldb: max(1, b.columns),
                            beta: beta, c: pc.baseAddress!, ldc: max(1, n))
            }
        }
    }
}

/// The matrix-vector product `m v` (`rows` values), or `m^T v` (`columns` values) when
/// `transposed`, by GEMV.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func matrixVectorProduct<Scalar: BLASScalar>(_ m: Matrix<Scalar>, _ v: [Scalar], transposed: Bool = false) -> [Scalar] {
    let (inputs, outputs) = transposed ? (m.rows, m.columns) : (m.columns, m.rows)
    precondition(v.count == inputs, "a \(m.rows)x\(m.columns) matrix\(transposed ? " transposed" : "") times a vector of \(v.count)")
    var result = [Scalar](repeating: 0, count: outputs)
    if m.rows == 0 || m.columns == 0 { return result }
    m.storage.withUnsafeBufferPointer { a in
        v.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { y in
                Scalar.gemv(transpose: transposed, m: m.rows, n: m.columns, alpha: 1, a: a.baseAddress!, lda: m.columns,
                            x: x.baseAddress!, incx: 1, beta: 0, y: y.baseAddress!, incy: 1)
            }
        }
    }
    return result
}
