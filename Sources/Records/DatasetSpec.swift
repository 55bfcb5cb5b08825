/// One dataset of a record layout: where it lives, what it stores and how.
///
/// For an appendable dataset `shape` is the shape of ONE row (empty for scalar rows) and
/// the stored dataset has shape `[rows] + shape` with an unlimited first dimension. For a
/// fixed dataset `shape` is the whole shape, created up front and overwritten whole.
public struct DatasetSpec: Sendable, Hashable {
    /// How a dataset is stored.
    public enum Storage: Sendable, Hashable {
        /// Rows appended over time: chunked, unlimited first dimension. `chunkRows` rows per
        /// chunk (nil: about 16 KiB per chunk); `gzipLevel` 1...9 compresses (with shuffle).
        case appendable(chunkRows: Int?, gzipLevel: Int?)
        /// Created at full size and overwritten whole; unwritten elements read as `fillValue`.
        case fixed(fillValue: Double)
    }

    /// Absolute path, e.g. `/train/loss`.
    public var path: String
    /// Element type stored in the file.
    public var elementType: RecordElementType
    /// Row shape (appendable) or whole shape (fixed).
    public var shape: [Int]
    /// Appendable or fixed, with storage options.
    public var storage: Storage
    /// The `description` attribute: what the values are.
    public var description: String
    /// The `units` attribute: the values' units ("nats", "1" for dimensionless, ...).
    public var units: String
    /// Further attributes written on the dataset at creation.
    public var attributes: [String: AttributeValue]

    /// A dataset from its parts; see the static constructors for the common cases.
    public init(path: String, elementType: RecordElementType, shape: [Int], storage: Storage,
                description: String, units: String, attributes: [String: AttributeValue] = [:]) {
        self.path = path
        self.elementType = elementType
        self.shape = shape
        self.storage = storage
        self.description = description
        self.units = units
        self.attributes = attributes
    }

    /// An appendable dataset whose rows have shape `row` (`[]` for one number per row).
    public static func appendable(_ path: String, _ elementType: RecordElementType, row: [Int] = [],
                                  description: String, units: String,
                                  chunkRows: Int? = nil, gzipLevel: Int? = nil,
                                  attributes: [String: AttributeValue] = [:]) -> DatasetSpec {
        DatasetSpec(path: path, elementType: elementType, shape: row,
                    storage: .appendable(chunkRows: chunkRows, gzipLevel: gzipLevel),
                    description: description, units: units, attributes: attributes)
    }

    /// A fixed-shape dataset written whole with `RecordWriter.writeFixed`.
    public static func fixed(_ path: String, _ elementType: RecordElementType, shape: [Int],
                             description: String, units: String, fillValue: Double = 0,
                             attributes: [String: AttributeValue] = [:]) -> DatasetSpec {
        DatasetSpec(path: path, elementType: elementType, shape: shape, storage: .fixed(fillValue: fillValue),
                    description: description, units: units, attributes: attributes)
    }

    /// Whether rows are appended (unlimited first dimension).
    public var isAppendable: Bool {
        if case .appendable = storage { return true }
        return false
    }

    /// Elements per row (appendable) or in the whole dataset (fixed).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Rows per chunk actually used for an appendable dataset.
    var resolvedChunkRows: Int {
        if case .appendable(let rows?, _) = storage { return rows }
        let rowBytes = max(1, elementCount * elementType.byteCount)
        return max(1, min(1024, 16_384 / rowBytes))
    }
}
