/// How a recorded run ended.
public enum RunOutcome: Sendable, Equatable {
    /// All steps taken; status `complete`.
    case complete
    /// A loss or gradient became NaN or infinite at `step`; status `diverged`, rows up to it kept.
    case diverged(step: Int)
    /// Stopped on request (a signal); checkpoint written, status `interrupted`.
    case interrupted
}

/// Trains `trainer` to the end while `recorder` writes its trajectory: a row every step, an
/// evaluation every `evalEvery` steps and a probe every `probeEvery` steps (both also at
/// step 0 and the last), a flush every
/// `flushEvery` steps and a checkpoint every `checkpointEvery` steps and at the end
/// (`RunRecorder.recordStart(of:)` and `recordStep(of:)`, which PBT shares).
///
/// - Parameters:
///   - stopRequested: polled before every step; when it returns true the run writes a
///     checkpoint, closes the record as `interrupted` and returns.
///   - progress: called after every step with the step count and the minibatch losses.
public func recordRun(
    trainer: inout Trainer, recorder: RunRecorder,
    stopRequested: () -> Bool = { false }, progress: (Int, [Double]) -> Void = { _, _ in }
) throws -> RunOutcome {
    try recorder.recordStart(of: trainer)
    while !trainer.isFinished {
        if stopRequested() {
            try recorder.recordInterruption(of: trainer)
            return .interrupted
        }
        let measurement = try recorder.recordStep(of: &trainer)
        if measurement.diverged { return .diverged(step: measurement.step) }
        progress(trainer.step, measurement.losses)
    }
    try recorder.finish(status: .complete)
    return .complete
}
