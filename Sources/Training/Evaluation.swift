import Datasets
import Linalg
import Nets

/// Loss and metric of each trained task on one split.
public struct TaskEvaluation: Sendable, Equatable, Codable {
    /// Mean loss per task over the split's examples labelled for it (nats for cross-entropy,
    /// squared target units for MSE; NaN for a task without labelled examples).
    public var losses: [Double]
    /// Metric per task over its labelled examples: accuracy in [0, 1] or R^2.
    public var metrics: [Double]
}

extension MultiTaskModel where Scalar == Float {
    /// Evaluates every head on `split`, whose targets are selected by `tasks` (dataset task
    /// indices, one per head), in chunks of `chunk` examples.
    public func evaluate(on split: DataSplit, tasks: [Int], chunk: Int = 2048) -> TaskEvaluation {
        precondition(tasks.count == taskCount, "one dataset task per head")
        var outputs = heads.map { Matrix<Float>(rows: 0, columns: $0.outputWidth) }
        var start = 0
        while start < split.count {
            let end = min(split.count, start + chunk)
            let pass = forward(split.inputs.rows(start..<end))
            for t in heads.indices {
                outputs[t].storage.append(contentsOf: pass.outputs[t].storage)
                outputs[t].rows += end - start
            }
            start = end
        }
        var losses: [Double] = [], metrics: [Double] = []
        for (t, task) in tasks.enumerated() {
            losses.append(heads[t].loss.value(outputs: outputs[t], targets: split.targets[task]))
            metrics.append(heads[t].loss.metric(outputs: outputs[t], targets: split.targets[task]))
        }
        return TaskEvaluation(losses: losses, metrics: metrics)
    }
}
