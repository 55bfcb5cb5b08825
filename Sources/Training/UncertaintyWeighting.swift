import Linalg

/// Uncertainty weighting: Kendall, Gal, Cipolla, "Multi-task learning using uncertainty to
/// weigh losses for scene geometry and semantics", CVPR 2018.
///
/// Each task t has a learnable log-variance `s_t = log sigma_t^2` (initialised to 0) and the
/// network minimises
///
///     L_total = sum_t exp(-s_t) L_t + s_t
///
/// The paper derives `1/(2 sigma^2) L + log sigma` for regression and `1/sigma^2 L + log sigma`
/// for classification; TaskTrace uses the common implementation's convention, this single form
/// for every task (no factor 1/2, regularizer `s_t`), so the optimum is `s_t = log L_t`.
///
/// Each step the weights are `w_t = exp(-s_t)` (the direction is `sum_t w_t g_t`, the gradient
/// of `L_total` with respect to the network), and then `s` takes one gradient step of its own on
/// `L_total` with the losses passed in:
///
///     dL_total/ds_t = -exp(-s_t) L_t + 1,    s_t <- s_t - learningRate * dL_total/ds_t
///
/// The original trains `s` jointly with the network's optimizer; here it is plain SGD on `s`
/// with its own `learningRate` (default 1e-3).
///
/// Stateful: `logVariances` (T values) is the state a checkpoint stores.
public struct UncertaintyWeighting: GramianWeighting {
    public let name = "uncertainty"
    /// The SGD learning rate of the log-variances.
    public var learningRate: Double
    /// The log-variances `s_t` (T).
    public var logVariances: [Double]

    public init(taskCount: Int, learningRate: Double = 1e-3) {
        precondition(taskCount > 0, "uncertainty weighting needs at least one task")
        self.learningRate = learningRate
        self.logVariances = [Double](repeating: 0, count: taskCount)
    }

    public mutating func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        let taskCount = logVariances.count
        precondition(gramian.rows == taskCount && losses.count == taskCount,
                     "uncertainty weighting set up for \(taskCount) tasks, got \(gramian.rows) gradients and \(losses.count) losses")
        let w = logVariances.map { Double.exp(-$0) }
        for t in 0..<taskCount {
            let derivative = -w[t] * losses[t] + 1
            logVariances[t] -= learningRate * derivative
        }
        return w
    }
}

extension UncertaintyWeighting {
    /// The log-variances `s_t` (T), for checkpoints.
    public var state: [Double] {
        get { logVariances }
        set {
            precondition(newValue.count == logVariances.count,
                         "uncertainty weighting state must be \(logVariances.count) log-variances")
            logVariances = newValue
        }
    }
}
