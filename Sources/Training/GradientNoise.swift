/// The gradient-noise estimates of McCandlish, Kaplan, Amodei et al. 2018 ("An Empirical
/// Model of Large-Batch Training", appendix A) from gradients at two batch sizes b < B.
///
/// With G the true gradient and Σ the per-example gradient covariance, a batch of size n has
/// `E|g_n|² = |G|² + tr Σ / n`. Two batch sizes give two equations, solved for
///     |G|² ≈ (B |g_B|² − b mean|g_b|²) / (B − b),
///     tr Σ ≈ (mean|g_b|² − |g_B|²) / (1/b − 1/B),
/// each unbiased (but possibly negative on a finite sample), and the simple noise scale
/// `B_simple = tr Σ / |G|²`, the batch size at which noise and signal are comparable. Used by
/// Mueller, Dredze and Andrews (TMLR 2024) with B = 1024 and b = 16.
struct GradientNoise: Equatable {
    /// The estimate of |G|², the squared norm of the true gradient.
    var squaredGradientNorm: Double
    /// The estimate of tr Σ, the trace of the per-example gradient covariance.
    var trace: Double

    /// - Parameters:
    ///   - bigBatchSquaredNorm: |g_B|², the big-batch gradient's squared norm.
    ///   - meanSmallBatchSquaredNorm: the mean over small batches of |g_b|².
    ///   - bigBatchSize: B.
    ///   - smallBatchSize: b, smaller than B.
    init(bigBatchSquaredNorm: Double, meanSmallBatchSquaredNorm: Double, bigBatchSize: Int, smallBatchSize: Int) {
        precondition(smallBatchSize >= 1 && smallBatchSize < bigBatchSize, "the estimators need 1 <= b < B")
        let big = Double(bigBatchSize), small = Double(smallBatchSize)
        squaredGradientNorm = (big * bigBatchSquaredNorm - small * meanSmallBatchSquaredNorm) / (big - small)
        trace = (meanSmallBatchSquaredNorm - bigBatchSquaredNorm) / (1 / small - 1 / big)
    }

    /// Given estimates (NaN ones when the batch sizes do not allow the estimators).
    init(squaredGradientNorm: Double, trace: Double) {
        self.squaredGradientNorm = squaredGradientNorm
        self.trace = trace
    }

    /// tr Σ / |G|², or NaN when the |G|² estimate is not positive (the ratio has no meaning then).
    var scale: Double { squaredGradientNorm > 0 ? trace / squaredGradientNorm : .nan }
}
