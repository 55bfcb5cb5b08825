import Linalg

/// Dynamic Weight Average (DWA): Liu, Johns, Davison, "End-to-end multi-task learning with
/// attention", CVPR 2019.
///
/// The weight of task t at period k is
///
///     w_t(k) = T exp(r_t(k-1) / temperature) / sum_i exp(r_i(k-1) / temperature),
///     r_t(k-1) = L_t(k-1) / L_t(k-2)
///
/// where `L_t(k)` is task t's average loss over period k, and the weights sum to T. The paper's
/// period is an epoch (temperature 2, weights 1 for the first two epochs); TaskTrace trains by
/// steps, so a period here is a window of `window` consecutive steps (default 100): it keeps
/// the running sum of each task's loss over the current window and the average losses of the
/// last two completed windows. During the first two windows, before two averages exist, the
/// weights are 1. The weights used at a step come from windows completed before it; the step's
/// own loss is then added to the current window.
///
/// Stateful, fixed length 3T + 2: `[last average (T), the one before (T), current sums (T),
/// steps in the current window, windows completed]`.
public struct DynamicWeightAverage: GramianWeighting {
    public let name = "dwa"
    /// Steps per averaging window (the paper's epoch).
    public let window: Int
    /// The softmax temperature.
    public var temperature: Double
    /// Average losses of the last completed window, `L(k-1)` (T).
    public var lastAverages: [Double]
    /// Average losses of the window before it, `L(k-2)` (T).
    public var previousAverages: [Double]
    /// Running sums of the losses over the current window (T).
    public var currentSums: [Double]
    /// Steps accumulated in the current window.
    public var countInWindow: Int
    /// Windows completed so far.
    public var windowsCompleted: Int

    public init(taskCount: Int, window: Int = 100, temperature: Double = 2) {
        precondition(taskCount > 0, "DWA needs at least one task")
        precondition(window > 0, "DWA window must be positive")
        precondition(temperature > 0, "DWA temperature must be positive")
        self.window = window
        self.temperature = temperature
        lastAverages = [Double](repeating: 0, count: taskCount)
        previousAverages = lastAverages
        currentSums = lastAverages
        countInWindow = 0
        windowsCompleted = 0
    }

    /// Number of tasks T.
    public var taskCount: Int { lastAverages.count }

    /// The weights for the current window, from the last two completed windows.
    public var currentWeights: [Double] {
        let taskCount = self.taskCount
        guard windowsCompleted >= 2 else { return [Double](repeating: 1, count: taskCount) }
        let scaled = (0..<taskCount).map { lastAverages[$0] / previousAverages[$0] / temperature }
        // Softmax, shifted by the maximum for stability (the result is unchanged).
        let top = scaled.max()!
        let exps = scaled.map { Double.exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { Double(taskCount) * $0 / total }
    }

    public mutating func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        precondition(gramian.rows == taskCount && losses.count == taskCount,
                     "DWA set up for \(taskCount) tasks, got \(gramian.rows) gradients and \(losses.count) losses")
        let w = currentWeights
        for t in 0..<taskCount { currentSums[t] += losses[t] }
        countInWindow += 1
        if countInWindow == window {
            previousAverages = lastAverages
            lastAverages = currentSums.map { $0 / Double(window) }
            currentSums = [Double](repeating: 0, count: taskCount)
            countInWindow = 0
            windowsCompleted += 1
        }
        return w
    }
}

extension DynamicWeightAverage {
    /// `[last average (T), the one before (T), current sums (T), count in window, windows
    /// completed]`, 3T + 2 values, for checkpoints.
    public var state: [Double] {
        get { lastAverages + previousAverages + currentSums + [Double(countInWindow), Double(windowsCompleted)] }
        set {
            let t = taskCount
            precondition(newValue.count == 3 * t + 2, "DWA state must be 3T + 2 = \(3 * t + 2) values")
            lastAverages = Array(newValue[0..<t])
            previousAverages = Array(newValue[t..<(2 * t)])
            currentSums = Array(newValue[(2 * t)..<(3 * t)])
            countInWindow = Int(newValue[3 * t])
            windowsCompleted = Int(newValue[3 * t + 1])
        }
    }
}
