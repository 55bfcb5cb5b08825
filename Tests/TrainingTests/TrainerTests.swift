import Testing
import Foundation
import Records
import Datasets
import Linalg
import Nets
@testable import Training

@Suite struct TrainerTests {
    func configuration(task: String? = nil, optimizer: OptimizerConfiguration = .sgd(learningRate: 0.05),
                       weights: [Double]? = nil, steps: Int = 40) -> RunConfiguration {
        RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 256, validationCount: 128, testCount: 64, rho: 0.5),
                         task: task, widths: [16], optimizer: optimizer, steps: steps, batchSize: 32, seed: 3,
                         weights: weights, evalEvery: 10, trainEvalCount: 128)
    }

    @Test func sgdUpdateNormIsLearningRateTimesTheCombinedGradientNorm() throws {
        let config = configuration(weights: [0.7, 0.3])
        let dataset = try config.dataset.make()
        var trainer = try Trainer(configuration: config, dataset: dataset)
        // The same first batch, gradients taken independently through Nets.
        var sampler = MinibatchSampler(exampleCount: dataset.train.count, batchSize: 32, seed: 3)
        let batch = dataset.train.gathering(sampler.next())
        let gradients = trainer.model.taskGradients(inputs: batch.inputs, targets: batch.targets)
        let combined = gradients.combined(weights: [0.7, 0.3])
        let measurement = trainer.takeStep()
        #expect(measurement.losses == gradients.losses)
        #expect(abs(measurement.updateNorm - 0.05 * Double(norm(combined))) < 1e-6 * measurement.updateNorm)
        // The Gramian's diagonal is each task's squared gradient norm over the shared parameters.
        for t in 0..<2 {
            let shared = Array(gradients.gradient(t)[0..<gradients.sharedCount]).map(Double.init)
            let squared = shared.reduce(0) { $0 + $1 * $1 }
            #expect(abs(measurement.gramian[t, t] - squared) < 1e-6 * squared)  // Float32 products
        }
        #expect(measurement.learningRate == 0.05 && measurement.weights == [0.7, 0.3] && measurement.step == 0)
        #expect(trainer.step == 1)
    }

    @Test func trainingLowersTheTrainLoss() throws {
        var trainer = try Trainer(configuration: configuration(optimizer: .adam(learningRate: 1e-2), steps: 80),
                                  dataset: try configuration().dataset.make())
        let before = trainer.evaluateTrain().losses
        while !trainer.isFinished { _ = trainer.takeStep() }
        let after = trainer.evaluateTrain().losses
        for t in 0..<2 { #expect(after[t] < 0.5 * before[t], "task \(t): \(before[t]) -> \(after[t])") }
    }

    @Test func singleTaskAndMultiTaskRunsWithOneSeedPair() throws {
        let dataset = try configuration().dataset.make()
        let multi = try Trainer(configuration: configuration(), dataset: dataset)
        let single = try Trainer(configuration: configuration(task: "t1"), dataset: dataset)
        #expect(single.tasks == [1] && single.taskNames == ["t1"] && single.weights == [1])
        let shared = multi.model.layout.sharedCount
        #expect(Array(single.model.parameters[0..<shared]) == Array(multi.model.parameters[0..<shared]))
        #expect(Array(single.model.parameters[single.model.layout.headRanges[0]])
                == Array(multi.model.parameters[multi.model.layout.headRanges[1]]))
        var a = single.sampler, b = multi.sampler
        for _ in 0..<20 { #expect(a.next() == b.next()) }
    }

    @Test func aHugeLearningRateDivergesAndIsReportedAsSuch() throws {
        let config = configuration(optimizer: .sgd(learningRate: 1e6), steps: 50)
        var trainer = try Trainer(configuration: config, dataset: try config.dataset.make())
        var diverged = false
        while !trainer.isFinished && !diverged { diverged = trainer.takeStep().diverged }
        #expect(diverged)
    }

    @Test func unknownTaskAndBadWeightsNameTheField() throws {
        let dataset = try configuration().dataset.make()
        #expect(throws: HyperparameterError.self) { try Trainer(configuration: configuration(task: "left"), dataset: dataset) }
        do {
            _ = try Trainer(configuration: configuration(weights: [1, 1, 1]), dataset: dataset)
            Issue.record("three weights for two tasks were accepted")
        } catch let error as HyperparameterError {
            #expect(error.field == "weights")
        }
    }
}

@Suite struct TrainerMethodTests {
    func configuration(method: String) -> RunConfiguration {
        RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 256, validationCount: 64, testCount: 64, rho: 0.5),
                         widths: [16], optimizer: .adam(learningRate: 1e-2), steps: 60, batchSize: 32, seed: 3, method: method)
    }

    @Test(arguments: ["gradvac", "pcgrad", "rlw", "graddrop", "uncertainty", "dwa", "gradnorm", "famo"])
    func aRestoredCheckpointContinuesBitForBit(method: String) throws {
        let config = configuration(method: method)
        let dataset = try config.dataset.make()
        var whole = try Trainer(configuration: config, dataset: dataset)
        var wholeWeights: [[Double]] = []
        while !whole.isFinished { wholeWeights.append(whole.takeStep().weights) }

        var first = try Trainer(configuration: config, dataset: dataset)
        for _ in 0..<30 { _ = first.takeStep() }
        var second = try Trainer(configuration: config, dataset: dataset)
        try second.restore(first.checkpoint)
        var resumedWeights: [[Double]] = []
        while !second.isFinished { resumedWeights.append(second.takeStep().weights) }
        #expect(second.model.parameters == whole.model.parameters, "\(method)")
        #expect(resumedWeights == Array(wholeWeights[30...]), "\(method)")
    }

    @Test func theRecordedWeightsAreTheMethodsEffectiveWeights() throws {
        var trainer = try Trainer(configuration: configuration(method: "mgda"), dataset: try configuration(method: "mgda").dataset.make())
        let measurement = trainer.takeStep()
        // MGDA's weights lie on the simplex and are recomputed from the step's own Gramian.
        #expect(abs(measurement.weights.reduce(0, +) - 1) < 1e-9 && measurement.weights.allSatisfy { $0 >= 0 })
        #expect(measurement.weights == MGDAUpperBound.minNormWeights(measurement.gramian))
    }
}

@Suite struct RecordedMethodResumeTests {
    @Test func anInterruptedRecordResumesAStatefulMethodExactly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("method-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 256, validationCount: 64, testCount: 64),
                                      widths: [16], optimizer: .adam(learningRate: 1e-2), steps: 40, batchSize: 32, seed: 5,
                                      method: "gradnorm", evalEvery: 10, checkpointEvery: 1000)
        let dataset = try config.dataset.make()
        // Uninterrupted.
        var whole = try Trainer(configuration: config, dataset: dataset)
        let wholePath = directory.appendingPathComponent("whole.h5").path
        #expect(try recordRun(trainer: &whole, recorder: try RunRecorder(creating: wholePath, trainer: whole, overwrite: false,
                                                                         toolVersion: "test")) == .complete)
        // Stopped after 17 steps (a checkpoint is written on the way out), then resumed from the file.
        let stoppedPath = directory.appendingPathComponent("stopped.h5").path
        var first = try Trainer(configuration: config, dataset: dataset)
        var polls = 0  // polled once before every step: the 18th poll comes after 17 steps
        let outcome = try recordRun(trainer: &first, recorder: try RunRecorder(creating: stoppedPath, trainer: first, overwrite: false,
                                                                               toolVersion: "test"),
                                    stopRequested: { polls += 1; return polls > 17 })
        #expect(outcome == .interrupted)
        var resumed = try Trainer(configuration: config, dataset: dataset)
        let recorder = try RunRecorder(resuming: stoppedPath, trainer: &resumed)
        #expect(resumed.step == 17)
        #expect(try recordRun(trainer: &resumed, recorder: recorder) == .complete)
        let a = try RecordReader(wholePath), b = try RecordReader(stoppedPath)
        defer { a.close(); b.close() }
        for path in ["/train/weight", "/train/loss", "/eval/val_loss"] {
            #expect(try a.readDoubles(path) == b.readDoubles(path), "\(path)")
        }
        // GradNorm's weights moved away from equal, so the comparison above is not trivial.
        #expect(Set(try a.readDoubles("/train/weight")).count > 2)
    }
}
