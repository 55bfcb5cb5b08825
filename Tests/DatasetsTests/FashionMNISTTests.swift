import Datasets
import Foundation
import Linalg
import Testing

/// The real Fashion-MNIST, read once for all tests (from the default directory, ignoring
/// TASKTRACE_FASHION_MNIST so that the environment test cannot interfere).
let realFashionMNIST: Result<FashionMNIST, DatasetError> = Result { () throws(DatasetError) in
    try FashionMNIST(directory: FashionMNIST.defaultDirectory)
}

@Test func realFilesHaveTheKnownSizesAndBalancedClasses() throws {
    let data = try realFashionMNIST.get()
    #expect(data.trainImages.rows == 60000 && data.trainImages.columns == 784)
    #expect(data.testImages.rows == 10000 && data.testImages.columns == 784)
    #expect(data.trainLabels.count == 60000 && data.testLabels.count == 10000)
    // Fashion-MNIST has 6000 training and 1000 test images of each of its 10 classes.
    var trainCounts = [Int](repeating: 0, count: 10), testCounts = [Int](repeating: 0, count: 10)
    for label in data.trainLabels { trainCounts[Int(label)] += 1 }
    for label in data.testLabels { testCounts[Int(label)] += 1 }
    #expect(trainCounts == [Int](repeating: 6000, count: 10))
    #expect(testCounts == [Int](repeating: 1000, count: 10))
    #expect(data.trainImages.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(data.trainImages.storage.max() == 1)
    #expect(FashionMNIST.classNames.count == 10)
}

/// Four training and two test images whose pixel k of image i is (i + k) mod 256.
private func writeTinyDataset(in directory: String, compressed: Bool = true,
                              trainLabels: [UInt8] = [0, 9, 3, 3], imageDimensions: [Int]? = nil) {
    let pixels: (Int) -> [UInt8] = { count in (0..<count).flatMap { i in (0..<784).map { UInt8((i + $0) % 256) } } }
    TestFiles.writeFashionMNIST(in: directory, trainImages: pixels(4), trainLabels: trainLabels,
                                testImages: pixels(2), testLabels: [5, 1], imageDimensions: imageDimensions,
                                compressed: compressed)
}

@Test(arguments: [true, false])
func readsPixelsAsBytesOver255(compressed: Bool) throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    writeTinyDataset(in: directory, compressed: compressed)
    let data = try FashionMNIST(directory: directory)
    #expect(data.trainImages.rows == 4 && data.testImages.rows == 2)
    #expect(data.trainLabels == [0, 9, 3, 3] && data.testLabels == [5, 1])
    #expect(data.trainImages[0, 0] == 0)
    #expect(data.trainImages[0, 51] == 0.2)
    #expect(data.trainImages[0, 255] == 1)
    #expect(data.trainImages[2, 253] == 1)  // byte (2 + 253) = 255
    #expect(data.testImages[1, 101] == Float(102) / 255)
}

@Test func environmentVariableOverridesTheDefaultDirectory() throws {
    let directory = TestFiles.makeDirectory()
    defer { TestFiles.remove(directory) }
    writeTinyDataset(in: directory)
    setenv(FashionMNIST.directoryVariable, directory, 1)
    defer { unsetenv(FashionMNIST.directoryVariable) }
    #expect(FashionMNIST.configuredDirectory == directory)
    let data = try FashionMNIST()
    #expect(data.trainImages.rows == 4)
    unsetenv(FashionMNIST.directoryVariable)
    #expect(FashionMNIST.configuredDirectory == FashionMNIST.defaultDirectory)
}

@Test func malformedDatasetsNameTheOffendingFile() throws {
    let base = TestFiles.makeDirectory()
    defer { TestFiles.remove(base) }

    #expect(throws: DatasetError.missingFile(path: base + "/train-images-idx3-ubyte.gz")) {
        _ = try FashionMNIST(directory: base)
    }

    let fewLabels = base + "/few-labels"
    try FileManager.default.createDirectory(atPath: fewLabels, withIntermediateDirectories: false)
    writeTinyDataset(in: fewLabels, trainLabels: [0, 1, 2])
    #expect(throws: DatasetError.countMismatch(labelsPath: fewLabels + "/train-labels-idx1-ubyte.gz", labelCount: 3,
                                               imagesPath: fewLabels + "/train-images-idx3-ubyte.gz", imageCount: 4)) {
        _ = try FashionMNIST(directory: fewLabels)
    }

    let badLabel = base + "/bad-label"
    try FileManager.default.createDirectory(atPath: badLabel, withIntermediateDirectories: false)
    writeTinyDataset(in: badLabel, trainLabels: [0, 1, 10, 2])
    let labelError = try #require(throws: DatasetError.self) { _ = try FashionMNIST(directory: badLabel) }
    #expect(labelError == .labelOutOfRange(path: badLabel + "/train-labels-idx1-ubyte.gz", index: 2, label: 10, classCount: 10))
    #expect(labelError.description.contains("train-labels-idx1-ubyte.gz"))

    let narrow = base + "/narrow"
    try FileManager.default.createDirectory(atPath: narrow, withIntermediateDirectories: false)
    writeTinyDataset(in: narrow, imageDimensions: [4, 56, 14])  // the same 3136 bytes, wrongly shaped
    #expect(throws: DatasetError.wrongDimensions(path: narrow + "/train-images-idx3-ubyte.gz", found: [4, 56, 14], expected: "[N, 28, 28]")) {
        _ = try FashionMNIST(directory: narrow)
    }
}
