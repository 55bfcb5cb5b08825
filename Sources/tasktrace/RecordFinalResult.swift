import Foundation
import Records
import Training

/// A record's final results: the validation loss and metric of its last `/eval` row, the
/// test metric when the record has one (`/eval/test_metric`), and its configured length.
struct RecordFinalResult {
    /// The record's file path.
    var file: String
    /// Per-task validation metric of the last evaluation (accuracy, or R^2 for regression).
    var validationMetrics: [Double]
    /// Per-task validation loss of the last evaluation (nats, or squared target units).
    var validationLosses: [Double]
    /// Per-task test metric of the last evaluation, when the record has `/eval/test_metric`.
    var testMetrics: [Double]?
    /// Steps the run was configured to take (its resolved `config`'s steps).
    var steps: Int
    /// The record's status attribute (complete, diverged, interrupted, running).
    var status: String

    /// Reads the last evaluation of the tasktrace/1 record at `file`.
    /// - Throws: `RecordError`, or `ValidationError` when the record has no evaluation.
    init(record file: String) throws {
        let reader = try RecordReader(file)
        defer { reader.close() }
        let header = try TrajectoryHeader(reading: reader)
        let taskCount = header.tasks.count
        let rows = try reader.rowCount("/eval/val_metric")
        guard rows > 0 else { throw RecordError.rowsOutOfRange(file: file, path: "/eval/val_metric", requested: 0..<1, available: 0) }
        func last(_ path: String) throws -> [Double] {
            let values = try reader.readDoubles(path, rows: (rows - 1)..<rows)
            guard values.count == taskCount else {
                throw RecordError.wrongShape(file: file, path: path, expected: [rows, taskCount], found: [rows, values.count])
            }
            return values
        }
        self.file = file
        validationMetrics = try last("/eval/val_metric")
        validationLosses = try last("/eval/val_loss")
        let hasTest = try reader.isDataset("/eval/test_metric") && reader.rowCount("/eval/test_metric") == rows
        testMetrics = hasTest ? try last("/eval/test_metric") : nil
        let configuration = try? JSONDecoder().decode(RunConfiguration.self, from: Data(header.config.utf8))
        let recordedSteps = try reader.rowCount("/train/step")
        steps = configuration?.steps ?? recordedSteps
        status = header.status
    }

    /// The PBT fitness of these results: the mean validation metric over tasks, or minus the
    /// mean validation loss; NaN counts as minus infinity.
    func fitness(_ kind: PBTConfiguration.Fitness) -> Double {
        let value = kind.value(metrics: validationMetrics, losses: validationLosses)
        return value.isNaN ? -.infinity : value
    }
}
