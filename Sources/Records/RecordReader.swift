import CHDF5
import Foundation

/// Reads a record file, also one still being written or left behind by a killed writer.
///
/// The file is opened in SWMR-read mode (`H5F_ACC_RDONLY | H5F_ACC_SWMR_READ`), which HDF5
/// allows while a writer in another process is appending and after that writer died
/// without closing (the file then keeps every row up to its last flush). Each dataset read
/// refreshes the dataset's metadata, so a long-lived reader sees rows flushed since it opened.
/// Files that are not in the SWMR-capable format are opened plainly.
///
/// Not thread-safe: use one reader from one task at a time. Opening a file read-only that a
/// `RecordWriter` of the same process has open shares HDF5's open file, so the reader sees
/// the writer's flushed rows, but `cleanlyClosed` is then true (see there).
public final class RecordReader {
    /// The record's file path.
    public let file: String
    /// False when the file is still marked "open for writing": its writer is still running
    /// or was killed without closing. Detected as: a plain read-only open fails while the
    /// SWMR-read open succeeds. (A writer in this same process is not detected: HDF5 then
    /// shares its open file and the plain open succeeds.)
    public let cleanlyClosed: Bool
    /// Whether the file is open in SWMR-read mode.
    public let isSWMR: Bool
    private var fileID: hid_t

    /// Opens the record at `file` for reading. Throws `RecordError.fileNotFound`,
    /// `.notHDF5`, or `.cannotOpen` with HDF5's reason.
    public init(_ file: String) throws {
        self.file = file
        guard FileManager.default.fileExists(atPath: file) else { throw RecordError.fileNotFound(file: file) }
        let opened: (id: hid_t, clean: Bool, swmr: Bool) = try HDF5Library.locked {
            guard tt_H5_is_hdf5(file) > 0 else {
                H5Eclear2(tt_H5E_DEFAULT())
                throw RecordError.notHDF5(file: file)
            }
            let plain = H5Fopen(file, tt_H5F_ACC_RDONLY(), tt_H5P_DEFAULT())
            let clean = plain >= 0
            if clean { H5Fclose(plain) }
            H5Eclear2(tt_H5E_DEFAULT())
            let swmr = H5Fopen(file, tt_H5F_ACC_RDONLY() | tt_H5F_ACC_SWMR_READ(), tt_H5P_DEFAULT())
            if swmr >= 0 { return (swmr, clean, true) }
            let reason = HDF5Library.takeErrorMessage()
            if clean {
                let again = H5Fopen(file, tt_H5F_ACC_RDONLY(), tt_H5P_DEFAULT())
                if again >= 0 { return (again, true, false) }
            }
            throw RecordError.cannotOpen(file: file, reason: reason)
        }
        self.fileID = opened.id
        self.cleanlyClosed = opened.clean
        self.isSWMR = opened.swmr
    }

    deinit { close() }

    /// Closes the file; later calls throw `RecordError.closed`. Closing twice is a no-op.
    public func close() {
        guard fileID >= 0 else { return }
        HDF5Library.locked { _ = H5Fclose(fileID) }
        fileID = -1
    }

    private func openFile() throws -> hid_t {
        guard fileID >= 0 else { throw RecordError.closed(file: file) }
        return fileID
    }

    // MARK: - Structure

    /// Whether a group or dataset exists at `path` (`/` always exists).
    public func exists(_ path: String) -> Bool {
        guard fileID >= 0 else { return false }
        return HDF5Library.locked { HDF5Objects.kind(fileID, path) != nil }
    }

    /// Whether a dataset exists at `path`.
    public func isDataset(_ path: String) -> Bool {
        guard fileID >= 0 else { return false }
        return HDF5Library.locked { HDF5Objects.kind(fileID, path) == .dataset }
    }

    /// Whether a group exists at `path`.
    public func isGroup(_ path: String) -> Bool {
        guard fileID >= 0 else { return false }
        return HDF5Library.locked { HDF5Objects.kind(fileID, path) == .group }
    }

    /// Names (not paths) of the groups and datasets directly in `group`, sorted.
    public func children(of group: String = "/") throws -> [String] {
        let fileID = try openFile()
        return try HDF5Library.locked {
            let id = try HDF5Objects.openGroup(fileID, group, file: file)
            defer { H5Gclose(id) }
            return try HDF5Objects.childNames(id, file: file, path: group)
        }
    }

    /// Current shape of the dataset at `path` (`[]` for a scalar dataset); for an
    /// appendable dataset the first extent is the number of rows flushed so far.
    public func shape(_ path: String) throws -> [Int] {
        try withDataset(path) { dataset in try HDF5Objects.extent(dataset, file: file, path: path).dims }
    }

    /// Rows of the dataset at `path` (its first extent; 1 for a scalar dataset).
    public func rowCount(_ path: String) throws -> Int {
        try shape(path).first ?? 1
    }

    /// Whether the dataset at `path` is appendable (unlimited first dimension).
    public func isAppendable(_ path: String) throws -> Bool {
        try withDataset(path) { dataset in
            let maxDims = try HDF5Objects.extent(dataset, file: file, path: path).maxDims
            return maxDims.first.map { $0 == nil } ?? false
        }
    }

    /// Element type stored by the dataset at `path`.
    public func elementType(_ path: String) throws -> RecordElementType {
        try withDataset(path) { dataset in
            guard let type = try HDF5Objects.elementType(dataset, file: file, path: path) else {
                throw RecordError.wrongType(file: file, path: path, expected: "a numeric type", found: "a non-numeric type")
            }
            return type
        }
    }

    // MARK: - Values

    /// All values of the dataset at `path`, row-major, converted to Double (Float32 and
    /// integer datasets are converted on read).
    public func readDoubles(_ path: String) throws -> [Double] { try read(path, rows: nil) }

    /// Values of rows `rows` (first-dimension indices) of the dataset at `path`, row-major, as Double.
    public func readDoubles(_ path: String, rows: Range<Int>) throws -> [Double] { try read(path, rows: rows) }

    /// All values of the dataset at `path`, row-major, converted to Float.
    public func readFloats(_ path: String) throws -> [Float] { try read(path, rows: nil) }

    /// All values of the integer dataset at `path`, row-major, as Int64.
    public func readInt64s(_ path: String) throws -> [Int64] { try read(path, rows: nil) }

    /// All values of the integer dataset at `path`, row-major, as UInt64 (e.g. RNG state).
    public func readUInt64s(_ path: String) throws -> [UInt64] { try read(path, rows: nil) }

    private func read<T: RecordElement>(_ path: String, rows: Range<Int>?) throws -> [T] {
        try withDataset(path) { dataset in
            guard let stored = try HDF5Objects.elementType(dataset, file: file, path: path) else {
                throw RecordError.wrongType(file: file, path: path, expected: T.recordElementType.rawValue,
                                            found: "a non-numeric type")
            }
            if T.recordElementType.isInteger && !stored.isInteger {
                throw RecordError.wrongType(file: file, path: path, expected: "an integer type", found: stored.rawValue)
            }
            let dims = try HDF5Objects.extent(dataset, file: file, path: path).dims
            let total = dims.reduce(1, *)
            let memoryType = T.recordElementType.memoryType
            guard let rows else {
                var values = [T](repeating: T.zero, count: total)
                if total > 0 {
                    let status = values.withUnsafeMutableBytes {
                        H5Dread(dataset, memoryType, tt_H5S_ALL(), tt_H5S_ALL(), tt_H5P_DEFAULT(), $0.baseAddress)
                    }
                    try HDF5Library.check(status, file: file, "H5Dread \(path)")
                }
                return values
            }
            guard let first = dims.first, rows.lowerBound >= 0, rows.upperBound <= first else {
                throw RecordError.rowsOutOfRange(file: file, path: path, requested: rows, available: dims.first ?? 0)
            }
            let rowLength = dims.dropFirst().reduce(1, *)
            var values = [T](repeating: T.zero, count: rows.count * rowLength)
            guard !rows.isEmpty else { return values }
            let space = try HDF5Library.id(H5Dget_space(dataset), file: file, "H5Dget_space \(path)")
            defer { H5Sclose(space) }
            var offset = [hsize_t(rows.lowerBound)] + dims.dropFirst().map { _ in hsize_t(0) }
            var block = [hsize_t(rows.count)] + dims.dropFirst().map { hsize_t($0) }
            try HDF5Library.check(H5Sselect_hyperslab(space, H5S_SELECT_SET, &offset, nil, &block, nil),
                                  file: file, "H5Sselect_hyperslab \(path)")
            let memorySpace = try HDF5Library.id(H5Screate_simple(Int32(block.count), &block, nil),
                                                 file: file, "H5Screate_simple \(path)")
            defer { H5Sclose(memorySpace) }
            let status = values.withUnsafeMutableBytes {
                H5Dread(dataset, memoryType, memorySpace, space, tt_H5P_DEFAULT(), $0.baseAddress)
            }
            try HDF5Library.check(status, file: file, "H5Dread \(path)")
            return values
        }
    }

    /// Opens the dataset at `path` (refreshing its metadata in SWMR mode) for `body`.
    private func withDataset<R>(_ path: String, _ body: (hid_t) throws -> R) throws -> R {
        let fileID = try openFile()
        return try HDF5Library.locked {
            let dataset = try HDF5Objects.openDataset(fileID, path, file: file)
            defer { H5Dclose(dataset) }
            if isSWMR {
                try HDF5Library.check(H5Drefresh(dataset), file: file, "H5Drefresh \(path)")
            }
            return try body(dataset)
        }
    }

    // MARK: - Attributes

    /// Names of the attributes of the group or dataset at `path`, sorted.
    public func attributeNames(of path: String = "/") throws -> [String] {
        try withObject(path) { object in try AttributeIO.names(of: object, file: file, path: path) }
    }

    /// The attribute `name` of the group or dataset at `path`.
    public func attribute(_ name: String, of path: String = "/") throws -> AttributeValue {
        try withObject(path) { object in try AttributeIO.read(name, of: object, file: file, path: path) }
    }

    /// A string attribute (e.g. `schema` of `/`, `units` of a dataset).
    public func stringAttribute(_ name: String, of path: String = "/") throws -> String {
        switch try attribute(name, of: path) {
        case .string(let s): return s
        case let other: throw wrongAttribute(name, path, "string", other)
        }
    }

    /// A string-array attribute (e.g. `names` of `/tasks`); a single string reads as one element.
    public func stringArrayAttribute(_ name: String, of path: String = "/") throws -> [String] {
        switch try attribute(name, of: path) {
        case .strings(let s): return s
        case .string(let s): return [s]
        case let other: throw wrongAttribute(name, path, "string array", other)
        }
    }

    /// An integer attribute (e.g. `seed` of `/`).
    public func intAttribute(_ name: String, of path: String = "/") throws -> Int64 {
        switch try attribute(name, of: path) {
        case .int(let v): return v
        case .ints(let v) where v.count == 1: return v[0]
        case let other: throw wrongAttribute(name, path, "integer", other)
        }
    }

    /// A real attribute; integer attributes are converted.
    public func doubleAttribute(_ name: String, of path: String = "/") throws -> Double {
        switch try attribute(name, of: path) {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case .doubles(let v) where v.count == 1: return v[0]
        case let other: throw wrongAttribute(name, path, "real", other)
        }
    }

    private func wrongAttribute(_ name: String, _ path: String, _ expected: String, _ found: AttributeValue) -> RecordError {
        .wrongAttributeType(file: file, path: path, name: name, expected: expected, found: found.kindName)
    }

    private func withObject<R>(_ path: String, _ body: (hid_t) throws -> R) throws -> R {
        let fileID = try openFile()
        return try HDF5Library.locked {
            guard let kind = HDF5Objects.kind(fileID, path) else {
                throw RecordError.missingObject(file: file, path: path)
            }
            let object = try HDF5Library.id(H5Oopen(fileID, path, tt_H5P_DEFAULT()), file: file, "H5Oopen \(path)")
            defer { H5Oclose(object) }
            if kind == .dataset && isSWMR {
                try HDF5Library.check(H5Drefresh(object), file: file, "H5Drefresh \(path)")
            }
            return try body(object)
        }
    }
}
