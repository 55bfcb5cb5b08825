/// A trajectory factor of one run (one task): sharpness, Fisher trace, gradient noise,
/// distance from initialization, ... sampled at probe rows.
public struct FactorSeries: Sendable, Equatable {
    /// Steps of the probe rows, `[K]`.
    public let steps: [Double]
    /// The factor at each probe row, `[K]`, in the factor's units.
    public let values: [Double]

    /// A series from parallel arrays of equal length.
    public init(steps: [Double], values: [Double]) {
        precondition(steps.count == values.count, "\(steps.count) steps, \(values.count) values")
        self.steps = steps
        self.values = values
    }

    /// The factor as a curve over the run's train loss, ready for matched-loss comparison:
    /// each probe row gets the running-minimum train loss of `evaluation` interpolated
    /// linearly in step at the probe's step (`interpolatedInStep` on
    /// `runningMinimumEnvelope`). Probe rows outside the eval step range or with a non-finite
    /// step, are dropped (they cannot be placed); so is whatever `EvaluationCurve` drops.
    /// The interpolated envelope is non-increasing in step, so the curve's own running minimum
    /// is that envelope and its matched values follow the run's first arrival at each loss.
    public func overTrainLoss(of evaluation: EvaluationCurve) -> EvaluationCurve {
        let envelope = evaluation.runningMinimumEnvelope
        var rowSteps = [Double](), rowLosses = [Double](), rowValues = [Double]()
        for (step, value) in zip(steps, values) {
            guard let loss = interpolatedInStep(evaluation.steps, envelope, at: step) else { continue }
            rowSteps.append(step)
            rowLosses.append(loss)
            rowValues.append(value)
        }
        return EvaluationCurve(steps: rowSteps, trainLoss: rowLosses, values: rowValues)
    }
}
