import Datasets
import Testing

@Test func everyDescriptionIsOneLineNamingTheFileOrParameter() {
    let path = "/data/train-images-idx3-ubyte.gz"
    let cases: [(DatasetError, [String])] = [
        (.missingFile(path: path), [path, "no such file"]),
        (.unreadableFile(path: path, reason: "Permission denied"), [path, "Permission denied"]),
        (.notGzip(path: path), [path, "not gzip"]),
        (.corruptCompressedData(path: path, reason: "incorrect data check"), [path, "corrupt", "incorrect data check"]),
        (.truncated(path: path, detail: "the data needs 10 bytes"), [path, "truncated", "10 bytes"]),
        (.trailingBytes(path: path, expectedBytes: 24), [path, "24"]),
        (.badMagic(path: path, found: 0x0801, expected: 0x0803), [path, "bad IDX magic", "0x00000801", "0x00000803", "3 dimensions"]),
        (.badMagic(path: path, found: 0x1234_5678, expected: nil), [path, "0x12345678"]),
        (.wrongDimensions(path: path, found: [5, 28, 27], expected: "[N, 28, 28]"), [path, "[5, 28, 27]", "[N, 28, 28]"]),
        (.countMismatch(labelsPath: "/l", labelCount: 9, imagesPath: "/i", imageCount: 10), ["/l", "9 labels", "/i", "10 images"]),
        (.labelOutOfRange(path: path, index: 7, label: 12, classCount: 10), [path, "label 12", "index 7", "0..<10"]),
        (.invalidParameter(name: "rho", value: "1.5", requirement: "must be at most 1"), ["rho", "1.5", "at most 1"]),
    ]
    for (error, fragments) in cases {
        let text = error.description
        #expect(!text.contains("\n"), "\(text)")
        for fragment in fragments { #expect(text.contains(fragment), "\(text) lacks \(fragment)") }
    }
}
