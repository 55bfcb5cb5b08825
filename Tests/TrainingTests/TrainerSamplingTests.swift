import Foundation
import Testing
import Datasets
import Linalg
import Nets
import Records
@testable import Training

/// A two-domain problem without files: 8 Gaussian inputs, task `a` (3 classes) labelled on the
/// examples i % 3 == 0, task `b` (3 classes) on the others, -1 elsewhere.
func twoDomainDataset(trainCount: Int = 300, seed: UInt64 = 1) -> MultiTaskDataset {
    func split(_ count: Int, stream: UInt64) -> DataSplit {
        var generator = RandomGenerator(seed: seed, stream: stream)
        let inputs = Matrix<Float>(rows: count, columns: 8, storage: (0..<(count * 8)).map { _ in Float(generator.normal()) })
        var a = Matrix<Float>(rows: count, columns: 1, storage: [Float](repeating: -1, count: count))
        var b = a
        for i in 0..<count {
            // The class is the sign pattern of two inputs, so there is something to learn.
            let label = Float((inputs[i, 0] > 0 ? 1 : 0) + (inputs[i, 1] > 0 ? 1 : 0))
            if i % 3 == 0 { a.storage[i] = label } else { b.storage[i] = label }
        }
        return DataSplit(inputs: inputs, targets: [a, b])
    }
    let tasks = [TaskInfo(name: "a", kind: .classification, outputCount: 3),
                 TaskInfo(name: "b", kind: .classification, outputCount: 3)]
    return MultiTaskDataset(name: "two-domain", tasks: tasks, inputShape: [8],
                            train: split(trainCount, stream: 0), validation: split(90, stream: 1), test: split(30, stream: 2))
}

@Suite struct TrainerSamplingTests {
    func configuration(weights: [Double]? = [0.3, 0.7], steps: Int = 40, optimizer: OptimizerConfiguration = .sgd(learningRate: 0.1),
                       sharedHead: Bool = false) -> RunConfiguration {
        RunConfiguration(dataset: DatasetConfiguration(name: .synthetic), widths: [16], optimizer: optimizer, steps: steps,
                         batchSize: 16, seed: 4, weights: weights, evalEvery: 10, trainEvalCount: 90, checkpointEvery: 1000,
                         sharedHead: sharedHead, scalarization: .sampling)
    }

    @Test func eachTaskSamplesOnlyItsLabelledExamples() throws {
        let trainer = try Trainer(configuration: configuration(), dataset: twoDomainDataset())
        #expect(trainer.taskExamples[0] == Array(stride(from: 0, to: 300, by: 3)))
        #expect(trainer.taskExamples[1].count == 200 && trainer.taskExamples[1].allSatisfy { $0 % 3 != 0 })
        #expect(trainer.taskSamplers.map(\.exampleCount) == [100, 200])
        // In weighting mode there are none.
        var weighting = configuration()
        weighting.scalarization = .weighting
        #expect(try Trainer(configuration: weighting, dataset: twoDomainDataset()).taskSamplers.isEmpty)
    }

    @Test func tasksAreDrawnWithFrequencyW() throws {
        // 1000 draws of task b with probability 0.7: Binomial(1000, 0.7) has standard deviation
        // 14.5; the bound 700 ± 100 is 6.9 of them (and the draws are seeded, so no flake).
        var trainer = try Trainer(configuration: configuration(steps: 1000), dataset: twoDomainDataset())
        var countB = 0
        for _ in 0..<1000 {
            let measurement = trainer.takeStep()
            // One-hot effective weights; the batch holds labels of the drawn task only.
            #expect(measurement.weights == [1, 0] || measurement.weights == [0, 1])
            let drawn = measurement.weights.firstIndex(of: 1)!
            #expect(measurement.labelledCounts[drawn] == 16 && measurement.labelledCounts[1 - drawn] == 0)
            #expect(measurement.losses[1 - drawn].isNaN && measurement.losses[drawn].isFinite)
            #expect(!measurement.diverged)
            countB += drawn
        }
        #expect(abs(countB - 700) <= 100, "task b drawn \(countB) times in 1000")
    }

    @Test func theUpdateIsTheDrawnTasksGradientStep() throws {
        var trainer = try Trainer(configuration: configuration(), dataset: twoDomainDataset())
        for _ in 0..<5 {
            let before = trainer
            let measurement = trainer.takeStep()
            let drawn = measurement.weights.firstIndex(of: 1)!
            var sampler = before.taskSamplers[drawn]
            let batch = before.dataset.train.gathering(sampler.next().map { before.taskExamples[drawn][$0] })
            let gradient = before.model.taskGradients(inputs: batch.inputs, targets: batch.targets).gradient(drawn)
            let expected = zip(before.model.parameters, gradient).map { $0 - 0.1 * $1 }
            expectClose(trainer.model.parameters, expected.map(Double.init), tolerance: 1e-6)
            #expect(trainer.taskSamplers[drawn] == sampler && trainer.taskSamplers[1 - drawn] == before.taskSamplers[1 - drawn])
            #expect(trainer.sampler == before.sampler)  // the split's sampler is not used
        }
    }

    @Test func onADatasetWhereEveryExampleCarriesEveryTaskSamplingDrawsFromTheWholeSplit() throws {
        var c = configuration()
        c.dataset = DatasetConfiguration(name: .synthetic, trainCount: 64, validationCount: 16, testCount: 16)
        let trainer = try Trainer(configuration: c, dataset: try c.dataset.make())
        #expect(trainer.taskExamples == [Array(0..<64), Array(0..<64)])
    }

    @Test func aDomainSmallerThanTheBatchNamesBatchSize() {
        var c = configuration()
        c.batchSize = 150
        let error = hyperparameterError { _ = try Trainer(configuration: c, dataset: twoDomainDataset()) }
        #expect(error?.field == "batchSize")
    }

    @Test func aSharedHeadSharesEveryParameterAndNeedsEqualOutputCounts() throws {
        let trainer = try Trainer(configuration: configuration(sharedHead: true), dataset: twoDomainDataset())
        #expect(trainer.model.layout.sharedCount == trainer.model.layout.count)
        #expect(trainer.model.heads.allSatisfy { $0.layers.first is Flatten })
        var unequal = twoDomainDataset()
        unequal.tasks[1] = TaskInfo(name: "b", kind: .classification, outputCount: 4)
        let error = hyperparameterError { _ = try Trainer(configuration: configuration(sharedHead: true), dataset: unequal) }
        #expect(error?.field == "sharedHead")
    }

    /// Float rows compared by bit pattern, so that NaN losses (tasks without labels) compare equal.
    func bits(_ reader: RecordReader, _ path: String) throws -> [UInt64] {
        try reader.readDoubles(path).map(\.bitPattern)
    }

    @Test(arguments: [false, true])
    func anInterruptedSamplingRecordResumesBitIdentically(sharedHead: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sampling-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = configuration(weights: [0.5, 0.5], steps: 60, optimizer: .adam(learningRate: 1e-2), sharedHead: sharedHead)
        let dataset = twoDomainDataset()
        var whole = try Trainer(configuration: config, dataset: dataset)
        let wholePath = directory.appendingPathComponent("whole.h5").path
        #expect(try recordRun(trainer: &whole, recorder: try RunRecorder(creating: wholePath, trainer: whole, overwrite: false,
                                                                         toolVersion: "test")) == .complete)
        // Stopped after 23 steps, then resumed from the file by a fresh trainer.
        let stoppedPath = directory.appendingPathComponent("stopped.h5").path
        var first = try Trainer(configuration: config, dataset: dataset)
        var polls = 0
        #expect(try recordRun(trainer: &first, recorder: try RunRecorder(creating: stoppedPath, trainer: first, overwrite: false,
                                                                         toolVersion: "test"),
                              stopRequested: { polls += 1; return polls > 23 }) == .interrupted)
        var resumed = try Trainer(configuration: config, dataset: dataset)
        let recorder = try RunRecorder(resuming: stoppedPath, trainer: &resumed)
        #expect(resumed.step == 23 && resumed.taskSamplers == first.taskSamplers && resumed.generator == first.generator)
        #expect(try recordRun(trainer: &resumed, recorder: recorder) == .complete)
        #expect(resumed.model.parameters == whole.model.parameters)
        let a = try RecordReader(wholePath), b = try RecordReader(stoppedPath)
        defer { a.close(); b.close() }
        for path in ["/train/weight", "/train/loss", "/grads/gramian", "/eval/val_loss", "/eval/val_metric"] {
            #expect(try bits(a, path) == bits(b, path), "\(path)")
        }
        // Both tasks were drawn, so the comparison is not trivial.
        let weights = try a.readDoubles("/train/weight")
        #expect(Set(stride(from: 0, to: weights.count, by: 2).map { weights[$0] }) == [0, 1])
    }

    @Test func aCheckpointFromAnotherModeIsRefused() throws {
        let sampling = try Trainer(configuration: configuration(), dataset: twoDomainDataset())
        var weightingConfiguration = configuration()
        weightingConfiguration.scalarization = .weighting
        var weighting = try Trainer(configuration: weightingConfiguration, dataset: twoDomainDataset())
        let error = hyperparameterError { try weighting.restore(sampling.checkpoint) }
        #expect(error?.field == "checkpoint")
        #expect(sampling.checkpoint.taskCursors == [0, 0, 0, 0])
    }
}
