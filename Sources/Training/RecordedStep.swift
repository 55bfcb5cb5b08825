/// The recording schedule of one run, shared by `recordRun` and population-based training:
/// an evaluation and a probe at the start and every `evalEvery` / `probeEvery` steps and at
/// the last step, a row per step, snapshots every `snapshotEvery` steps, a checkpoint every
/// `checkpointEvery` steps and at the end, and a flush every `flushEvery` steps in between.
extension RunRecorder {
    /// Records the state before the first step: an evaluation and a probe at step 0, then a
    /// flush. Does nothing for a trainer past step 0 (a resumed run has those rows already).
    public func recordStart(of trainer: Trainer) throws {
        guard trainer.step == 0 else { return }
        try recordEvaluation(of: trainer)
        try recordProbe(of: trainer)
        try flush()
    }

    /// Takes one step of `trainer` and records it by the schedule. A diverged step (a loss or
    /// gradient not finite) is recorded and closes the record with status `diverged`; the
    /// caller must then stop stepping this trainer into this recorder.
    /// - Returns: the step's measurement.
    public func recordStep(of trainer: inout Trainer) throws -> StepMeasurement {
        let configuration = trainer.configuration
        let measurement = trainer.takeStep()
        try record(measurement)
        if configuration.snapshotEvery > 0 && measurement.step % configuration.snapshotEvery == 0 {
            try recordSnapshot(measurement)
        }
        if measurement.diverged {
            try finish(status: .diverged)
            return measurement
        }
        let step = trainer.step
        if step % configuration.evalEvery == 0 || trainer.isFinished { try recordEvaluation(of: trainer) }
        if configuration.probeEvery > 0 && (step % configuration.probeEvery == 0 || trainer.isFinished) {
            try recordProbe(of: trainer)
        }
        if step % configuration.checkpointEvery == 0 || trainer.isFinished {
            try writeCheckpoint(trainer)
        } else if step % configuration.flushEvery == 0 {
            try flush()
        }
        return measurement
    }

    /// Writes a checkpoint of `trainer` and closes the record as `interrupted`.
    public func recordInterruption(of trainer: Trainer) throws {
        try writeCheckpoint(trainer)
        try finish(status: .interrupted)
    }

    /// Appends an evaluation of `trainer` now (train-eval subset and validation split, and the
    /// test split when the run evaluates it).
    public func recordEvaluation(of trainer: Trainer) throws {
        try recordEvaluation(step: trainer.step, train: trainer.evaluateTrain(), validation: trainer.evaluateValidation(),
                             test: trainer.configuration.evalTest ? trainer.evaluateTest() : nil)
    }

    /// Appends a probe of `trainer` now, when the run probes.
    func recordProbe(of trainer: Trainer) throws {
        if let measurement = trainer.measureProbe() { try recordProbe(step: trainer.step, measurement) }
    }
}
