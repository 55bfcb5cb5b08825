import Foundation
import Testing
import Datasets
import Linalg
import Nets
@testable import Training

@Suite struct RecordedModelTests {
    /// A small synthetic run: 2 regression tasks, tanh trunk 16,8, unequal weights.
    func configuration(task: String? = nil, steps: Int = 30) -> RunConfiguration {
        RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 256, validationCount: 128, testCount: 64, rho: 0.3),
                         task: task, widths: [16, 8], activation: .tanh, optimizer: .adam(learningRate: 1e-2),
                         steps: steps, batchSize: 32, seed: 5, weights: task == nil ? [0.7, 0.3] : nil, evalEvery: 10,
                         trainEvalCount: 128, checkpointEvery: 10)
    }

    func scratchFile(_ name: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("RecordedModelTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent(name).path)
    }

    @Test func aCompleteRunRebuildsTheFinalModel() throws {
        let (directory, path) = try scratchFile("mt.h5")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = configuration()
        let dataset = try config.dataset.make()
        var trainer = try Trainer(configuration: config, dataset: dataset)
        let recorder = try RunRecorder(creating: path, trainer: trainer, overwrite: false, toolVersion: "test")
        #expect(try recordRun(trainer: &trainer, recorder: recorder) == .complete)

        let recorded = try RecordedModel(file: path)
        #expect(recorded.checkpointStep == 30)
        #expect(recorded.configuration == trainer.configuration)  // as resolved for the dataset
        #expect(recorded.configuration == (try config.resolved(for: dataset)))
        #expect(recorded.tasks.map(\.name) == ["t0", "t1"])
        #expect(recorded.tasks.allSatisfy { $0.kind == .regression })
        #expect(recorded.weights == [0.7, 0.3])
        #expect(recorded.model.layout == trainer.model.layout)
        #expect(recorded.model.parameters == trainer.model.parameters)
        #expect(recorded.model.heads.map(\.loss) == [.meanSquaredError, .meanSquaredError])

        let batch = dataset.validation.prefix(64)
        #expect(recorded.model.losses(inputs: batch.inputs, targets: batch.targets)
                == trainer.model.losses(inputs: batch.inputs, targets: batch.targets))
    }

    @Test func aSharedHeadRunRebuildsWithTheLastLayerInTheTrunk() throws {
        let (directory, path) = try scratchFile("shared.h5")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = configuration(steps: 10)
        config.sharedHead = true
        let dataset = try config.dataset.make()
        var trainer = try Trainer(configuration: config, dataset: dataset)
        #expect(try recordRun(trainer: &trainer, recorder: try RunRecorder(creating: path, trainer: trainer, overwrite: false,
                                                                           toolVersion: "test")) == .complete)
        let recorded = try RecordedModel(file: path)
        #expect(recorded.model.layout == trainer.model.layout)
        #expect(recorded.model.layout.sharedCount == recorded.model.layout.count)
        #expect(recorded.model.parameters == trainer.model.parameters)
    }

    @Test func aMidRunCheckpointOfASingleTaskRunRebuildsThatStep() throws {
        let (directory, path) = try scratchFile("st.h5")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = configuration(task: "t1")
        let dataset = try config.dataset.make()
        var trainer = try Trainer(configuration: config, dataset: dataset)
        let recorder = try RunRecorder(creating: path, trainer: trainer, overwrite: false, toolVersion: "test")
        for _ in 0..<20 { try recorder.record(trainer.takeStep()) }
        try recorder.writeCheckpoint(trainer)
        let atCheckpoint = trainer.model
        for _ in 0..<5 { try recorder.record(trainer.takeStep()) }  // after the checkpoint: not in it
        try recorder.finish(status: .interrupted)
        #expect(trainer.model.parameters != atCheckpoint.parameters)

        let recorded = try RecordedModel(file: path)
        #expect(recorded.checkpointStep == 20)
        #expect(recorded.tasks.map(\.name) == ["t1"] && recorded.weights == [1])
        #expect(recorded.model.layout.views.map(\.name).contains("heads.t1.0.weight"))
        #expect(recorded.model.parameters == atCheckpoint.parameters)
        let batch = dataset.train.prefix(48)
        let targets = [batch.targets[1]]
        #expect(recorded.model.losses(inputs: batch.inputs, targets: targets)
                == atCheckpoint.losses(inputs: batch.inputs, targets: targets))
        // In double precision too (what `tasktrace measure` computes in by default).
        let inputs = batch.inputs.converted(to: Double.self), doubleTargets = targets.map { $0.converted(to: Double.self) }
        #expect(recorded.model.converted(to: Double.self).losses(inputs: inputs, targets: doubleTargets)
                == atCheckpoint.converted(to: Double.self).losses(inputs: inputs, targets: doubleTargets))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: FashionMNIST.configuredDirectory),
                   "needs the Fashion-MNIST files"))
    func classificationHeadsGetCrossEntropyAndTheirClassCount() throws {
        let (directory, path) = try scratchFile("mf.h5")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = RunConfiguration(dataset: DatasetConfiguration(name: .multifashion, trainCount: 300, validationCount: 100,
                                                                    testCount: 10),
                                      widths: [12], steps: 10, batchSize: 32, seed: 2, evalEvery: 10,
                                      trainEvalCount: 100, checkpointEvery: 10)
        let dataset = try config.dataset.make()
        var trainer = try Trainer(configuration: config, dataset: dataset)
        let recorder = try RunRecorder(creating: path, trainer: trainer, overwrite: false, toolVersion: "test")
        _ = try recordRun(trainer: &trainer, recorder: recorder)

        let recorded = try RecordedModel(file: path)
        #expect(recorded.model.heads.map(\.loss) == [.crossEntropy, .crossEntropy])
        #expect(recorded.model.heads.map(\.outputWidth) == [10, 10])
        #expect(recorded.model.inputWidth == dataset.inputWidth)
        #expect(recorded.model.parameters == trainer.model.parameters)
        let batch = dataset.validation.prefix(50)
        #expect(recorded.model.losses(inputs: batch.inputs, targets: batch.targets)
                == trainer.model.losses(inputs: batch.inputs, targets: batch.targets))
    }

    @Test func aRecordWithoutACheckpointYetIsAnError() throws {
        let (directory, path) = try scratchFile("early.h5")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = configuration()
        var trainer = try Trainer(configuration: config, dataset: try config.dataset.make())
        let recorder = try RunRecorder(creating: path, trainer: trainer, overwrite: false, toolVersion: "test")
        try recorder.record(trainer.takeStep())
        try recorder.finish(status: .interrupted)
        #expect(throws: RecordedModelError.noCheckpoint(file: path)) { try RecordedModel(file: path) }
        #expect(RecordedModelError.noCheckpoint(file: path).description.contains("/checkpoint/step"))
    }

    @Test func filesThatAreNotRecordsAreErrorsNamingTheFile() throws {
        let (directory, path) = try scratchFile("notes.txt")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("not a record\n".utf8).write(to: URL(fileURLWithPath: path))
        for file in [path, directory.appendingPathComponent("missing.h5").path] {
            do {
                _ = try RecordedModel(file: file)
                Issue.record("\(file) was read as a record")
            } catch {
                #expect(String(describing: error).hasPrefix(file + ": "), "\(error)")
            }
        }
    }
}
