import CBLAS
import RealModule

/// A floating-point type that OpenBLAS computes with: `Float` (the s-routines) or
/// `Double` (the d-routines). Every numerical type in TaskTrace is generic over it, so the
/// same code trains in Float32 and is checked in Float64 against finite differences.
public protocol BLASScalar: BinaryFloatingPoint, Real, SIMDScalar, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// C = alpha * op(A) * op(B) + beta * C on row-major storage.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
        c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y = alpha * op(A) * x + beta * y on row-major A (m x n).
    static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, incx: Int, beta: Self, y: UnsafeMutablePointer<Self>, incy: Int)
    static func dot(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int, _ y: UnsafePointer<Self>, _ incy: Int) -> Self
    static func axpy(_ n: Int, _ alpha: Self, _ x: UnsafePointer<Self>, _ incx: Int, _ y: UnsafeMutablePointer<Self>, _ incy: Int)
    static func nrm2(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int) -> Self
    /// x . y accumulated in Double (BLAS dsdot for Float, ddot for Double).
    static func preciseDot(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int, _ y: UnsafePointer<Self>, _ incy: Int) -> Double
    static func scal(_ n: Int, _ alpha: Self, _ x: UnsafeMutablePointer<Self>, _ incx: Int)
    /// LAPACK syev: eigenvalues (ascending) and, if `vectors`, eigenvectors of the symmetric
    /// column-major n x n matrix in `a`, overwritten by the vectors. Returns LAPACK's info.
    static func syev(vectors: Bool, n: Int, a: UnsafeMutablePointer<Self>, values: UnsafeMutablePointer<Self>) -> Int
}

@inline(__always) private func order() -> CBLAS_ORDER { CblasRowMajor }
@inline(__always) private func op(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: BLASScalar {
    @inline(__always)
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(order(), op(transposeA), op(transposeB), blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inline(__always)
    public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
    ) {
        cblas_sgemv(order(), op(transpose), blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, blasint(incx), beta, y, blasint(incy))
    }
    @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int, _ y: UnsafePointer<Float>, _ incy: Int) -> Float {
        cblas_sdot(blasint(n), x, blasint(incx), y, blasint(incy))
    }
    @inline(__always)
    public static func preciseDot(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int, _ y: UnsafePointer<Float>, _ incy: Int) -> Double {
        cblas_dsdot(blasint(n), x, blasint(incx), y, blasint(incy))
    }
    @inline(__always)
    public static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ incx: Int, _ y: UnsafeMutablePointer<Float>, _ incy: Int) {
        cblas_saxpy(blasint(n), alpha, x, blasint(incx), y, blasint(incy))
    }
    @inline(__always)
    public static func nrm2(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int) -> Float {
        cblas_snrm2(blasint(n), x, blasint(incx))
    }
    @inline(__always)
    public static func scal(_ n: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>, _ incx: Int) {
        cblas_sscal(blasint(n), alpha, x, blasint(incx))
    }
    public static func syev(vectors: Bool, n: Int, a: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>) -> Int {
        var jobz = CChar(UInt8(ascii: vectors ? "V" : "N")), uplo = CChar(UInt8(ascii: "U"))
        var size = Int32(n), info: Int32 = 0, lwork: Int32 = -1
        var query: Float = 0
        ssyev_(&jobz, &uplo, &size, a, &size, values, &query, &lwork, &info, 1, 1)
        lwork = Int32(query)
        var work = [Float](repeating: 0, count: max(1, Int(lwork)))
        ssyev_(&jobz, &uplo, &size, a, &size, values, &work, &lwork, &info, 1, 1)
        return Int(info)
    }
}

extension Double: BLASScalar {
    @inline(__always)
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(order(), op(transposeA), op(transposeB), blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inline(__always)
    public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, incx: Int, beta: Double, y: UnsafeMutablePointer<Double>, incy: Int
    ) {
        cblas_dgemv(order(), op(transpose), blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, blasint(incx), beta, y, blasint(incy))
    }
    @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafePointer<Double>, _ incy: Int) -> Double {
        cblas_ddot(blasint(n), x, blasint(incx), y, blasint(incy))
    }
    @inline(__always)
    public static func preciseDot(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafePointer<Double>, _ incy: Int) -> Double {
        cblas_ddot(blasint(n), x, blasint(incx), y, blasint(incy))
    }
    @inline(__always)
    public static func axpy(_ n: Int, _ alpha: Double, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafeMutablePointer<Double>, _ incy: Int) {
        cblas_daxpy(blasint(n), alpha, x, blasint(incx), y, blasint(incy))
    }
    @inline(__always)
    public static func nrm2(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int) -> Double {
        cblas_dnrm2(blasint(n), x, blasint(incx))
    }
    @inline(__always)
    public static func scal(_ n: Int, _ alpha: Double, _ x: UnsafeMutablePointer<Double>, _ incx: Int) {
        cblas_dscal(blasint(n), alpha, x, blasint(incx))
    }
    public static func syev(vectors: Bool, n: Int, a: UnsafeMutablePointer<Double>, values: UnsafeMutablePointer<Double>) -> Int {
        var jobz = CChar(UInt8(ascii: vectors ? "V" : "N")), uplo = CChar(UInt8(ascii: "U"))
        var size = Int32(n), info: Int32 = 0, lwork: Int32 = -1
        var query: Double = 0
        dsyev_(&jobz, &uplo, &size, a, &size, values, &query, &lwork, &info, 1, 1)
        lwork = Int32(query)
        var work = [Double](repeating: 0, count: max(1, Int(lwork)))
        dsyev_(&jobz, &uplo, &size, a, &size, values, &work, &lwork, &info, 1, 1)
        return Int(info)
    }
}
