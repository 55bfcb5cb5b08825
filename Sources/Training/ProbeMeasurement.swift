import Linalg

/// What one probe measured at one step: a row of the record's `/probe` group (`T` tasks).
///
/// Gradients are of the mean loss over the examples concerned, in loss units per parameter
/// unit; every reduction is accumulated in Double. See `Probe.measure` for how each is computed.
/// Equality compares with `==`, so a measurement holding a NaN (a noise scale whose `|G|²`
/// estimate was not positive) is not equal to itself; compare bit patterns to check determinism.
public struct ProbeMeasurement: Sendable, Equatable {
    /// `T x T`: `g_i · g_j` of the big-batch task gradients over the shared (trunk) parameters.
    public var gramian: Matrix<Double>
    /// `T x T`: the cosines `g_i · g_j / (|g_i| |g_j|)` of the same (0 where either is zero).
    public var cosine: Matrix<Double>
    /// `T + 1` values: the largest Hessian eigenvalue of each task's loss, then of the total
    /// loss `sum_t w_t L_t` with the run's weights, on the Hessian batch (Lanczos).
    public var sharpness: [Double]
    /// `T + 1` values: the Hessian traces of the same losses (Hutchinson, Rademacher vectors).
    public var hessianTrace: [Double]
    /// `T` values: the trace of each task's empirical Fisher, the mean over the probe batch of
    /// the per-example squared gradient norm (trunk and own head).
    public var fisherTrace: [Double]
    /// `T` values: `tr Σ`, the trace of the per-example gradient covariance, by the small/big
    /// batch estimator (McCandlish et al. 2018, appendix A).
    public var gradientNoiseTrace: [Double]
    /// `T` values: the simple noise scale `tr Σ / |G|²` (NaN when the `|G|²` estimate is not positive).
    public var noiseScale: [Double]
    /// `T` values: the mean pairwise cosine between a task's microbatch gradients (1 when they
    /// all point the same way, about 0 for pure noise).
    public var coherence: [Double]
    /// `|mean_t g_t / |g_t||` of the big-batch task gradients over the shared parameters, in
    /// [0, 1]: 1 when all tasks pull the same way (and for one task).
    public var directionalConflict: Double
    /// `|θ - θ₀|`, the Euclidean distance from the initial parameters.
    public var distanceFromInitialization: Double
    /// `|θ|`, the Euclidean norm of all parameters.
    public var weightNorm: Double

    public init(gramian: Matrix<Double>, cosine: Matrix<Double>, sharpness: [Double], hessianTrace: [Double],
                fisherTrace: [Double], gradientNoiseTrace: [Double], noiseScale: [Double], coherence: [Double],
                directionalConflict: Double, distanceFromInitialization: Double, weightNorm: Double) {
        self.gramian = gramian
        self.cosine = cosine
        self.sharpness = sharpness
        self.hessianTrace = hessianTrace
        self.fisherTrace = fisherTrace
        self.gradientNoiseTrace = gradientNoiseTrace
        self.noiseScale = noiseScale
        self.coherence = coherence
        self.directionalConflict = directionalConflict
        self.distanceFromInitialization = distanceFromInitialization
        self.weightNorm = weightNorm
    }

    /// The number of tasks T.
    public var taskCount: Int { gramian.rows }
}
