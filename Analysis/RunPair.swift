/// One task's single-task (ST) and multi-task (MT) eval curves from runs with the same seed:
/// the unit a generalization gap is measured on.
public struct RunPair: Sendable, Equatable {
    /// The ST run's curve of the task.
    public let singleTask: EvaluationCurve
    /// The MT run's curve of the same task.
    public let multiTask: EvaluationCurve

    /// The pair of one task's ST and MT curves.
    public init(singleTask: EvaluationCurve, multiTask: EvaluationCurve) {
        self.singleTask = singleTask
        self.multiTask = multiTask
    }
}
