/// One IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST), gzipped or not.
///
/// Layout: a 4-byte big-endian magic number `0x000008NN` (two zero bytes, element type 0x08 for
/// unsigned bytes, NN dimensions), then NN big-endian 32-bit dimensions, then the elements in
/// row-major order, one byte each, and nothing after them.
public struct IDXFile: Sendable, Equatable {
    /// The magic number of a stack of images: unsigned bytes, 3 dimensions [count, rows, columns].
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// The magic number of a list of labels: unsigned bytes, 1 dimension [count].
    public static let labelsMagic: UInt32 = 0x0000_0801
    /// The largest data size accepted, in bytes (4 GiB): a bigger header is taken as corrupt.
    public static let maximumDataBytes = 1 << 32

    /// The path the file was read from.
    public var path: String
    /// The magic number, `0x000008NN` with NN = `dimensions.count`.
    public var magic: UInt32
    /// The dimensions, outermost first (e.g. [60000, 28, 28]).
    public var dimensions: [Int]
    /// The elements in row-major order; `bytes.count` is the product of `dimensions`.
    public var bytes: [UInt8]

    /// Reads the IDX file at `path` (gzip or uncompressed). If `expectedMagic` is given, any
    /// other magic number is an error. Throws a `DatasetError` naming the file if it is missing,
    /// unreadable, not gzip despite a ".gz" name, corrupt, truncated, has a bad magic number,
    /// implausible dimensions, or bytes after the data.
    public init(contentsOf path: String, expectedMagic: UInt32? = nil) throws(DatasetError) {
        var reader = try GzipReader(path: path)

        let magicBytes = try reader.read(count: 4)
        guard magicBytes.count == 4 else {
            throw .truncated(path: path, detail: "the IDX magic number needs 4 bytes, the file holds \(magicBytes.count)")
        }
        let magic = Self.bigEndianWord(magicBytes, at: 0)
        let rank = Int(magic & 0xFF)
        guard magic & 0xFFFF_FF00 == 0x0000_0800, rank >= 1 else {
            throw .badMagic(path: path, found: magic, expected: expectedMagic)
        }
        if let expectedMagic, magic != expectedMagic {
            throw .badMagic(path: path, found: magic, expected: expectedMagic)
        }

        let dimensionBytes = try reader.read(count: 4 * rank)
        guard dimensionBytes.count == 4 * rank else {
            throw .truncated(path: path, detail: "\(rank) dimensions need \(4 * rank) header bytes after the magic number, the file holds \(dimensionBytes.count)")
        }
        let dimensions = (0..<rank).map { Int(Self.bigEndianWord(dimensionBytes, at: 4 * $0)) }
        var elementCount = 1
        for dimension in dimensions {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Self.maximumDataBytes else {
                throw .wrongDimensions(path: path, found: dimensions, expected: "at most \(Self.maximumDataBytes) bytes of data")
            }
            elementCount = product
        }

        var readCount = 0
        var readError: DatasetError?
        let bytes = [UInt8](unsafeUninitializedCapacity: elementCount) { buffer, initializedCount in
            do throws(DatasetError) {
                readCount = try reader.read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                readError = error
            }
            // Zero what was not read so the buffer is fully initialized before it is dropped.
            if readCount < elementCount {
                buffer.baseAddress!.advanced(by: readCount).initialize(repeating: 0, count: elementCount - readCount)
            }
            initializedCount = elementCount
        }
        if let readError { throw readError }
        guard readCount == elementCount else {
            throw .truncated(path: path, detail: "dimensions \(dimensions) need \(elementCount) data bytes, only \(readCount) follow the header")
        }
        try reader.expectEnd(expectedBytes: 4 + 4 * rank + elementCount)

        self.path = path
        self.magic = magic
        self.dimensions = dimensions
        self.bytes = bytes
    }

    /// The 32-bit big-endian word at `offset`.
    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { ($0 << 8) | UInt32(bytes[offset + $1]) }
    }
}
