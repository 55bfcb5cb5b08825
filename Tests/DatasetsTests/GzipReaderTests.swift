import Datasets
import Testing

@Test func readsGzipAndRawFilesToTheSameBytes() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let content = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    TestFiles.writeGzip(content, to: directory + "/a.gz")
    TestFiles.writeRaw(content, to: directory + "/a.raw")
    TestFiles.writeGzip(content, to: directory + "/gzip-without-suffix")

    var gzip = try GzipReader(path: directory + "/a.gz")
    let gzipCompressed = gzip.isCompressed
    #expect(gzipCompressed)
    let head = try gzip.read(count: 100), rest = try gzip.read(count: 10000)
    #expect(head == Array(content[..<100]))
    #expect(rest == Array(content[100...]))
    try gzip.expectEnd(expectedBytes: 5000)

    var raw = try GzipReader(path: directory + "/a.raw")
    let rawCompressed = raw.isCompressed
    #expect(!rawCompressed)
    let rawBytes = try raw.read(count: 6000)
    #expect(rawBytes == content)

    var unnamed = try GzipReader(path: directory + "/gzip-without-suffix")
    let unnamedCompressed = unnamed.isCompressed
    #expect(unnamedCompressed)
    let unnamedBytes = try unnamed.read(count: 5000)
    #expect(unnamedBytes == content)
}

@Test func rejectsMissingFilesDirectoriesAndNonGzipNamedGz() {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    TestFiles.writeRaw([1, 2, 3], to: directory + "/plain.gz")
    #expect(throws: DatasetError.missingFile(path: directory + "/absent.gz")) {
        _ = try GzipReader(path: directory + "/absent.gz")
    }
    #expect(throws: DatasetError.unreadableFile(path: directory, reason: "is a directory")) {
        _ = try GzipReader(path: directory)
    }
    #expect(throws: DatasetError.notGzip(path: directory + "/plain.gz")) {
        _ = try GzipReader(path: directory + "/plain.gz")
    }
}

@Test func expectEndReportsTrailingBytesAndCutStreams() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    TestFiles.writeGzip(Array(repeating: 7, count: 1000), to: directory + "/whole.gz")
    var whole = try GzipReader(path: directory + "/whole.gz")
    _ = try whole.read(count: 999)
    #expect(throws: DatasetError.trailingBytes(path: directory + "/whole.gz", expectedBytes: 999)) {
        try whole.expectEnd(expectedBytes: 999)
    }
    // Drop the 8-byte trailer (CRC-32 and length): all data is there, the end marker is not.
    let compressed = TestFiles.read(directory + "/whole.gz")
    TestFiles.writeRaw(Array(compressed.dropLast(8)), to: directory + "/cut.gz")
    var cut = try GzipReader(path: directory + "/cut.gz")
    let cutBytes = try cut.read(count: 1000)
    #expect(cutBytes.count == 1000)
    #expect(throws: DatasetError.truncated(path: directory + "/cut.gz", detail: "the gzip stream ends before its end marker")) {
        try cut.expectEnd(expectedBytes: 1000)
    }
}
