import Linalg

/// FAMO: Liu, Liu, Ye, Liu, "FAMO: Fast adaptive multitask optimization", NeurIPS 2023.
///
/// FAMO keeps logits `xi` (T, initially 0) and task probabilities `z = softmax(xi)`. Each step
/// descends `sum_t z_t log L_t` (the losses are positive), rescaled so the weights sum to 1:
///
///     w_t = c z_t / L_t,   c = 1 / sum_i (z_i / L_i)
///
/// (the official implementation's `c = (z / L).sum()` and loss `sum_t z_t log L_t / c`). The
/// logits then learn from how much each task's log loss fell under the last update,
/// `d_t = log L_prev,t - log L_t` (positive when task t improved):
///
///     delta = J_softmax(xi)^T d,   i.e. delta_j = z_j (d_j - sum_i z_i d_i)
///     xi   <- xi - learningRate * (delta + weightDecay * xi)
///
/// Sign convention: `delta` is the gradient of `sum_t z_t d_t` with respect to `xi`, and `xi`
/// *descends* it, so probability moves away from tasks whose loss fell more than the
/// z-weighted average and toward tasks whose loss fell less (or rose): FAMO balances the rates
/// of improvement. The paper's defaults: learning rate 0.025 for `xi`, weight decay 1e-3.
///
/// Timing: the paper (and its code) measures `L_t` again on the same batch just after the
/// update; TaskTrace, like LibMTL, uses the next step's losses instead, so on each call it first
/// updates `xi` from the previous call's losses (if any) and this call's, then weights this
/// step with the updated `z`, then stores this call's losses as `L_prev`. Losses are clamped at
/// `lossFloor` (1e-8, the official code's offset) so their logarithms and the `1 / L_t` are
/// defined; the official code's optional minimum losses are taken as 0.
///
/// Stateful: `state = [xi (T), L_prev (T), has-previous (0 or 1)]`, fixed length `2T + 1`.
public struct FAMO: GramianWeighting {
    public let name = "famo"
    /// The smallest loss used.
    public static let lossFloor = 1e-8

    /// Number of tasks T.
    public let taskCount: Int
    /// The learning rate of the logits.
    public var learningRate: Double
    /// The weight decay gamma of the logits.
    public var weightDecay: Double
    /// The logits `xi` (T).
    public var logits: [Double]
    /// The previous call's (clamped) losses; meaningful when `hasPrevious`.
    public var previousLosses: [Double]
    /// Whether `previousLosses` has been recorded.
    public var hasPrevious: Bool

    public init(taskCount: Int, learningRate: Double = 0.025, weightDecay: Double = 1e-3) {
        precondition(taskCount > 0, "FAMO needs at least one task")
        self.taskCount = taskCount
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        logits = [Double](repeating: 0, count: taskCount)
        previousLosses = [Double](repeating: 0, count: taskCount)
        hasPrevious = false
    }

    /// The task probabilities `z = softmax(xi)`.
    public var probabilities: [Double] {
        let shift = logits.max() ?? 0
        let exponentials = logits.map { Double.exp($0 - shift) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    public mutating func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        precondition(gramian.rows == taskCount && losses.count == taskCount,
                     "FAMO was made for \(taskCount) tasks, got \(gramian.rows) gradients and \(losses.count) losses")
        let current = losses.map { max($0, Self.lossFloor) }
        if hasPrevious {
            let z = probabilities
            let decrease = (0..<taskCount).map { Double.log(previousLosses[$0]) - Double.log(current[$0]) }
            let average = (0..<taskCount).reduce(0.0) { $0 + z[$1] * decrease[$1] }
            for j in 0..<taskCount {
                let delta = z[j] * (decrease[j] - average)
                logits[j] -= learningRate * (delta + weightDecay * logits[j])
            }
        }
        previousLosses = current
        hasPrevious = true
        let z = probabilities
        let scaled = (0..<taskCount).map { z[$0] / current[$0] }
        let c = 1 / scaled.reduce(0, +)
        return scaled.map { c * $0 }
    }
}

extension FAMO {
    /// `[xi (T), L_prev (T), has-previous (0 or 1)]`, length `2T + 1`.
    public var state: [Double] {
        get { logits + previousLosses + [hasPrevious ? 1 : 0] }
        set {
            precondition(newValue.count == 2 * taskCount + 1,
                         "FAMO state for \(taskCount) tasks has \(2 * taskCount + 1) numbers, got \(newValue.count)")
            logits = Array(newValue[0..<taskCount])
            previousLosses = Array(newValue[taskCount..<(2 * taskCount)])
            hasPrevious = newValue[2 * taskCount] != 0
        }
    }
}
