import Foundation
import Datasets
import Linalg
import Nets
import Training

/// The price of recording every step, on the MultiFashion MLP (784-256-256, T=2, Adam):
/// (a) a plain scalarized step (one backward pass for the weighted sum),
/// (b) a step that computes the per-task gradients and combines them,
/// (c) (b) plus the Gramian, cosines, update norm and the buffered HDF5 row (flushed every 50),
/// through the trainer and recorder that `tasktrace record` uses.
/// The three run interleaved, A B C A B C ..., so that drift of the machine hits all alike;
/// each round times `stepsPerRound` steps, and the report gives the median over rounds.
func benchmarkRecordingCost(batch: Int = 256, rounds: Int = 15, stepsPerRound: Int = 60) throws {
    let configuration = RunConfiguration(dataset: DatasetConfiguration(name: .multifashion), batchSize: batch, flushEvery: 50)
    let dataset = try configuration.dataset.make()
    let weights: [Float] = [0.5, 0.5]

    var plain = try Trainer(configuration: configuration, dataset: dataset)
    var perTask = try Trainer(configuration: configuration, dataset: dataset)
    var recorded = try Trainer(configuration: configuration, dataset: dataset)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tasktrace-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let recorder = try RunRecorder(creating: directory.appendingPathComponent("bench.h5").path, trainer: recorded,
                                   overwrite: false, toolVersion: "benchmark")

    /// (a) and (b): the trainer's data, model and optimizer; only the gradient differs.
    func uninstrumentedStep(_ trainer: inout Trainer, perTask: Bool) {
        let batch = dataset.train.gathering(trainer.sampler.next())
        let direction = perTask
            ? trainer.model.taskGradients(inputs: batch.inputs, targets: batch.targets).combined(weights: weights)
            : trainer.model.weightedGradient(inputs: batch.inputs, targets: batch.targets, weights: weights).gradient
        trainer.optimizer.update(parameters: &trainer.model.parameters, gradient: direction, learningRate: 1e-3)
    }
    var failure: (any Error)?
    func recordedStep() {
        do {
            try recorder.record(recorded.takeStep())
            if recorded.step % configuration.flushEvery == 0 { try recorder.flush() }
        } catch { failure = error }
    }
    var times: [[Double]] = [[], [], []]
    for round in 0...rounds {
        let a = medianSeconds(warmup: 0, repetitions: stepsPerRound) { uninstrumentedStep(&plain, perTask: false) }
        let b = medianSeconds(warmup: 0, repetitions: stepsPerRound) { uninstrumentedStep(&perTask, perTask: true) }
        let c = medianSeconds(warmup: 0, repetitions: stepsPerRound) { recordedStep() }
        if round > 0 { times[0].append(a); times[1].append(b); times[2].append(c) }  // round 0 warms up
    }
    try recorder.finish(status: .complete)
    if let failure { throw failure }
    let (a, b, c) = (median(times[0]), median(times[1]), median(times[2]))

    let shared = Double(recorded.model.layout.sharedCount)
    let flopsB = multiTaskStepShapes(batch: batch, widths: [784, 256, 256], classes: 10, tasks: 2).reduce(0) { $0 + $1.flops }
    let flopsA = multiTaskStepShapes(batch: batch, widths: [784, 256, 256], classes: 10, tasks: 1).reduce(0) { $0 + $1.flops }
        + 2 * Double(batch) * 256 * 10 * 3  // the second head's forward, dW and dX
    let flopsC = flopsB + 3 * 2 * shared + 2 * Double(recorded.model.layout.count)  // 3 Gramian dots, update norm
    print("Recording cost on the MultiFashion MLP (784-256-256, T=2, batch \(batch), Adam)")
    print("  medians over \(rounds) interleaved rounds of \(stepsPerRound) steps")
    print("  (a) plain scalarized step          \(format(a))   \(String(format: "%.1f", flopsA / 1e6)) MFLOP")
    print("  (b) per-task gradients step        \(format(b))   \(String(format: "%.1f", flopsB / 1e6)) MFLOP")
    print("  (c) (b) + Gramian, cosines, row    \(format(c))   \(String(format: "%.1f", flopsC / 1e6)) MFLOP")
    print("  per-task price (b)/(a) = \(String(format: "%.2f", b / a)) (arithmetic ratio \(String(format: "%.2f", flopsB / flopsA)))")
    print("  recording overhead (c)/(b) = \(String(format: "%+.1f", 100 * (c / b - 1)))%  (target: under +5%)")
}
