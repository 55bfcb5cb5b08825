import Datasets
import Testing

/// A 3 x 2 x 4 image stack holding the bytes 0, 11, 22, ... (mod 256).
private let stackData = (0..<24).map { UInt8(truncatingIfNeeded: $0 * 11) }

@Test(arguments: [true, false])
func readsHandBuiltFilesBackExactly(gzip: Bool) throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let images = directory + (gzip ? "/images.gz" : "/images"), labels = directory + (gzip ? "/labels.gz" : "/labels")
    let write: ([UInt8], String) -> Void = gzip ? { TestFiles.writeGzip($0, to: $1) } : { TestFiles.writeRaw($0, to: $1) }
    write(TestFiles.idx(magic: 0x0803, dimensions: [3, 2, 4], data: stackData), images)
    write(TestFiles.idx(magic: 0x0801, dimensions: [5], data: [9, 0, 3, 255, 1]), labels)

    let imageFile = try IDXFile(contentsOf: images, expectedMagic: IDXFile.imagesMagic)
    #expect(imageFile.path == images)
    #expect(imageFile.magic == 0x0000_0803)
    #expect(imageFile.dimensions == [3, 2, 4])
    #expect(imageFile.bytes == stackData)

    let labelFile = try IDXFile(contentsOf: labels)
    #expect(labelFile.magic == IDXFile.labelsMagic)
    #expect(labelFile.dimensions == [5])
    #expect(labelFile.bytes == [9, 0, 3, 255, 1])
}

@Test func readsDimensionsAsBigEndianWords() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    // 258 = 0x00000102: a little-endian reader would see 0x02010000.
    let path = directory + "/wide"
    TestFiles.writeRaw([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 1, 2] + [UInt8](repeating: 4, count: 258), to: path)
    let file = try IDXFile(contentsOf: path)
    #expect(file.dimensions == [1, 258])
    #expect(file.bytes.count == 258)
}

@Test func missingFileErrorNamesTheFile() {
    let path = "/nonexistent-tasktrace-dir/train-images-idx3-ubyte.gz"
    #expect(throws: DatasetError.missingFile(path: path)) { _ = try IDXFile(contentsOf: path) }
}

@Test func rawDataNamedGzIsNotGzip() {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let path = directory + "/labels.gz"
    TestFiles.writeRaw(TestFiles.idx(magic: 0x0801, dimensions: [2], data: [1, 2]), to: path)
    #expect(throws: DatasetError.notGzip(path: path)) { _ = try IDXFile(contentsOf: path) }
}

@Test func truncatedFilesReportWhatIsMissing() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let whole = TestFiles.idx(magic: 0x0803, dimensions: [3, 2, 4], data: stackData)

    let shortData = directory + "/short-data"
    TestFiles.writeRaw(Array(whole.dropLast(4)), to: shortData)
    let dataError = try #require(throws: DatasetError.self) { _ = try IDXFile(contentsOf: shortData) }
    #expect(dataError == .truncated(path: shortData, detail: "dimensions [3, 2, 4] need 24 data bytes, only 20 follow the header"))
    #expect(dataError.description.hasPrefix(shortData))

    let shortHeader = directory + "/short-header"
    TestFiles.writeRaw(Array(whole.prefix(10)), to: shortHeader)
    let headerError = try #require(throws: DatasetError.self) { _ = try IDXFile(contentsOf: shortHeader) }
    guard case .truncated(shortHeader, _) = headerError else { Issue.record("\(headerError)"); return }

    let empty = directory + "/empty"
    TestFiles.writeRaw([], to: empty)
    let emptyError = try #require(throws: DatasetError.self) { _ = try IDXFile(contentsOf: empty) }
    guard case .truncated(empty, _) = emptyError else { Issue.record("\(emptyError)"); return }

    // A gzip file cut in half: decompression stops early.
    TestFiles.writeGzip(TestFiles.idx(magic: 0x0801, dimensions: [20000], data: (0..<20000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }),
                        to: directory + "/whole.gz")
    let compressed = TestFiles.read(directory + "/whole.gz")
    let cut = directory + "/cut.gz"
    TestFiles.writeRaw(Array(compressed.prefix(compressed.count / 2)), to: cut)
    let cutError = try #require(throws: DatasetError.self) { _ = try IDXFile(contentsOf: cut) }
    guard case .truncated(cut, _) = cutError else { Issue.record("\(cutError)"); return }
}

@Test func damagedGzipChecksumIsCorruptData() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let path = directory + "/labels.gz"
    TestFiles.writeGzip(TestFiles.idx(magic: 0x0801, dimensions: [3], data: [1, 2, 3]), to: path)
    var bytes = TestFiles.read(path)
    bytes[bytes.count - 8] ^= 0xFF  // the first byte of the CRC-32 in the trailer
    TestFiles.writeRaw(bytes, to: path)
    let error = try #require(throws: DatasetError.self) { _ = try IDXFile(contentsOf: path) }
    #expect(error == .corruptCompressedData(path: path, reason: "incorrect data check"))
    #expect(!error.description.contains("\n"))
}

@Test func damagedDeflateDataIsCorruptData() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let path = directory + "/labels.gz"
    TestFiles.writeGzip(TestFiles.idx(magic: 0x0801, dimensions: [20000], data: (0..<20000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }),
                        to: path)
    var bytes = TestFiles.read(path)
    for i in 20..<40 { bytes[i] ^= 0x5A }  // scramble the start of the deflate stream (after the 10-byte header)
    TestFiles.writeRaw(bytes, to: path)
    let error = try #require(throws: DatasetError.self) { _ = try IDXFile(contentsOf: path) }
    guard case .corruptCompressedData(path, _) = error else { Issue.record("\(error)"); return }
}

@Test func badMagicNumbersAreRejected() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let signedBytes = directory + "/signed", nonzeroLead = directory + "/lead", noDimensions = directory + "/rank0"
    TestFiles.writeRaw(TestFiles.idx(magic: 0x0903, dimensions: [1, 1, 1], data: [0]), to: signedBytes)
    TestFiles.writeRaw(TestFiles.idx(magic: 0x0100_0801, dimensions: [1], data: [0]), to: nonzeroLead)
    TestFiles.writeRaw(TestFiles.idx(magic: 0x0800, dimensions: [], data: []), to: noDimensions)
    #expect(throws: DatasetError.badMagic(path: signedBytes, found: 0x0903, expected: nil)) { _ = try IDXFile(contentsOf: signedBytes) }
    #expect(throws: DatasetError.badMagic(path: nonzeroLead, found: 0x0100_0801, expected: nil)) { _ = try IDXFile(contentsOf: nonzeroLead) }
    #expect(throws: DatasetError.badMagic(path: noDimensions, found: 0x0800, expected: nil)) { _ = try IDXFile(contentsOf: noDimensions) }

    let labels = directory + "/labels"
    TestFiles.writeRaw(TestFiles.idx(magic: 0x0801, dimensions: [1], data: [0]), to: labels)
    let error = try #require(throws: DatasetError.self) {
        _ = try IDXFile(contentsOf: labels, expectedMagic: IDXFile.imagesMagic)
    }
    #expect(error == .badMagic(path: labels, found: 0x0801, expected: 0x0803))
    #expect(error.description.contains("0x00000801") && error.description.contains("0x00000803"))
}

@Test func bytesAfterTheDataAreAnError() {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let path = directory + "/long"
    TestFiles.writeRaw(TestFiles.idx(magic: 0x0801, dimensions: [2], data: [1, 2, 3]), to: path)
    #expect(throws: DatasetError.trailingBytes(path: path, expectedBytes: 10)) { _ = try IDXFile(contentsOf: path) }
}

@Test func implausiblyLargeDimensionsAreRejectedBeforeReading() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    let path = directory + "/huge"
    TestFiles.writeRaw(TestFiles.idx(magic: 0x0803, dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 2], data: []), to: path)
    let error = try #require(throws: DatasetError.self) { _ = try IDXFile(contentsOf: path) }
    guard case .wrongDimensions(path, [0xFFFF_FFFF, 0xFFFF_FFFF, 2], _) = error else { Issue.record("\(error)"); return }
}
