import Linalg

/// GradNorm: Chen, Badrinarayanan, Lee, Rabinovich, "GradNorm: gradient normalization for
/// adaptive loss balancing in deep multitask networks", ICML 2018.
///
/// GradNorm learns the task weights `w` (T, initially 1 each, summing to T) so that the weighted
/// tasks' gradient norms train at balanced rates. At each step, with `|g_t| = sqrt(G_tt)` the
/// norm of task t's gradient over the shared parameters (from the Gramian `G`):
///
///     G_t   = w_t |g_t|                       (weighted gradient norms)
///     Gbar  = (1/T) sum_t G_t                 (their mean)
///     L~_t  = L_t / L_t(0)                    (loss ratios; L(0) = the first step's losses)
///     r_t   = L~_t / ((1/T) sum_s L~_s)       (relative inverse training rates)
///     G_t*  = Gbar r_t^alpha                  (targets, treated as constants)
///     L_grad = sum_t |G_t - G_t*|
///
/// The weights used this step are the current `w`; then `w` takes one gradient step on
/// `L_grad`, whose derivative with respect to `w_t` is `sign(G_t - G_t*) |g_t|`:
///
///     w_t <- w_t - learningRate * sign(G_t - G_t*) |g_t|
///
/// clamped at `minimumWeight` (so a weight stays positive) and renormalised to
/// `sum_t w_t = T`. The paper's defaults: `alpha = 1.5` (its NYUv2 setting; 0.12 to 3 across
/// its experiments) and a weight learning rate of 0.025.
///
/// Differences from the paper: the paper measures `|g_t|` on the last shared layer's weights
/// only (to save cost); TaskTrace uses all the shared parameters (the Gramian's diagonal), which
/// costs nothing extra here. The paper updates `w` with the same optimizer as the network;
/// here it is plain gradient descent. Losses (and the recorded initial losses) are clamped at
/// `lossFloor` so the ratios are defined.
///
/// Stateful: the weights, the initial losses and whether they have been recorded, as
/// `state = [w (T), L(0) (T), initialized (0 or 1)]`, fixed length `2T + 1`.
public struct GradNorm: GramianWeighting {
    public let name = "gradnorm"
    /// The smallest a task weight may become after an update.
    public static let minimumWeight = 1e-4
    /// The smallest loss used in the loss ratios.
    public static let lossFloor = 1e-12

    /// Number of tasks T.
    public let taskCount: Int
    /// The asymmetry alpha: how strongly tasks training slower are pushed up.
    public var alpha: Double
    /// The learning rate of the task weights.
    public var learningRate: Double
    /// The current task weights `w` (T), summing to T.
    public var taskWeights: [Double]
    /// The first step's losses L(0) (T); meaningful once `initialized`.
    public var initialLosses: [Double]
    /// Whether `initialLosses` has been recorded.
    public var initialized: Bool

    public init(taskCount: Int, alpha: Double = 1.5, learningRate: Double = 0.025) {
        precondition(taskCount > 0, "GradNorm needs at least one task")
        self.taskCount = taskCount
        self.alpha = alpha
        self.learningRate = learningRate
        taskWeights = [Double](repeating: 1, count: taskCount)
        initialLosses = [Double](repeating: 0, count: taskCount)
        initialized = false
    }

    public mutating func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        precondition(gramian.rows == taskCount && losses.count == taskCount,
                     "GradNorm was made for \(taskCount) tasks, got \(gramian.rows) gradients and \(losses.count) losses")
        let t = Double(taskCount)
        let current = losses.map { max($0, Self.lossFloor) }
        if !initialized {
            initialLosses = current
            initialized = true
        }
        let used = taskWeights
        let norms = (0..<taskCount).map { max(gramian[$0, $0], 0).squareRoot() }
        let weighted = (0..<taskCount).map { used[$0] * norms[$0] }
        let meanNorm = weighted.reduce(0, +) / t
        let ratios = (0..<taskCount).map { current[$0] / max(initialLosses[$0], Self.lossFloor) }
        let meanRatio = ratios.reduce(0, +) / t
        var next = used
        for i in 0..<taskCount {
            let target = meanNorm * Double.pow(ratios[i] / meanRatio, alpha)
            let difference = weighted[i] - target
            let sign: Double = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
            next[i] = max(used[i] - learningRate * sign * norms[i], Self.minimumWeight)
        }
        let total = next.reduce(0, +)
        taskWeights = next.map { $0 * t / total }
        return used
    }
}

extension GradNorm {
    /// `[w (T), L(0) (T), initialized (0 or 1)]`, length `2T + 1`.
    public var state: [Double] {
        get { taskWeights + initialLosses + [initialized ? 1 : 0] }
        set {
            precondition(newValue.count == 2 * taskCount + 1,
                         "GradNorm state for \(taskCount) tasks has \(2 * taskCount + 1) numbers, got \(newValue.count)")
            taskWeights = Array(newValue[0..<taskCount])
            initialLosses = Array(newValue[taskCount..<(2 * taskCount)])
            initialized = newValue[2 * taskCount] != 0
        }
    }
}
