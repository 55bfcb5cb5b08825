import Foundation
import Records

/// One recorded run as the analysis reads it: its tasks and the rows an analysis asks for.
/// Only the datasets of the requested parts are required, so any file that follows the
/// "tasktrace/1" schema can be analysed, whoever wrote it; a missing one is named.
public struct RecordedTrajectory: Sendable {
    /// What an analysis needs from a record.
    public enum Part: String, Sendable, CaseIterable {
        /// `/eval/...` rows: matched-loss gaps and the optimization effect.
        case evaluation
        /// `/probe/step`, `/probe/cosine`, `/probe/gramian`, `/probe/directional_conflict`: conflict on big-batch gradients.
        case probeConflict
        /// `/grads/cosine`, `/grads/gramian` with `/train/step`: conflict on minibatch gradients.
        case stepConflict
        /// `/probe/...` trajectory factors.
        case factors

        /// The datasets the part reads.
        var paths: [String] {
            switch self {
            case .evaluation: ["/eval/step", "/eval/train_loss", "/eval/val_loss", "/eval/val_metric"]
            case .probeConflict: ["/probe/step", "/probe/cosine", "/probe/gramian", "/probe/directional_conflict"]
            case .stepConflict: ["/train/step", "/grads/cosine", "/grads/gramian"]
            case .factors: ["/probe/step"] + RecordedTrajectory.factorNames.map { "/probe/\($0)" }
            }
        }

        var purpose: String {
            switch self {
            case .evaluation: "matched-loss gaps"
            case .probeConflict: "conflict on the probe's big-batch gradients"
            case .stepConflict: "conflict on minibatch gradients"
            case .factors: "trajectory factors"
            }
        }
    }

    /// The per-task trajectory factors of `/probe`, by dataset name. Sharpness and Hessian
    /// trace have T + 1 columns (tasks, then the total loss); the analysis uses the tasks'.
    public static let factorNames = ["sharpness", "hessian_trace", "fisher_trace", "grad_noise_trace",
                                     "noise_scale", "coherence", "dist_init", "weight_norm"]

    /// Path of the record.
    public let file: String
    /// Task names, in column order.
    public let taskNames: [String]
    /// "st" or "mt".
    public let mode: String
    /// The run's seed.
    public let seed: Int64
    /// Each task's metric name (the /tasks `metrics` attribute; "metric" when absent).
    public let metricNames: [String]
    /// The recorded configuration's `dataset` object as JSON text with sorted keys (for
    /// checking that runs pair), or nil when the record has no readable configuration.
    public let datasetDescription: String?

    /// Eval rows: `steps [M]`, and per task `[M]` columns of train loss, validation loss and metric.
    public struct Evaluation: Sendable, Equatable {
        public var steps: [Double]
        public var trainLoss: [[Double]]
        public var validationLoss: [[Double]]
        public var validationMetric: [[Double]]
    }

    /// Conflict rows: `steps [K]`, and per row the `T x T` cosine and Gramian matrices (row-major).
    public struct ConflictRows: Sendable, Equatable {
        public var steps: [Double]
        public var cosine: [[Double]]
        public var gramian: [[Double]]
        /// |mean of unit task gradients| per row (probe rows only).
        public var directionalConflict: [Double]?
    }

    /// Probe factor rows: `steps [K]` and, per factor name, per task a `[K]` column.
    public struct FactorRows: Sendable, Equatable {
        public var steps: [Double]
        public var values: [String: [[Double]]]
    }

    public private(set) var evaluation: Evaluation?
    public private(set) var probeConflict: ConflictRows?
    public private(set) var stepConflict: ConflictRows?
    public private(set) var factors: FactorRows?

    /// Reads `file`, requiring the datasets of `parts`.
    public init(file: String, parts: Set<Part>) throws {
        let reader = try RecordReader(file)
        defer { reader.close() }
        let schema = try? reader.stringAttribute("schema")
        guard schema == TrajectorySchema.name else { throw AnalysisError.notARecord(file: file, schema: schema) }
        self.file = file
        taskNames = try reader.stringArrayAttribute("names", of: "/tasks")
        mode = (try? reader.stringAttribute("mode", of: "/tasks")) ?? (taskNames.count == 1 ? "st" : "mt")
        seed = (try? reader.intAttribute("seed")) ?? 0
        metricNames = (try? reader.stringArrayAttribute("metrics", of: "/tasks")) ?? Array(repeating: "metric", count: taskNames.count)
        datasetDescription = (try? reader.stringAttribute("config")).flatMap(Self.datasetDescription(ofConfiguration:))
        for part in parts {
            for path in part.paths where !reader.isDataset(path) {
                throw AnalysisError.missingDataset(file: file, path: path, neededFor: part.purpose)
            }
        }
        let t = taskNames.count
        if parts.contains(.evaluation) {
            let steps = try reader.readDoubles("/eval/step")
            evaluation = Evaluation(
                steps: steps,
                trainLoss: try Self.columns(reader, "/eval/train_loss", rows: steps.count, width: t),
                validationLoss: try Self.columns(reader, "/eval/val_loss", rows: steps.count, width: t),
                validationMetric: try Self.columns(reader, "/eval/val_metric", rows: steps.count, width: t))
        }
        if parts.contains(.probeConflict) {
            let steps = try reader.readDoubles("/probe/step")
            probeConflict = ConflictRows(
                steps: steps, cosine: try Self.rows(reader, "/probe/cosine", rows: steps.count, width: t * t),
                gramian: try Self.rows(reader, "/probe/gramian", rows: steps.count, width: t * t),
                directionalConflict: try Self.rows(reader, "/probe/directional_conflict", rows: steps.count, width: 1).map { $0[0] })
        }
        if parts.contains(.stepConflict) {
            let steps = try reader.readDoubles("/train/step")
            stepConflict = ConflictRows(
                steps: steps, cosine: try Self.rows(reader, "/grads/cosine", rows: steps.count, width: t * t),
                gramian: try Self.rows(reader, "/grads/gramian", rows: steps.count, width: t * t), directionalConflict: nil)
        }
        if parts.contains(.factors) {
            let steps = try reader.readDoubles("/probe/step")
            var values: [String: [[Double]]] = [:]
            for name in Self.factorNames {
                let path = "/probe/\(name)"
                let shape = try reader.shape(path)
                let width = shape.count > 1 ? shape[1] : 1
                // Per-task columns; run-level factors (one column) apply to every task alike.
                let columns = try Self.columns(reader, path, rows: steps.count, width: width)
                values[name] = width == 1 ? Array(repeating: columns[0], count: t) : Array(columns.prefix(t))
            }
            factors = FactorRows(steps: steps, values: values)
        }
    }

    /// Reads a `[rows, width]` dataset as `rows` arrays of `width`.
    static func rows(_ reader: RecordReader, _ path: String, rows: Int, width: Int) throws -> [[Double]] {
        let values = try reader.readDoubles(path)
        guard values.count == rows * width else {
            throw AnalysisError.inconsistentRows(
                file: reader.file, detail: "\(path) holds \(values.count) values, expected \(rows) rows of \(width)")
        }
        return (0..<rows).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// Reads a `[rows, width]` dataset as `width` columns of `rows`.
    static func columns(_ reader: RecordReader, _ path: String, rows: Int, width: Int) throws -> [[Double]] {
        let table = try Self.rows(reader, path, rows: rows, width: width)
        return (0..<width).map { column in table.map { $0[column] } }
    }

    /// The `dataset` object of a configuration JSON text, re-encoded with sorted keys.
    static func datasetDescription(ofConfiguration text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let dataset = object["dataset"],
              let data = try? JSONSerialization.data(withJSONObject: dataset, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Index of the task named `name`, if the run trained it.
    public func taskIndex(_ name: String) -> Int? { taskNames.firstIndex(of: name) }
}
