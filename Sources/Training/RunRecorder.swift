import Foundation
import Linalg
import Nets
import Records

/// Writes one training run into a "tasktrace/1" record (see DESIGN.md): a row per step,
/// per evaluation and per probe, buffered and flushed by the caller's schedule, plus a
/// checkpoint from which `--resume` continues the run exactly.
public final class RunRecorder {
    /// Path of the record.
    public let path: String
    let writer: RecordWriter
    let parameterViews: [ParameterView]
    let optimizerBuffers: [String]
    let stepRows: StepHandles
    /// The last evaluation recorded by this recorder: its step and the train-eval and
    /// validation results.
    public private(set) var lastEvaluation: (step: Int, train: TaskEvaluation, validation: TaskEvaluation)?

    /// Wall-clock time the run had spent before this recorder opened it (from the checkpoint
    /// of a resumed record), in seconds.
    private(set) var elapsedBefore: Double = 0
    /// When this recorder opened the record.
    let opened = Date()

    /// The run's elapsed wall-clock time now, summed over resumed sessions, in seconds.
    public var elapsedSeconds: Double { elapsedBefore + Date().timeIntervalSince(opened) }

    /// Handles of the per-step datasets, looked up once.
    struct StepHandles {
        let step, loss, weight, learningRate, gramian, cosine, updateNorm, wallTime: AppendHandle
        init(_ writer: RecordWriter) throws {
            step = try writer.handle("/train/step")
            loss = try writer.handle("/train/loss")
            weight = try writer.handle("/train/weight")
            learningRate = try writer.handle("/train/lr")
            gramian = try writer.handle("/grads/gramian")
            cosine = try writer.handle("/grads/cosine")
            updateNorm = try writer.handle("/grads/update_norm")
            wallTime = try writer.handle("/train/wall_time")
        }
    }

    /// The schema of `trainer`'s record.
    static func schema(for trainer: Trainer, toolVersion: String) throws -> TrajectorySchema {
        let configuration = trainer.configuration
        let tasks = trainer.tasks.map { index -> TrajectoryTask in
            let info = trainer.dataset.tasks[index]
            return info.kind == .classification
                ? TrajectoryTask(name: info.name, kind: .classification, lossUnits: "nats", metric: "accuracy", metricUnits: "fraction")
                : TrajectoryTask(name: info.name, kind: .regression, lossUnits: "squared target units", metric: "r2", metricUnits: "1")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        let parameters = trainer.model.layout.views.map {
            TrajectorySchema.CheckpointArray(name: $0.name, shape: $0.shape, description: "parameter \($0.name), PyTorch layout",
                                             units: "parameter units")
        }
        let optimizer = trainer.optimizer.state.buffers.keys.sorted().map {
            TrajectorySchema.CheckpointArray(name: $0, shape: [trainer.model.layout.count],
                                             description: "optimizer buffer \($0) over the flat parameter vector")
        }
        return TrajectorySchema(
            tasks: tasks, mode: configuration.task == nil ? .mt : .st, toolVersion: toolVersion, config: config,
            seed: Int64(bitPattern: configuration.seed), probe: configuration.probeEvery > 0,
            snapshots: configuration.snapshotEvery > 0
                ? .init(every: configuration.snapshotEvery, parameterCount: trainer.model.layout.count) : nil,
            checkpoint: .init(parameters: parameters, optimizer: optimizer,
                              aggregator: trainer.aggregator.state.isEmpty ? [] : [
                                  .init(name: "state", shape: [trainer.aggregator.state.count], elementType: .float64,
                                        description: "state of the aggregator \(trainer.aggregator.name)")],
                              cursorCount: Self.cursorFields.count + 2 * trainer.taskSamplers.count),
            testEvaluation: configuration.evalTest, wallTime: true)
    }

    /// Fields of `/checkpoint/cursor`, in order; in sampling mode followed by each trained
    /// task's sampler epoch and position (`TrainerCheckpoint.taskCursors`).
    static let cursorFields = ["epoch", "position", "step", "optimizer_step"]

    /// Creates the record of a fresh run. Refuses an existing file unless `overwrite`.
    public init(creating path: String, trainer: Trainer, overwrite: Bool, toolVersion: String) throws {
        self.path = path
        let schema = try Self.schema(for: trainer, toolVersion: toolVersion)
        writer = try RecordWriter(creating: path, layout: schema.layout(), overwrite: overwrite)
        parameterViews = trainer.model.layout.views
        optimizerBuffers = trainer.optimizer.state.buffers.keys.sorted()
        stepRows = try StepHandles(writer)
    }

    /// Reopens the record of a stopped run for appending: drops every row written after its
    /// last checkpoint and restores `trainer` to that checkpoint (or to its fresh start when
    /// the run stopped before its first checkpoint). `trainer` must be built from the record's
    /// own configuration.
    public init(resuming path: String, trainer: inout Trainer) throws {
        self.path = path
        writer = try RecordWriter(resuming: path)
        parameterViews = trainer.model.layout.views
        optimizerBuffers = trainer.optimizer.state.buffers.keys.sorted()
        stepRows = try StepHandles(writer)
        if let counts = try TrajectorySchema.checkpointRowCounts(writer) {
            try writer.truncate(to: counts)
            try trainer.restore(readCheckpoint(trainer))
            elapsedBefore = try writer.readFixed(TrajectorySchema.checkpointWallTimePath, as: Double.self)[0]
        } else {
            try writer.truncate(to: Dictionary(uniqueKeysWithValues: writer.layout.appendablePaths.map { ($0, 0) }))
        }
    }

    /// Appends the rows of one training step.
    public func record(_ measurement: StepMeasurement) throws {
        try writer.append(stepRows.step, row: [Int64(measurement.step)])
        try writer.append(stepRows.loss, row: measurement.losses)
        try writer.append(stepRows.weight, row: measurement.weights)
        try writer.append(stepRows.learningRate, row: [measurement.learningRate])
        try writer.append(stepRows.gramian, row: measurement.gramian.storage)
        try writer.append(stepRows.cosine, row: cosines(fromGramian: measurement.gramian).storage)
        try writer.append(stepRows.updateNorm, row: [measurement.updateNorm])
        try writer.append(stepRows.wallTime, row: [elapsedSeconds])
    }

    /// Appends one evaluation row taken after `step` steps; `test` is required exactly when the
    /// record measures the test split (`RunConfiguration.evalTest`).
    public func recordEvaluation(step: Int, train: TaskEvaluation, validation: TaskEvaluation, test: TaskEvaluation? = nil) throws {
        try writer.append("/eval/step", integer: Int64(step))
        try writer.append("/eval/train_loss", row: train.losses)
        try writer.append("/eval/val_loss", row: validation.losses)
        try writer.append("/eval/train_metric", row: train.metrics)
        try writer.append("/eval/val_metric", row: validation.metrics)
        if let test {
            try writer.append("/eval/test_loss", row: test.losses)
            try writer.append("/eval/test_metric", row: test.metrics)
        }
        lastEvaluation = (step, train, validation)
    }

    /// Appends one probe row taken after `step` steps.
    public func recordProbe(step: Int, _ probe: ProbeMeasurement) throws {
        try writer.append("/probe/step", integer: Int64(step))
        try writer.append("/probe/gramian", row: probe.gramian.storage)
        try writer.append("/probe/cosine", row: probe.cosine.storage)
        try writer.append("/probe/sharpness", row: probe.sharpness)
        try writer.append("/probe/hessian_trace", row: probe.hessianTrace)
        try writer.append("/probe/fisher_trace", row: probe.fisherTrace)
        try writer.append("/probe/grad_noise_trace", row: probe.gradientNoiseTrace)
        try writer.append("/probe/noise_scale", row: probe.noiseScale)
        try writer.append("/probe/coherence", row: probe.coherence)
        try writer.append("/probe/directional_conflict", value: probe.directionalConflict)
        try writer.append("/probe/dist_init", value: probe.distanceFromInitialization)
        try writer.append("/probe/weight_norm", value: probe.weightNorm)
    }

    /// Appends the full task gradients of a step (`T x P`, gzip-compressed); a step that
    /// carries no gradients (not a snapshot step of its trainer) is a programming error.
    public func recordSnapshot(_ measurement: StepMeasurement) throws {
        guard let gradients = measurement.gradients else { preconditionFailure("step \(measurement.step) carries no gradients") }
        try writer.append("/snapshots/step", integer: Int64(measurement.step))
        try gradients.matrix.storage.withUnsafeBufferPointer {
            try writer.append(try writer.handle("/snapshots/task_gradients"), row: $0)
        }
    }

    /// Writes the checkpoint of `trainer` together with the row counts it belongs to, and
    /// flushes, so that the file on disk holds a consistent checkpoint.
    public func writeCheckpoint(_ trainer: Trainer) throws {
        // A kill while the checkpoint is being overwritten must not leave a checkpoint that
        // counts rows the file does not hold, nor a mix of two checkpoints' arrays: the rows
        // reach the file first, the step is marked "no checkpoint" (-1) while the arrays are
        // rewritten, and the new step goes in only after them. A kill inside that window
        // leaves a record that resumes from its start, never from a torn checkpoint.
        try writer.flush()
        try writer.writeFixed(TrajectorySchema.checkpointStepPath, values: [Int64(-1)])
        try writer.flush()
        let checkpoint = trainer.checkpoint
        for view in parameterViews {
            try writer.writeFixed("/checkpoint/parameters/" + view.name, values: Array(checkpoint.parameters[view.range]))
        }
        for name in optimizerBuffers {
            try writer.writeFixed("/checkpoint/optimizer/" + name, values: checkpoint.optimizer.buffers[name]!.map { Float($0) })
        }
        try writer.writeFixed("/checkpoint/rng", values: checkpoint.generator)
        try writer.writeFixed(TrajectorySchema.checkpointWallTimePath, values: [elapsedSeconds])
        if !checkpoint.aggregator.isEmpty { try writer.writeFixed("/checkpoint/aggregator/state", values: checkpoint.aggregator) }
        try writer.writeFixed("/checkpoint/cursor", values: [checkpoint.epoch, checkpoint.position, checkpoint.step,
                                                             checkpoint.optimizer.step].map { Int64($0) }
                                                            + checkpoint.taskCursors.map { Int64($0) })
        try TrajectorySchema.writeCheckpointRowCounts(writer)
        try writer.flush()
        try writer.writeFixed(TrajectorySchema.checkpointStepPath, values: [Int64(checkpoint.step)])
        try writer.flush()
    }

    /// The checkpoint stored in the record, for a trainer of the same configuration.
    func readCheckpoint(_ trainer: Trainer) throws -> TrainerCheckpoint {
        var parameters = [Float](repeating: 0, count: trainer.model.layout.count)
        for view in parameterViews {
            let values = try writer.readFixed("/checkpoint/parameters/" + view.name, as: Float.self)
            parameters.replaceSubrange(view.range, with: values)
        }
        let cursor = try writer.readFixed("/checkpoint/cursor", as: Int64.self).map { Int($0) }
        var optimizer = trainer.optimizer.state
        optimizer.step = cursor[3]
        for name in optimizerBuffers {
            optimizer.buffers[name] = try writer.readFixed("/checkpoint/optimizer/" + name, as: Float.self).map { Double($0) }
        }
        let aggregator = trainer.aggregator.state.isEmpty ? [] : try writer.readFixed("/checkpoint/aggregator/state", as: Double.self)
        return TrainerCheckpoint(parameters: parameters, optimizer: optimizer, step: cursor[2], epoch: cursor[0],
                                 position: cursor[1], generator: try writer.readFixed("/checkpoint/rng", as: UInt64.self),
                                 aggregator: aggregator, taskCursors: Array(cursor.dropFirst(Self.cursorFields.count)))
    }

    /// Writes the buffered rows to the file, where SWMR readers see them.
    public func flush() throws { try writer.flush() }

    /// Flushes and closes the record with its final status (complete, diverged, interrupted).
    public func finish(status: RunStatus) throws { try writer.finish(status: status.rawValue) }
}

/// The `status` attribute of a record.
public enum RunStatus: String, Sendable, CaseIterable {
    case running, complete, diverged, interrupted
}
