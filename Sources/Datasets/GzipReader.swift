import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file's bytes through zlib (gzopen/gzread/gzclose): gzip files are decompressed on
/// the fly, other files are read as they are. A file whose name ends in ".gz" must be gzip.
///
/// Errors name the file: missing, unreadable, not gzip, corrupt compressed data, or a gzip
/// stream that ends before its end marker (truncated). The file is closed when the reader ends.
///
/// Sendable because it is the only owner of its zlib handle (it cannot be copied) and touches
/// the handle only in `init`, in mutating methods and in `deinit`.
public struct GzipReader: ~Copyable, @unchecked Sendable {
    /// The path the reader was opened with.
    public let path: String
    /// True if the file is gzip data being decompressed, false if it is read as it is.
    public let isCompressed: Bool
    private let handle: gzFile

    /// Opens `path` for reading.
    public init(path: String) throws(DatasetError) {
        var status = stat()
        if stat(path, &status) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missingFile(path: path) }
            throw .unreadableFile(path: path, reason: String(cString: strerror(code)))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw .unreadableFile(path: path, reason: "is a directory")
        }
        guard let handle = gzopen(path, "rb") else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        _ = gzbuffer(handle, 1 << 18)
        let isCompressed = gzdirect(handle) == 0
        if path.hasSuffix(".gz") && !isCompressed {
            gzclose(handle)
            throw .notGzip(path: path)
        }
        self.path = path
        self.isCompressed = isCompressed
        self.handle = handle
    }

    deinit { gzclose(handle) }

    /// Reads up to `buffer.count` bytes into `buffer` and returns how many it read; fewer only
    /// at the end of the data. Throws if the file is unreadable or its gzip data is corrupt;
    /// a gzip stream cut short returns what it holds (see `expectEnd`).
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        var total = 0
        while total < buffer.count {
            let chunk = min(buffer.count - total, 1 << 30)
            let count = gzread(handle, buffer.baseAddress! + total, UInt32(chunk))
            if count < 0 { throw currentError() }
            if count == 0 { break }
            total += Int(count)
        }
        return total
    }

    /// Reads up to `count` bytes; fewer only at the end of the data.
    public mutating func read(count: Int) throws(DatasetError) -> [UInt8] {
        precondition(count >= 0, "cannot read a negative number of bytes")
        var result = [UInt8](repeating: 0, count: count)
        let outcome = result.withUnsafeMutableBytes { buffer in
            Result { () throws(DatasetError) -> Int in try read(into: buffer) }
        }
        result.removeLast(count - (try outcome.get()))
        return result
    }

    /// Checks that the data ends here: throws `trailingBytes` if more bytes follow (`expectedBytes`
    /// is what the caller expected in total), `truncated` if the gzip stream ended before its end
    /// marker, `corruptCompressedData` if its checksum does not match.
    public mutating func expectEnd(expectedBytes: Int) throws(DatasetError) {
        var probe: UInt8 = 0
        let count = gzread(handle, &probe, 1)
        if count < 0 { throw currentError() }
        if count > 0 { throw .trailingBytes(path: path, expectedBytes: expectedBytes) }
        var code: Int32 = 0
        _ = gzerror(handle, &code)
        if code == Z_BUF_ERROR {
            throw .truncated(path: path, detail: "the gzip stream ends before its end marker")
        }
    }

    private func currentError() -> DatasetError {
        var code: Int32 = 0
        var message = gzerror(handle, &code).map { String(cString: $0) } ?? "unknown zlib error"
        if message.hasPrefix(path + ": ") { message.removeFirst(path.count + 2) }  // zlib prefixes the path
        switch code {
        case Z_ERRNO:
            return .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        case Z_BUF_ERROR:
            return .truncated(path: path, detail: "the gzip stream ends early (\(message))")
        default:
            return .corruptCompressedData(path: path, reason: message)
        }
    }
}
