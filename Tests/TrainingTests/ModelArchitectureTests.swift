import Testing
import Foundation
import Datasets
import Linalg
import Nets
@testable import Training

/// A small in-memory image dataset: `[1, 16, 16]` inputs uniform on [0, 1), two 3-class tasks
/// whose labels follow the brightness of the left and the right half (so they can be learned).
func tinyImageDataset(train: Int = 96, validation: Int = 32) -> MultiTaskDataset {
    var generator = RandomGenerator(seed: 12)
    func split(_ count: Int) -> DataSplit {
        let inputs = Matrix<Float>(rows: count, columns: 256, storage: (0..<(count * 256)).map { _ in Float(generator.uniform()) })
        func labels(columns: Range<Int>) -> Matrix<Float> {
            Matrix(rows: count, columns: 1, storage: (0..<count).map { e in
                var sum: Float = 0
                for i in 0..<16 { for j in columns { sum += inputs[e, i * 16 + j] } }
                let mean = sum / Float(16 * columns.count)
                return mean < 0.49 ? 0 : mean < 0.51 ? 1 : 2
            })
        }
        return DataSplit(inputs: inputs, targets: [labels(columns: 0..<8), labels(columns: 8..<16)])
    }
    return MultiTaskDataset(name: "tiny-images", tasks: [TaskInfo(name: "left", kind: .classification, outputCount: 3),
                                                         TaskInfo(name: "right", kind: .classification, outputCount: 3)],
                            inputShape: [1, 16, 16], train: split(train), validation: split(validation), test: split(8))
}

@Suite struct ModelArchitectureTests {
    let configuration = RunConfiguration(dataset: DatasetConfiguration(name: .multifashion), model: .multilenet, seed: 4)

    @Test func multiLeNetIsBuiltForImagesWithThePyTorchLayout() throws {
        let heads: [(name: String, outputs: Int, loss: LossKind)] = [("left", 10, .crossEntropy), ("right", 10, .crossEntropy)]
        let model = try ModelArchitecture.multilenet.makeModel(inputShape: [1, 28, 28], heads: heads, configuration: configuration)
        #expect(model.layout.views.map(\.name).prefix(6) == ["trunk.0.weight", "trunk.0.bias", "trunk.3.weight", "trunk.3.bias",
                                                            "trunk.7.weight", "trunk.7.bias"])
        #expect(model.layout.view(named: "trunk.7.weight")!.shape == [50, 320])
        #expect(model.layout.view(named: "heads.right.2.weight")!.shape == [10, 50])
        #expect(!model.hasDropout)
        var withDropout = configuration
        withDropout.dropout = 0.3
        #expect(try ModelArchitecture.multilenet.makeModel(inputShape: [1, 28, 28], heads: heads, configuration: withDropout).hasDropout)
        // The MLP ignores the shape and takes the flattened width.
        let mlp = try ModelArchitecture.mlp.makeModel(inputShape: [1, 28, 28], heads: heads, configuration: configuration)
        #expect(mlp.inputWidth == 784 && mlp.layout.view(named: "trunk.0.weight")!.shape == [256, 784])
    }

    @Test func multiLeNetOnVectorsIsAnErrorNamingModel() throws {
        let error = hyperparameterError {
            _ = try ModelArchitecture.multilenet.makeModel(inputShape: [100], heads: [("t0", 1, .meanSquaredError)], configuration: configuration)
        }
        #expect(error?.field == "model")
        let synthetic = RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 64, validationCount: 16, testCount: 16),
                                         model: .multilenet, steps: 2, batchSize: 8)
        let trainerError = hyperparameterError { _ = try Trainer(configuration: synthetic, dataset: try synthetic.dataset.make()) }
        #expect(trainerError?.field == "model")
        #expect(trainerError?.message.contains("multilenet") == true)
    }
}

@Suite struct MultiLeNetTrainerTests {
    func configuration(dropout: Double = 0.5, steps: Int = 12, probeEvery: Int = 0) -> RunConfiguration {
        RunConfiguration(dataset: DatasetConfiguration(name: .multifashion), model: .multilenet, dropout: dropout,
                         optimizer: .adam(learningRate: 1e-3), steps: steps, batchSize: 16, seed: 6, evalEvery: 4,
                         trainEvalCount: 32, probeEvery: probeEvery,
                         probe: ProbeConfiguration(batchSize: 32, microbatchSize: 8, hessianBatchSize: 16, lanczosIterations: 5,
                                                   hutchinsonSamples: 2))
    }

    @Test func aStepUsesTheStepsDropoutMaskAndLeavesDropoutOff() throws {
        let dataset = tinyImageDataset()
        var trainer = try Trainer(configuration: configuration(), dataset: dataset)
        #expect(trainer.model.hasDropout)
        // The first batch's gradients, computed independently with the mask of (seed 6, step 0).
        var sampler = MinibatchSampler(exampleCount: dataset.train.count, batchSize: 16, seed: 6)
        let batch = dataset.train.gathering(sampler.next())
        var masked = trainer.model
        masked.setDropoutSeed(Trainer.dropoutSeed(runSeed: 6, step: 0))
        let expected = masked.taskGradients(inputs: batch.inputs, targets: batch.targets)
        let unmasked = trainer.model.taskGradients(inputs: batch.inputs, targets: batch.targets)
        #expect(expected.losses != unmasked.losses)
        let measurement = trainer.takeStep()
        #expect(measurement.losses == expected.losses)
        // Off again after the step: evaluation is deterministic and sees no mask.
        #expect(trainer.model.trunk.compactMap { $0 as? Dropout }.allSatisfy { $0.maskSeed == nil })
        #expect(trainer.evaluateValidation() == trainer.evaluateValidation())
        #expect(Trainer.dropoutSeed(runSeed: 6, step: 0) != Trainer.dropoutSeed(runSeed: 6, step: 1))
        #expect(Trainer.dropoutSeed(runSeed: 6, step: 0) != Trainer.dropoutSeed(runSeed: 7, step: 0))
    }

    @Test func aRestoredCheckpointWithDropoutContinuesBitForBit() throws {
        let dataset = tinyImageDataset()
        var whole = try Trainer(configuration: configuration(), dataset: dataset)
        var wholeLosses: [[Double]] = []
        while !whole.isFinished { wholeLosses.append(whole.takeStep().losses) }
        var first = try Trainer(configuration: configuration(), dataset: dataset)
        for _ in 0..<5 { _ = first.takeStep() }
        var second = try Trainer(configuration: configuration(), dataset: dataset)
        try second.restore(first.checkpoint)
        var resumedLosses: [[Double]] = []
        while !second.isFinished { resumedLosses.append(second.takeStep().losses) }
        #expect(second.model.parameters == whole.model.parameters)
        #expect(resumedLosses == Array(wholeLosses[5...]))
    }

    @Test func theProbeMeasuresTheConvolutionalModel() throws {
        let dataset = tinyImageDataset()
        var trainer = try Trainer(configuration: configuration(probeEvery: 4), dataset: dataset)
        for _ in 0..<3 { _ = trainer.takeStep() }
        let measurement = try #require(trainer.measureProbe())
        #expect(measurement.sharpness.count == 3 && measurement.sharpness.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(measurement.fisherTrace.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(measurement.hessianTrace.allSatisfy { $0.isFinite })
        // The probe sees no dropout: measuring twice gives the same numbers.
        #expect(trainer.measureProbe()!.fisherTrace == measurement.fisherTrace)
    }

    @Test func trainingLowersTheTrainLoss() throws {
        var config = configuration(dropout: 0, steps: 40)
        config.optimizer = .adam(learningRate: 3e-3)
        var trainer = try Trainer(configuration: config, dataset: tinyImageDataset(train: 128))
        let before = trainer.evaluateTrain().losses
        while !trainer.isFinished { _ = trainer.takeStep() }
        let after = trainer.evaluateTrain().losses
        for t in 0..<2 { #expect(after[t] < 0.9 * before[t], "task \(t): \(before[t]) -> \(after[t])") }
    }
}
