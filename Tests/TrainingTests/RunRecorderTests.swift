import Foundation
import Testing
import Records
@testable import Training

@Suite struct RunRecorderTests {
    func record(evalTest: Bool) throws -> (reader: RecordReader, trainer: Trainer, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("RunRecorderTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("run.h5").path
        let configuration = RunConfiguration(
            dataset: DatasetConfiguration(name: .synthetic, trainCount: 200, validationCount: 50, testCount: 60),
            widths: [8], steps: 20, batchSize: 16, seed: 3, evalEvery: 10, evalTest: evalTest)
        var trainer = try Trainer(configuration: configuration, dataset: configuration.dataset.make())
        let recorder = try RunRecorder(creating: path, trainer: trainer, overwrite: false, toolVersion: "test")
        #expect(try recordRun(trainer: &trainer, recorder: recorder) == .complete)
        return (try RecordReader(path), trainer, directory)
    }

    /// Every evaluation row (steps 0, 10, 20) also measures the test split; the last row equals
    /// an evaluation of the final model on the test split made here.
    @Test func testEvaluationRowsFollowTheEvaluations() throws {
        let (reader, trainer, directory) = try record(evalTest: true)
        defer { reader.close(); try? FileManager.default.removeItem(at: directory) }
        #expect(try reader.readInt64s("/eval/step") == [0, 10, 20])
        let loss = try reader.readDoubles("/eval/test_loss"), metric = try reader.readDoubles("/eval/test_metric")
        #expect(loss.count == 3 * 2 && metric.count == 3 * 2)
        let final = trainer.model.evaluate(on: trainer.dataset.test, tasks: trainer.tasks)
        #expect(Array(loss.suffix(2)) == final.losses && Array(metric.suffix(2)) == final.metrics)
        #expect(final.losses != trainer.evaluateValidation().losses)  // the test split, not validation again
    }

    /// Without evalTest there are no test rows; the wall time is there either way, one
    /// non-decreasing positive value per step.
    @Test func wallTimeEveryStepAndNoTestRowsUnlessAsked() throws {
        let (reader, _, directory) = try record(evalTest: false)
        defer { reader.close(); try? FileManager.default.removeItem(at: directory) }
        #expect(!reader.isDataset("/eval/test_loss") && !reader.isDataset("/eval/test_metric"))
        let wall = try reader.readDoubles("/train/wall_time")
        #expect(wall.count == 20 && wall.allSatisfy { $0 > 0 } && zip(wall, wall.dropFirst()).allSatisfy { $0 <= $1 })
        let checkpointed = try reader.readDoubles(TrajectorySchema.checkpointWallTimePath)
        #expect(checkpointed.count == 1 && checkpointed[0] >= wall.last!)
    }
}
