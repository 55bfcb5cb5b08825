import Foundation
import Records

/// One run of a comparison as the comparison reads it: its early-stopped evaluation row
/// (lowest mean validation loss), the test results of that row, its cost and its weight drift.
public struct EarlyStoppedRun: Sendable, Equatable {
    /// Path of the record.
    public var file: String
    public var taskNames: [String]
    /// Per task, whether a higher metric is better (accuracy) rather than a lower test loss
    /// being the quantity compared (regression: mean squared error).
    public var isClassification: [Bool]
    /// The step of the selected evaluation row.
    public var selectedStep: Int
    /// Mean over tasks of the validation loss at the selected row.
    public var validationLoss: Double
    /// Per task, the validation metric at the selected row.
    public var validationMetric: [Double]
    /// Per task, the validation metric at the last evaluation row (the end of training).
    public var finalValidationMetric: [Double]
    /// Per task, the test metric and loss at the selected row (NaN when the record has no test rows).
    public var testMetric: [Double]
    public var testLoss: [Double]
    /// Training steps in the record.
    public var steps: Int
    /// Wall-clock seconds the run took (`/train/wall_time`'s last row; NaN when absent).
    public var wallSeconds: Double
    public var drift: WeightDrift
    /// The record's `status` attribute.
    public var status: String

    public init(file: String, taskNames: [String], isClassification: [Bool], selectedStep: Int, validationLoss: Double,
                validationMetric: [Double], finalValidationMetric: [Double]? = nil, testMetric: [Double], testLoss: [Double],
                steps: Int, wallSeconds: Double, drift: WeightDrift, status: String) {
        self.file = file
        self.taskNames = taskNames
        self.isClassification = isClassification
        self.selectedStep = selectedStep
        self.validationLoss = validationLoss
        self.validationMetric = validationMetric
        self.finalValidationMetric = finalValidationMetric ?? validationMetric
        self.testMetric = testMetric
        self.testLoss = testLoss
        self.steps = steps
        self.wallSeconds = wallSeconds
        self.drift = drift
        self.status = status
    }

    /// Steps per wall-clock second.
    public var stepsPerSecond: Double { Double(steps) / wallSeconds }

    /// The score of a task compared across runs, oriented so that higher is better: the test
    /// accuracy of a classification task, minus the test loss of a regression task.
    public func orientedTestScore(_ task: Int) -> Double {
        isClassification[task] ? testMetric[task] : -testLoss[task]
    }

    /// Reads the record at `file`.
    public init(reading file: String) throws {
        let reader = try RecordReader(file)
        defer { reader.close() }
        let schema = try? reader.stringAttribute("schema")
        guard schema == TrajectorySchema.name else { throw AnalysisError.notARecord(file: file, schema: schema) }
        for path in ["/eval/step", "/eval/val_loss", "/eval/val_metric", "/train/weight"] where !reader.isDataset(path) {
            throw AnalysisError.missingDataset(file: file, path: path, neededFor: "the comparison")
        }
        let names = try reader.stringArrayAttribute("names", of: "/tasks")
        let kinds = (try? reader.stringArrayAttribute("kinds", of: "/tasks")) ?? names.map { _ in "classification" }
        let t = names.count
        func rows(_ path: String) throws -> [[Double]] {
            let values = try reader.readDoubles(path)
            return stride(from: 0, to: values.count, by: t).map { Array(values[$0..<min($0 + t, values.count)]) }
        }
        let evalSteps = try reader.readInt64s("/eval/step")
        let validationLoss = try rows("/eval/val_loss"), validationMetric = try rows("/eval/val_metric")
        let hasTest = reader.isDataset("/eval/test_metric") && reader.isDataset("/eval/test_loss")
        let testMetric = hasTest ? try rows("/eval/test_metric") : [], testLoss = hasTest ? try rows("/eval/test_loss") : []
        let nan = [Double](repeating: .nan, count: t)
        let selected = earlyStoppingRow(validationLoss: validationLoss)
        let wall = reader.isDataset("/train/wall_time") ? try reader.readDoubles("/train/wall_time") : []
        self.init(
            file: file, taskNames: names, isClassification: kinds.map { $0 == "classification" },
            selectedStep: selected.map { Int(evalSteps[$0]) } ?? -1,
            validationLoss: selected.map { sampleMean(validationLoss[$0]) } ?? .nan,
            validationMetric: selected.map { validationMetric[$0] } ?? nan, finalValidationMetric: validationMetric.last ?? nan,
            testMetric: selected.flatMap { $0 < testMetric.count ? testMetric[$0] : nil } ?? nan,
            testLoss: selected.flatMap { $0 < testLoss.count ? testLoss[$0] : nil } ?? nan,
            steps: try reader.shape("/train/step")[0], wallSeconds: wall.last ?? .nan,
            drift: WeightDrift(weights: try rows("/train/weight")),
            status: (try? reader.stringAttribute("status")) ?? "unknown")
    }
}
