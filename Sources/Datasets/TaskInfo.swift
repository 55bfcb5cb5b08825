/// Whether a task predicts a class or real values.
public enum TaskKind: String, Codable, Sendable, CaseIterable {
    /// The target is one class index in `0..<outputCount`; the model outputs `outputCount` logits.
    case classification
    /// The target is `outputCount` real values; the model outputs them directly.
    case regression
}

/// The name, kind and output size of one task of a multi-task dataset.
public struct TaskInfo: Codable, Sendable, Equatable, Hashable {
    /// The task's name, unique within its dataset (e.g. "left", "t0").
    public var name: String
    public var kind: TaskKind
    /// The number of classes (classification) or of regression outputs (regression).
    public var outputCount: Int

    public init(name: String, kind: TaskKind, outputCount: Int) {
        precondition(outputCount >= 1, "task \(name) needs at least one output")
        self.name = name
        self.kind = kind
        self.outputCount = outputCount
    }
}
