import CZlib
import Foundation

/// Helpers that write tiny test files by hand, independently of the code under test.
enum TestFiles {
    /// A fresh empty directory under the system's temporary directory.
    static func makeDirectory() -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tasktrace-datasets-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// An IDX file's bytes: big-endian magic, big-endian dimensions, then `data`.
    static func idx(magic: UInt32, dimensions: [Int], data: [UInt8]) -> [UInt8] {
        func bigEndian(_ value: UInt32) -> [UInt8] {
            [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
        return bigEndian(magic) + dimensions.flatMap { bigEndian(UInt32($0)) } + data
    }

    /// Writes `bytes` as they are.
    static func writeRaw(_ bytes: [UInt8], to path: String) {
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
    }

    /// Writes `bytes` gzip-compressed through zlib's gzopen("wb") / gzwrite / gzclose.
    static func writeGzip(_ bytes: [UInt8], to path: String) {
        let file = gzopen(path, "wb")!
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        precondition(Int(written) == bytes.count, "gzwrite wrote \(written) of \(bytes.count) bytes")
        precondition(gzclose(file) == Z_OK, "gzclose failed")
    }

    static func read(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path)!)
    }

    /// Writes a Fashion-MNIST-shaped set of four gzipped IDX files into `directory`.
    static func writeFashionMNIST(in directory: String, trainImages: [UInt8], trainLabels: [UInt8],
                                  testImages: [UInt8], testLabels: [UInt8],
                                  imageDimensions: [Int]? = nil, compressed: Bool = true) {
        let suffix = compressed ? ".gz" : ""
        let write: ([UInt8], String) -> Void = compressed ? { writeGzip($0, to: $1) } : { writeRaw($0, to: $1) }
        write(idx(magic: 0x0803, dimensions: imageDimensions ?? [trainImages.count / 784, 28, 28], data: trainImages),
              directory + "/train-images-idx3-ubyte" + suffix)
        write(idx(magic: 0x0801, dimensions: [trainLabels.count], data: trainLabels),
              directory + "/train-labels-idx1-ubyte" + suffix)
        write(idx(magic: 0x0803, dimensions: [testImages.count / 784, 28, 28], data: testImages),
              directory + "/t10k-images-idx3-ubyte" + suffix)
        write(idx(magic: 0x0801, dimensions: [testLabels.count], data: testLabels),
              directory + "/t10k-labels-idx1-ubyte" + suffix)
    }
}
