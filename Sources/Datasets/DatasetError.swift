/// Why a dataset could not be read or built. Every description is one line that names the file
/// (or the parameter) and says what was wrong.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist.
    case missingFile(path: String)
    /// The file exists but could not be opened or read (a directory, no permission, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file's name ends in ".gz" but its content is not gzip data.
    case notGzip(path: String)
    /// The gzip stream is damaged (bad deflate data or checksum).
    case corruptCompressedData(path: String, reason: String)
    /// The file ends early; `detail` says which part is short and by how much.
    case truncated(path: String, detail: String)
    /// Bytes follow the data that the IDX header announces.
    case trailingBytes(path: String, expectedBytes: Int)
    /// The IDX magic number is malformed, of an unsupported element type, or not the expected one.
    case badMagic(path: String, found: UInt32, expected: UInt32?)
    /// The IDX dimensions are not the ones the dataset needs.
    case wrongDimensions(path: String, found: [Int], expected: String)
    /// A labels file holds a different number of labels than its images file holds images.
    case countMismatch(labelsPath: String, labelCount: Int, imagesPath: String, imageCount: Int)
    /// A label is not a valid class index.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// A parameter of a dataset builder has an invalid value.
    case invalidParameter(name: String, value: String, requirement: String)

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): no such file"
        case let .unreadableFile(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .notGzip(path):
            return "\(path): not gzip data (the name ends in .gz but the file does not start with the gzip magic 1f 8b)"
        case let .corruptCompressedData(path, reason):
            return "\(path): corrupt gzip data: \(reason)"
        case let .truncated(path, detail):
            return "\(path): truncated: \(detail)"
        case let .trailingBytes(path, expectedBytes):
            return "\(path): unexpected bytes after the \(expectedBytes) bytes that the IDX header announces"
        case let .badMagic(path, found, expected):
            let wanted = expected.map { "expected \(Self.hex($0)) (\(Self.meaning(ofMagic: $0)))" }
                ?? "expected 0x000008NN (unsigned bytes, NN dimensions)"
            return "\(path): bad IDX magic \(Self.hex(found)), \(wanted)"
        case let .wrongDimensions(path, found, expected):
            return "\(path): wrong dimensions \(found), expected \(expected)"
        case let .countMismatch(labelsPath, labelCount, imagesPath, imageCount):
            return "\(labelsPath): holds \(labelCount) labels but \(imagesPath) holds \(imageCount) images"
        case let .labelOutOfRange(path, index, label, classCount):
            return "\(path): label \(label) at index \(index) is out of range 0..<\(classCount)"
        case let .invalidParameter(name, value, requirement):
            return "invalid parameter \(name) = \(value): \(requirement)"
        }
    }

    /// `value` as eight hex digits, e.g. 0x00000803.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func meaning(ofMagic magic: UInt32) -> String {
        let rank = magic & 0xFF
        return "unsigned bytes, \(rank) dimension" + (rank == 1 ? "" : "s")
    }
}
