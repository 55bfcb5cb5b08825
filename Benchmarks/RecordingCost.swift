import Foundation
import Datasets
import Linalg
import Nets
import Training

/// The price of recording every step, on the MultiFashion MLP (784-256-256, T=2, Adam):
/// (a) a plain scalarized step (one backward pass for the weighted sum),
/// (b) a step that computes the per-task gradients and combines them,
/// (c) (b) plus the Gramian, cosines, update norm and the buffered HDF5 row (flushed every 50).
func benchmarkRecordingCost(batch: Int = 256, steps: Int = 200) throws {
    let configuration = RunConfiguration(dataset: DatasetConfiguration(name: .multifashion), batchSize: batch, flushEvery: 50)
    let dataset = try configuration.dataset.make()
    let weights: [Float] = [0.5, 0.5]

    // (a) and (b) share the trainer's data, model and optimizer; only the gradient differs.
    func plainSeconds(perTask: Bool) throws -> Double {
        var trainer = try Trainer(configuration: configuration, dataset: dataset)
        return medianSeconds(warmup: 10, repetitions: steps) {
            let indices = trainer.sampler.next()
            let batch = dataset.train.gathering(indices)
            let direction = perTask
                ? trainer.model.taskGradients(inputs: batch.inputs, targets: batch.targets).combined(weights: weights)
                : trainer.model.weightedGradient(inputs: batch.inputs, targets: batch.targets, weights: weights).gradient
            trainer.optimizer.update(parameters: &trainer.model.parameters, gradient: direction, learningRate: 1e-3)
        }
    }
    let a = try plainSeconds(perTask: false)
    let b = try plainSeconds(perTask: true)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tasktrace-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var trainer = try Trainer(configuration: configuration, dataset: dataset)
    let recorder = try RunRecorder(creating: directory.appendingPathComponent("bench.h5").path, trainer: trainer,
                                   overwrite: false, toolVersion: "benchmark")
    var failure: (any Error)?
    let c = medianSeconds(warmup: 10, repetitions: steps) {
        do {
            let measurement = trainer.takeStep()
            try recorder.record(measurement)
            if trainer.step % configuration.flushEvery == 0 { try recorder.flush() }
        } catch { failure = error }
    }
    try recorder.finish(status: .complete)
    if let failure { throw failure }

    let shared = Double(trainer.model.layout.sharedCount)
    let forward = multiTaskStepShapes(batch: batch, widths: [784, 256, 256], classes: 10, tasks: 2)
    let flopsB = forward.reduce(0) { $0 + $1.flops }
    let flopsA = multiTaskStepShapes(batch: batch, widths: [784, 256, 256], classes: 10, tasks: 1).reduce(0) { $0 + $1.flops }
        + 2 * Double(batch) * 256 * 10 * 3  // the second head's forward, dW and dX
    let flopsC = flopsB + 3 * 2 * shared + 2 * Double(trainer.model.layout.count)  // 3 Gramian dots, update norm
    print("Recording cost on the MultiFashion MLP (784-256-256, T=2, batch \(batch), Adam); median of \(steps) steps")
    print("  (a) plain scalarized step          \(format(a))   \(String(format: "%.1f", flopsA / 1e6)) MFLOP")
    print("  (b) per-task gradients step        \(format(b))   \(String(format: "%.1f", flopsB / 1e6)) MFLOP")
    print("  (c) (b) + Gramian, cosines, row    \(format(c))   \(String(format: "%.1f", flopsC / 1e6)) MFLOP")
    print("  per-task price (b)/(a) = \(String(format: "%.2f", b / a)) (arithmetic ratio \(String(format: "%.2f", flopsB / flopsA)))")
    print("  recording overhead (c)/(b) = \(String(format: "%+.1f", 100 * (c / b - 1)))%  (target: under +5%)")
}
