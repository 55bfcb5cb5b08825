/// The effect of multi-task training on optimizing one task, at matched STEP (DESIGN.md,
/// "Optimization effect"): `d(s) = trainLoss_MT(s) - trainLoss_ST(s)`; positive means the MT
/// run's train loss on the task is higher (slower optimization) at the same step.
///
/// The steps compared are the eval steps of either run inside the steps both runs cover
/// (`[max of first steps, min of last steps]`); where one run has no eval row at a step its
/// train loss is interpolated linearly in step (`interpolatedInStep`). With the usual equal
/// eval cadence these are just the shared eval steps and nothing is interpolated. The raw
/// train loss is used (not its running minimum).
public struct OptimizationEffect: Sendable, Equatable {
    /// The matched steps, `[n]`, ascending, without repeats.
    public let steps: [Double]
    /// `trainLoss_MT(s) - trainLoss_ST(s)` at each step, `[n]`, in train-loss units.
    public let differences: [Double]
    /// The mean of `differences` over all matched steps and over the early, middle and late
    /// thirds of the matched step range (`StepWindows`); NaN for a window without steps.
    public let mean: Windowed<Double>

    /// Nil when the runs' step ranges do not overlap.
    public init?(singleTask: EvaluationCurve, multiTask: EvaluationCurve) {
        guard let stFirst = singleTask.steps.first, let stLast = singleTask.steps.last,
              let mtFirst = multiTask.steps.first, let mtLast = multiTask.steps.last else { return nil }
        let first = max(stFirst, mtFirst), last = min(stLast, mtLast)
        guard first <= last else { return nil }
        let steps = Array(Set(singleTask.steps + multiTask.steps)).filter { $0 >= first && $0 <= last }.sorted()
        var differences = [Double]()
        for step in steps {
            guard let st = interpolatedInStep(singleTask.steps, singleTask.trainLoss, at: step),
                  let mt = interpolatedInStep(multiTask.steps, multiTask.trainLoss, at: step) else { return nil }
            differences.append(mt - st)
        }
        self.steps = steps
        self.differences = differences
        mean = Windowed(steps: steps, windows: StepWindows(first: first, last: last)) { rows in
            sampleMean(rows.map { differences[$0] })
        }
    }

    /// The effect between the two curves of `pair`.
    public init?(_ pair: RunPair) {
        self.init(singleTask: pair.singleTask, multiTask: pair.multiTask)
    }
}
