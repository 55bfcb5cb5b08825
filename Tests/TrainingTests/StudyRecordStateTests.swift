import Foundation
import Testing
@testable import Training

/// What a study finds at a run's path: each state from a record made in this process.
@Suite struct StudyRecordStateTests {
    static let planned = RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 128, validationCount: 64, testCount: 32),
                                          widths: [8], steps: 20, batchSize: 16, seed: 3, trainEvalCount: 64, checkpointEvery: 10)

    /// A fresh temporary directory; the caller removes it.
    func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("StudyRecordStateTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Records `configuration` into `path`, stopping after `stopAfter` steps when given.
    func record(_ configuration: RunConfiguration, to path: String, stopAfter: Int? = nil) throws -> RunOutcome {
        var trainer = try Trainer(configuration: configuration, dataset: configuration.dataset.make())
        let recorder = try RunRecorder(creating: path, trainer: trainer, overwrite: false, toolVersion: "test")
        var steps = 0
        return try recordRun(trainer: &trainer, recorder: recorder, stopRequested: { stopAfter.map { steps >= $0 } ?? false },
                             progress: { step, _ in steps = step })
    }

    @Test func missingCompleteAndInterruptedRecords() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.h5").path
        #expect(StudyRecordState(checking: path, planned: Self.planned) == .missing)
        #expect(try record(Self.planned, to: path) == .complete)
        #expect(StudyRecordState(checking: path, planned: Self.planned) == .complete)

        let stopped = directory.appendingPathComponent("stopped.h5").path
        #expect(try record(Self.planned, to: stopped, stopAfter: 5) == .interrupted)
        #expect(StudyRecordState(checking: stopped, planned: Self.planned) == .resumable(reason: "interrupted"))
    }

    @Test func divergedRecordsAreKept() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = Self.planned
        configuration.optimizer = .sgd(learningRate: 1e9)
        let path = directory.appendingPathComponent("diverged.h5").path
        guard case .diverged = try record(configuration, to: path) else {
            Issue.record("the run did not diverge")
            return
        }
        #expect(StudyRecordState(checking: path, planned: configuration) == .diverged)
    }

    @Test func aRecordOfAnotherConfigurationIsForeignAndNamesTheField() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.h5").path
        _ = try record(Self.planned, to: path)
        var other = Self.planned
        other.seed = 4
        guard case .foreign(let reason) = StudyRecordState(checking: path, planned: other) else {
            Issue.record("not foreign")
            return
        }
        #expect(reason.contains("seed"))
        other = Self.planned
        other.task = "t0"
        guard case .foreign(let taskReason) = StudyRecordState(checking: path, planned: other) else {
            Issue.record("not foreign")
            return
        }
        #expect(taskReason.contains("task"))
    }

    @Test func filesThatAreNotRecordsAreUnusable() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("junk.h5").path
        try Data("not a record".utf8).write(to: URL(fileURLWithPath: path))
        guard case .unusable(let reason) = StudyRecordState(checking: path, planned: Self.planned) else {
            Issue.record("not unusable")
            return
        }
        #expect(reason.contains("junk.h5"))
    }

    /// A record written before `model`, `dropout`, `evalTest`, `sharedHead` and `scalarization`
    /// existed trained with their defaults: it matches a plan that leaves them at the defaults,
    /// not one that changes them; the values it gives stay as written.
    @Test func fieldsARecordDoesNotNameCountWithTheirDefaults() throws {
        var old = try JSONValue(encoding: Self.planned)
        for key in ["model", "dropout", "evalTest", "sharedHead", "scalarization"] { old = old.removing(key) }
        let text = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
        let recorded = try StudyRecordState.recordedConfiguration(text)
        #expect(try JSONValue(encoding: Self.planned).firstDifference(from: recorded) == nil)
        var other = Self.planned
        other.dropout = 0.5
        #expect(try JSONValue(encoding: other).firstDifference(from: recorded) == "dropout")
        #expect(try StudyRecordState.recordedConfiguration(#"{"seed": 3}"#) == .object(["seed": .integer(3)]))
    }
}
