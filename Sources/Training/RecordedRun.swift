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
/// `flushEvery` steps and a checkpoint every `checkpointEvery` steps and at the end.
///
/// - Parameters:
///   - stopRequested: polled before every step; when it returns true the run writes a
///     checkpoint, closes the record as `interrupted` and returns.
///   - progress: called after every step with the step count and the minibatch losses.
public func recordRun(
    trainer: inout Trainer, recorder: RunRecorder,
    stopRequested: () -> Bool = { false }, progress: (Int, [Double]) -> Void = { _, _ in }
) throws -> RunOutcome {
    let configuration = trainer.configuration
    func evaluate() throws {
        try recorder.recordEvaluation(step: trainer.step, train: trainer.evaluateTrain(), validation: trainer.evaluateValidation(),
                                      test: configuration.evalTest ? trainer.evaluateTest() : nil)
    }
    func probe() throws {
        if let measurement = trainer.measureProbe() { try recorder.recordProbe(step: trainer.step, measurement) }
    }
    if trainer.step == 0 {
        try evaluate()
        try probe()
        try recorder.flush()
    }
    while !trainer.isFinished {
        if stopRequested() {
            try recorder.writeCheckpoint(trainer)
            try recorder.finish(status: .interrupted)
            return .interrupted
        }
        let measurement = trainer.takeStep()
        try recorder.record(measurement)
        if configuration.snapshotEvery > 0 && measurement.step % configuration.snapshotEvery == 0 {
            try recorder.recordSnapshot(measurement)
        }
        if measurement.diverged {
            try recorder.finish(status: .diverged)
            return .diverged(step: measurement.step)
        }
        let step = trainer.step
        if step % configuration.evalEvery == 0 || trainer.isFinished { try evaluate() }
        if configuration.probeEvery > 0 && (step % configuration.probeEvery == 0 || trainer.isFinished) { try probe() }
        if step % configuration.checkpointEvery == 0 || trainer.isFinished {
            try recorder.writeCheckpoint(trainer)
        } else if step % configuration.flushEvery == 0 {
            try recorder.flush()
        }
        progress(step, measurement.losses)
    }
    try recorder.finish(status: .complete)
    return .complete
}
