import Foundation
import Records
import Training

/// What `tasktrace inspect` reports about one record: its header, how it was closed, the key
/// configuration, row counts, the last training row and evaluation, and the checkpoint step.
struct RecordSummary {
    /// The last evaluation row; each array has one value per task, in `/tasks` order.
    struct Evaluation {
        var step: Int
        var trainLoss: [Double]
        var validationLoss: [Double]
        var trainMetric: [Double]
        var validationMetric: [Double]
    }

    /// Rows readable in each family of appendable datasets (nil: the family is not recorded).
    struct Rows {
        var train: Int
        var eval: Int
        var probe: Int?
        var snapshots: Int?
    }

    var file: String
    var header: TrajectoryHeader
    /// False when the file is still marked open for writing (writer killed or still running).
    var cleanlyClosed: Bool
    /// The decoded `config` attribute, or nil with `configurationError` set.
    var configuration: RunConfiguration?
    var configurationError: String?
    /// The run's task weights (config or equal), when the configuration is readable.
    var weights: [Double]?
    var rows: Rows
    /// Step and per-task minibatch losses of the last `/train` row.
    var lastStep: Int?
    var lastTrainLoss: [Double]?
    var lastEvaluation: Evaluation?
    /// Steps completed at the last checkpoint, nil when none was written.
    var checkpointStep: Int?
    /// Problems worth a line that do not stop the summary.
    var warnings: [String]

    /// The line printed for a record whose writer did not close it; only a record with
    /// checkpoint datasets (written by `tasktrace record`) can be resumed.
    static func notClosedCleanly(_ file: String, resumable: Bool) -> String {
        "not closed cleanly: writer killed or still running; rows up to the last flush are readable; " +
        (resumable ? "`tasktrace record --resume \(file)` continues it"
                   : "it has no /checkpoint, so it cannot be resumed (`h5clear -s \(file)` clears the mark for plain readers)")
    }

    /// Validates `reader`'s record (`TrajectorySchema.validate`) and reads the summary.
    ///
    /// A record that is not closed cleanly can show datasets of one row family with unequal
    /// row counts (read mid-flush, or its writer killed mid-flush): validation is retried a
    /// few times, then the summary uses the smallest count of each family and says so.
    init(reading reader: RecordReader) throws {
        file = reader.file
        cleanlyClosed = reader.cleanlyClosed
        warnings = cleanlyClosed ? []
            : [Self.notClosedCleanly(reader.file, resumable: reader.isDataset(TrajectorySchema.checkpointStepPath))]
        if let mismatch = try Self.validate(reader) { warnings.append(mismatch) }
        header = try TrajectoryHeader(reading: reader)
        do {
            let decoded = try JSONDecoder().decode(RunConfiguration.self, from: Data(header.config.utf8))
            configuration = decoded
            weights = try? decoded.resolvedWeights(taskCount: header.tasks.count)
        } catch let error as HyperparameterError {
            configurationError = error.message
        } catch let error as DecodingError {
            configurationError = HyperparameterError(decoding: error).message
        }

        let t = header.tasks.count
        let families = TrajectorySchema.rowFamilies
        rows = Rows(train: try Self.rows(reader, families[0]) ?? 0, eval: try Self.rows(reader, families[1]) ?? 0,
                    probe: try Self.rows(reader, families[2]), snapshots: try Self.rows(reader, families[3]))
        if rows.train > 0 {
            lastStep = Int(try Self.row(reader, "/train/step", rows.train - 1, width: 1)[0])
            lastTrainLoss = try Self.row(reader, "/train/loss", rows.train - 1, width: t)
        }
        if rows.eval > 0 {
            let last = rows.eval - 1
            lastEvaluation = Evaluation(
                step: Int(try Self.row(reader, "/eval/step", last, width: 1)[0]),
                trainLoss: try Self.row(reader, "/eval/train_loss", last, width: t),
                validationLoss: try Self.row(reader, "/eval/val_loss", last, width: t),
                trainMetric: try Self.row(reader, "/eval/train_metric", last, width: t),
                validationMetric: try Self.row(reader, "/eval/val_metric", last, width: t))
        }
        let stepPath = TrajectorySchema.checkpointStepPath
        if reader.isDataset(stepPath), let step = try reader.readInt64s(stepPath).first, step >= 0 {
            checkpointStep = Int(step)
        }
    }

    /// Runs the schema validation; returns a warning instead of failing when the only problem
    /// is a row-count mismatch in a record that is not closed cleanly.
    private static func validate(_ reader: RecordReader) throws -> String? {
        var attempt = 0
        while true {
            do {
                try TrajectorySchema.validate(reader)
                return nil
            } catch let error as RecordError {
                guard case .rowCountMismatch(_, let counts) = error, !reader.cleanlyClosed else { throw error }
                attempt += 1
                if attempt == 5 {
                    let list = counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                    return "row counts differ within a group (\(list)); the summary uses the smallest"
                }
                usleep(50_000)
            }
        }
    }

    /// The smallest row count of the datasets of `family` present, nil when none is.
    private static func rows(_ reader: RecordReader, _ family: [String]) throws -> Int? {
        try family.filter(reader.isDataset).map(reader.rowCount).min()
    }

    /// Row `index` of the dataset at `path`, which must hold `width` values per row.
    private static func row(_ reader: RecordReader, _ path: String, _ index: Int, width: Int) throws -> [Double] {
        let values = try reader.readDoubles(path, rows: index..<(index + 1))
        guard values.count == width else {
            let shape = try reader.shape(path)
            throw RecordError.wrongShape(file: reader.file, path: path, expected: [shape.first ?? 0, width], found: shape)
        }
        return values
    }
}
