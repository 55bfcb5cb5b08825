import Linalg
import Nets
import Records

/// The batch `tasktrace measure` evaluates a checkpoint on, read from BATCH.h5 and checked
/// against the model:
///
/// - `/inputs` [N, D]: float32 or float64 (integers are converted), D = the model's input
///   width, N >= 1, finite.
/// - `/targets/<task>` for every task of the record (others are ignored): classification
///   [N] or [N, 1] class indices in 0..<k (any numeric type holding whole numbers);
///   regression [N, k] values (or [N] when k = 1), finite.
/// - `/vector` [P] (optional): the direction of the Hessian-vector products, in the flat
///   parameter layout; finite.
struct MeasurementBatch {
    /// `N x D` inputs, one example per row.
    var inputs: Matrix<Double>
    /// Per head: `N x 1` class indices or `N x k` regression targets (`LossKind`'s layout).
    var targets: [Matrix<Double>]
    /// The HVP direction, `P` values, when BATCH.h5 has `/vector`.
    var vector: [Double]?

    /// Reads and checks the batch at `file` for `model`.
    /// - Throws: `RecordError` or `BatchFileError`, naming the file and the dataset.
    init<Scalar: BLASScalar>(file: String, model: MultiTaskModel<Scalar>) throws {
        let reader = try RecordReader(file)
        defer { reader.close() }
        let inputShape = try Self.shape(reader, "/inputs", rank: 2)
        let n = inputShape[0]
        guard n >= 1 else { throw BatchFileError(file: file, message: "dataset /inputs has no rows") }
        guard inputShape[1] == model.inputWidth else {
            throw BatchFileError(file: file, message: "dataset /inputs has \(inputShape[1]) columns, the model takes "
                                 + "\(model.inputWidth) inputs (shape [N, \(model.inputWidth)] expected)")
        }
        inputs = Matrix(rows: n, columns: inputShape[1], storage: try Self.finiteValues(reader, "/inputs"))

        targets = try model.heads.map { head in
            let path = "/targets/\(head.name)"
            let k = head.outputWidth
            switch head.loss {
            case .crossEntropy:
                let shape = try Self.shape(reader, path, rank: nil)
                guard (shape.count == 1 || (shape.count == 2 && shape[1] == 1)), shape[0] == n else {
                    throw BatchFileError(file: file, message: "dataset \(path) has shape \(shape), expected [\(n)] or "
                                         + "[\(n), 1] class indices (N = \(n) rows of /inputs)")
                }
                let labels = try Self.finiteValues(reader, path)
                for (row, label) in labels.enumerated() where label.rounded() != label || label < 0 || label >= Double(k) {
                    throw BatchFileError(file: file, message: "dataset \(path) holds class index \(number(label)) at row "
                                         + "\(row), outside 0..<\(k) (task \(head.name) has \(k) classes)")
                }
                return Matrix(rows: n, columns: 1, storage: labels)
            case .meanSquaredError:
                let shape = try Self.shape(reader, path, rank: nil)
                guard shape == [n, k] || (k == 1 && shape == [n]) else {
                    throw BatchFileError(file: file, message: "dataset \(path) has shape \(shape), expected [\(n), \(k)] "
                                         + "regression targets (N = \(n) rows of /inputs, \(k) outputs of task \(head.name))")
                }
                return Matrix(rows: n, columns: k, storage: try Self.finiteValues(reader, path))
            }
        }

        if reader.exists("/vector") {
            let p = model.layout.count
            let shape = try Self.shape(reader, "/vector", rank: nil)
            guard shape == [p] else {
                throw BatchFileError(file: file, message: "dataset /vector has shape \(shape), expected [\(p)] "
                                     + "(one value per model parameter)")
            }
            vector = try Self.finiteValues(reader, "/vector")
        }
    }

    /// The shape of the dataset at `path`, which must exist and have `rank` dimensions when given.
    private static func shape(_ reader: RecordReader, _ path: String, rank: Int?) throws -> [Int] {
        guard reader.isDataset(path) else { throw RecordError.missingDataset(file: reader.file, path: path) }
        let shape = try reader.shape(path)
        if let rank, shape.count != rank {
            throw RecordError.wrongRank(file: reader.file, path: path, expected: rank, found: shape.count)
        }
        return shape
    }

    /// Every value of the dataset at `path` as Double, all finite.
    private static func finiteValues(_ reader: RecordReader, _ path: String) throws -> [Double] {
        let values = try reader.readDoubles(path)
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw BatchFileError(file: reader.file, message: "dataset \(path) holds \(values[index]) at flat index \(index); "
                                 + "values must be finite")
        }
        return values
    }
}

/// A batch file that does not fit the model, with the file and the dataset at fault.
struct BatchFileError: Error, CustomStringConvertible {
    var file: String
    var message: String
    var description: String { "\(file): \(message)" }
}
