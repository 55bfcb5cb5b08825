import Linalg

/// An estimate of the largest eigenvalue of a symmetric operator.
public struct EigenvalueEstimate: Sendable, Equatable {
    /// The largest (algebraic) eigenvalue found.
    public var value: Double
    /// Number of operator applications used.
    public var iterations: Int
    /// Whether the relative change fell below the tolerance before the iteration cap.
    public var converged: Bool
}

/// The largest eigenvalue of the symmetric operator `product` (e.g. a Hessian through
/// `HessianVectorProduct.apply`) by power iteration, stopping when the Rayleigh quotient
/// changes by less than `tolerance` relative, or after `maxIterations` products.
///
/// Power iteration finds the eigenvalue of largest magnitude; when that is negative, a second
/// run on `H - lambda I` finds the largest algebraic one, which is what sharpness means.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func topEigenvalueByPowerIteration<Scalar: BLASScalar>(
    dimension: Int, tolerance: Double = 1e-4, maxIterations: Int = 100, seed: UInt64 = 0,
    product: ([Scalar]) -> [Scalar]
) -> EigenvalueEstimate {
    var generator = RandomGenerator(seed: seed, stream: 0x5EED)
    func run(shift: Double) -> EigenvalueEstimate {
        var v = (0..<dimension).map { _ in Scalar(generator.normal()) }
        scale(&v, by: 1 / norm(v))
        var estimate = 0.0
        for iteration in 1...maxIterations {
            var w = product(v)
            if shift != 0 { axpy(Scalar(-shift), v, &w) }
            let next = Double(dot(v, w))
            let length = norm(w)
            if length == 0 { return EigenvalueEstimate(value: shift, iterations: iteration, converged: true) }
            v = w
            scale(&v, by: 1 / length)
            if iteration > 1 && abs(next - estimate) <= tolerance * max(abs(next), .leastNormalMagnitude) {
                return EigenvalueEstimate(value: next + shift, iterations: iteration, converged: true)
            }
            estimate = next
        }
        return EigenvalueEstimate(value: estimate + shift, iterations: maxIterations, converged: false)
    }
    let dominant = run(shift: 0)
    guard dominant.value < 0 else { return dominant }
    let shifted = run(shift: dominant.value)
    return EigenvalueEstimate(value: shifted.value, iterations: dominant.iterations + shifted.iterations,
                              converged: dominant.converged && shifted.converged)
}

/// The largest eigenvalue of the symmetric operator `product` by the Lanczos iteration with
/// full reorthogonalization (Lanczos 1950; Golub and Van Loan, Matrix Computations, 10.1):
/// after `k` products, the top eigenvalue of the `k x k` tridiagonal matrix is the estimate.
/// Stops when it changes by less than `tolerance` relative, when the Krylov space is
/// exhausted, or after `maxIterations` products; a negative `tolerance` never stops early on
/// the change (a converged estimate can repeat exactly), so that exactly `maxIterations`
/// products are taken unless the space is exhausted.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func topEigenvalueByLanczos<Scalar: BLASScalar>(
    dimension: Int, tolerance: Double = 1e-4, maxIterations: Int = 20, seed: UInt64 = 0,
    product: ([Scalar]) -> [Scalar]
) -> EigenvalueEstimate {
    var generator = RandomGenerator(seed: seed, stream: 0x1A2C)
    var q = (0..<dimension).map { _ in Scalar(generator.normal()) }
    scale(&q, by: 1 / norm(q))
    var basis: [[Scalar]] = []
    var alphas: [Double] = [], betas: [Double] = []
    var previousEstimate = Double.nan
    let cap = min(maxIterations, dimension)
    for iteration in 1...max(1, cap) {
        basis.append(q)
        var w = product(q)
        let alpha = Double(dot(q, w))
        alphas.append(alpha)
        // Full reorthogonalization, twice (classical Gram–Schmidt is not stable once).
        for _ in 0..<2 {
            for vector in basis { axpy(-dot(vector, w), vector, &w) }
        }
        let beta = Double(norm(w))
        let estimate = largestTridiagonalEigenvalue(diagonal: alphas, offDiagonal: betas)
        let exhausted = beta <= 1e-10 * max(abs(estimate), 1)
        if exhausted || (iteration > 1 && abs(estimate - previousEstimate) <= tolerance * max(abs(estimate), .leastNormalMagnitude)) {
            return EigenvalueEstimate(value: estimate, iterations: iteration, converged: true)
        }
        if iteration == cap {
            return EigenvalueEstimate(value: estimate, iterations: iteration, converged: iteration == dimension)
        }
        previousEstimate = estimate
        betas.append(beta)
        q = w
        scale(&q, by: Scalar(1 / beta))
    }
    return EigenvalueEstimate(value: previousEstimate, iterations: cap, converged: false)
}

/// The largest eigenvalue of the symmetric tridiagonal matrix with the given diagonal and
/// off-diagonal, in Double.
func largestTridiagonalEigenvalue(diagonal: [Double], offDiagonal: [Double]) -> Double {
    let k = diagonal.count
    var t = Matrix<Double>(rows: k, columns: k)
    for i in 0..<k { t[i, i] = diagonal[i] }
    for i in 0..<min(offDiagonal.count, k - 1) {
        t[i, i + 1] = offDiagonal[i]
        t[i + 1, i] = offDiagonal[i]
    }
    // A tridiagonal matrix of a few dozen rows: syev cannot fail to converge in practice;
    // if it reports so, the diagonal's maximum is the honest fallback of a Rayleigh quotient.
    return (try? symmetricEigenvalues(t).last) ?? diagonal.max() ?? .nan
}
