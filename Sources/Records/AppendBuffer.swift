import CHDF5

/// An appendable dataset open in a `RecordWriter` and the rows buffered for it.
///
/// Rows are kept in the array of the dataset's element type (only one of the four is used)
/// until `flush` writes them with one extent change and one hyperslab write.
struct AppendBuffer {
    let spec: DatasetSpec
    /// Elements per row.
    let rowLength: Int
    /// The open dataset.
    var dataset: hid_t
    /// Rows already in the file.
    var writtenRows: Int
    /// Rows buffered in memory, not yet in the file.
    var pendingRows = 0
    var floats: [Float] = []
    var doubles: [Double] = []
    var int64s: [Int64] = []
    var uint64s: [UInt64] = []

    init(spec: DatasetSpec, dataset: hid_t, writtenRows: Int) {
        self.spec = spec
        self.rowLength = spec.elementCount
        self.dataset = dataset
        self.writtenRows = writtenRows
    }

    /// Rows in the file plus rows buffered.
    var rowCount: Int { writtenRows + pendingRows }

    /// Drops all buffered rows, keeping the buffer's capacity.
    mutating func clearPending() {
        pendingRows = 0
        floats.removeAll(keepingCapacity: true)
        doubles.removeAll(keepingCapacity: true)
        int64s.removeAll(keepingCapacity: true)
        uint64s.removeAll(keepingCapacity: true)
    }

    /// Keeps only the first `rows` buffered rows.
    mutating func keepPending(rows: Int) {
        let keep = rows * rowLength
        switch spec.elementType {
        case .float32: floats.removeSubrange(keep...)
        case .float64: doubles.removeSubrange(keep...)
        case .int64: int64s.removeSubrange(keep...)
        case .uint64: uint64s.removeSubrange(keep...)
        }
        pendingRows = rows
    }

    /// Calls `body` with the buffered elements as raw bytes.
    func withPendingBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch spec.elementType {
        case .float32: return try floats.withUnsafeBytes(body)
        case .float64: return try doubles.withUnsafeBytes(body)
        case .int64: return try int64s.withUnsafeBytes(body)
        case .uint64: return try uint64s.withUnsafeBytes(body)
        }
    }
}
