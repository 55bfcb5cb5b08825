/// Everything that can go wrong while writing or reading a record.
///
/// Every case names the file, and where it applies the dataset, group or attribute,
/// so that `description` is one self-contained line such as
/// `run.h5: missing dataset /eval/val_loss`.
public enum RecordError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file at this path.
    case fileNotFound(file: String)
    /// The file exists but does not start with an HDF5 signature.
    case notHDF5(file: String)
    /// Creating would replace an existing file and `overwrite` was false.
    case fileExists(file: String)
    /// A `RecordWriter` of this process already has the file open.
    case alreadyOpen(file: String)
    /// The file could not be opened; `reason` is HDF5's most specific message.
    case cannotOpen(file: String, reason: String)
    /// The record's root attribute `schema` is missing or not the expected value.
    case wrongSchema(file: String, expected: String, found: String?)
    /// No dataset at `path` (or `path` is a group).
    case missingDataset(file: String, path: String)
    /// No group at `path` (or `path` is a dataset).
    case missingGroup(file: String, path: String)
    /// No group or dataset at `path`.
    case missingObject(file: String, path: String)
    /// No attribute `name` on the object at `path`.
    case missingAttribute(file: String, path: String, name: String)
    /// An attribute holds a different kind of value than asked for.
    case wrongAttributeType(file: String, path: String, name: String, expected: String, found: String)
    /// A dataset has a different number of dimensions than required.
    case wrongRank(file: String, path: String, expected: Int, found: Int)
    /// A dataset, row or value array has a different shape or length than required.
    case wrongShape(file: String, path: String, expected: [Int], found: [Int])
    /// A dataset stores a different element type than the operation needs.
    case wrongType(file: String, path: String, expected: String, found: String)
    /// The operation needs an appendable (unlimited first dimension) dataset and `path` is fixed, or vice versa.
    case wrongKind(file: String, path: String, expected: String)
    /// Datasets that must have equally many rows do not.
    case rowCountMismatch(file: String, counts: [String: Int])
    /// A read asked for rows beyond the dataset's current rows.
    case rowsOutOfRange(file: String, path: String, requested: Range<Int>, available: Int)
    /// `truncate` asked for more rows than the dataset holds.
    case truncateBeyondEnd(file: String, path: String, requested: Int, available: Int)
    /// The layout handed to the writer is inconsistent.
    case invalidLayout(file: String, reason: String)
    /// The writer or reader was already closed.
    case closed(file: String)
    /// An HDF5 call failed; `operation` names the call and its object, `reason` is HDF5's message.
    case hdf5(file: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let file):
            return "\(file): no such file"
        case .notHDF5(let file):
            return "\(file): not an HDF5 file"
        case .fileExists(let file):
            return "\(file): file exists and overwrite was not allowed"
        case .alreadyOpen(let file):
            return "\(file): already open for writing in this process"
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open: \(reason)"
        case .wrongSchema(let file, let expected, let found):
            if let found { return "\(file): root attribute schema is \"\(found)\", expected \"\(expected)\"" }
            return "\(file): missing root attribute schema (expected \"\(expected)\")"
        case .missingDataset(let file, let path):
            return "\(file): missing dataset \(path)"
        case .missingGroup(let file, let path):
            return "\(file): missing group \(path)"
        case .missingObject(let file, let path):
            return "\(file): no group or dataset \(path)"
        case .missingAttribute(let file, let path, let name):
            return "\(file): missing attribute \(name) on \(path)"
        case .wrongAttributeType(let file, let path, let name, let expected, let found):
            return "\(file): attribute \(name) on \(path) is \(found), expected \(expected)"
        case .wrongRank(let file, let path, let expected, let found):
            return "\(file): dataset \(path) has rank \(found), expected \(expected)"
        case .wrongShape(let file, let path, let expected, let found):
            return "\(file): dataset \(path) has shape \(found), expected \(expected)"
        case .wrongType(let file, let path, let expected, let found):
            return "\(file): dataset \(path) stores \(found), expected \(expected)"
        case .wrongKind(let file, let path, let expected):
            return "\(file): dataset \(path) is not \(expected)"
        case .rowCountMismatch(let file, let counts):
            let list = counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return "\(file): inconsistent row counts: \(list)"
        case .rowsOutOfRange(let file, let path, let requested, let available):
            return "\(file): cannot read rows \(requested.lowerBound)..<\(requested.upperBound) of dataset \(path), it has \(available)"
        case .truncateBeyondEnd(let file, let path, let requested, let available):
            return "\(file): cannot truncate dataset \(path) to \(requested) rows, it has \(available)"
        case .invalidLayout(let file, let reason):
            return "\(file): invalid layout: \(reason)"
        case .closed(let file):
            return "\(file): record already closed"
        case .hdf5(let file, let operation, let reason):
            return "\(file): HDF5 \(operation) failed: \(reason)"
        }
    }
}
