/// Inputs the analysis cannot use, each said in one line naming the file.
public enum AnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file is HDF5 but not a "tasktrace/1" record.
    case notARecord(file: String, schema: String?)
    /// A dataset the requested analysis needs is absent.
    case missingDataset(file: String, path: String, neededFor: String)
    /// Rows that belong together have different counts or shapes.
    case inconsistentRows(file: String, detail: String)
    /// Two records that should pair do not (different tasks, datasets, modes or seeds).
    case mismatch(file: String, other: String, detail: String)
    /// The study folder or its manifest cannot be used.
    case badStudy(path: String, detail: String)

    public var description: String {
        switch self {
        case .notARecord(let file, let schema):
            "\(file): not a TaskTrace record (schema attribute \(schema.map { "'\($0)'" } ?? "missing"), expected 'tasktrace/1')"
        case .missingDataset(let file, let path, let neededFor):
            "\(file): missing dataset \(path), needed for \(neededFor)"
        case .inconsistentRows(let file, let detail):
            "\(file): \(detail)"
        case .mismatch(let file, let other, let detail):
            "\(file) does not pair with \(other): \(detail)"
        case .badStudy(let path, let detail):
            "\(path): \(detail)"
        }
    }
}
