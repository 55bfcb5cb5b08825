import Linalg

/// Hutchinson's trace estimator (Hutchinson 1990, "A stochastic estimator of the trace of the
/// influence matrix for Laplacian smoothing splines") for several symmetric operators at once:
/// `tr A ≈ (1/S) Σ_s z_sᵀ A z_s` with Rademacher vectors `z_s` (entries ±1, equally likely),
/// unbiased, with variance `2 Σ_{i≠j} A_ij²` per sample.
///
/// Every operator sees the same vectors (common random numbers), so the estimates of a linear
/// combination of operators are that combination of the estimates.
///
/// - Parameters:
///   - dimension: the length of the vectors.
///   - samples: S, at least 1.
///   - generator: the source of the signs; it advances by `samples * ceil(dimension / 64)` draws.
///   - operators: the products `v -> A v`.
/// - Returns: one trace estimate per operator, in the operators' units.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func hutchinsonTraces<Scalar: BLASScalar>(
    dimension: Int, samples: Int, generator: inout RandomGenerator, operators: [([Scalar]) -> [Scalar]]
) -> [Double] {
    precondition(samples >= 1, "Hutchinson needs at least one sample")
    var sums = [Double](repeating: 0, count: operators.count)
    for _ in 0..<samples {
        let z: [Scalar] = rademacherVector(dimension, generator: &generator)
        for (index, apply) in operators.enumerated() {
            let product = apply(z)
            sums[index] += z.withUnsafeBufferPointer { zp in product.withUnsafeBufferPointer { preciseDot(zp, $0) } }
        }
    }
    return sums.map { $0 / Double(samples) }
}

/// A vector of `count` independent ±1 entries, 64 signs per generator draw.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func rademacherVector<Scalar: BLASScalar>(_ count: Int, generator: inout RandomGenerator) -> [Scalar] {
    var result = [Scalar](repeating: 1, count: count)
    result.withUnsafeMutableBufferPointer { z in
        var start = 0
        while start < count {
            let bits = generator.next()
            for k in 0..<min(64, count - start) where (bits >> UInt64(k)) & 1 == 1 { z[start + k] = -1 }
            start += 64
        }
    }
    return result
}
