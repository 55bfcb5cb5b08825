import Linalg
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Fashion-MNIST dataset (Xiao, Rasul and Vollgraf, 2017): 28 x 28 grey images of clothing
/// in 10 classes, 60000 for training and 10000 for testing (6000 and 1000 per class).
///
/// Images are rows of 784 Floats in [0, 1] (byte / 255), row-major 28 x 28, no other
/// normalization. Labels are class indices 0...9 (see `classNames`).
public struct FashionMNIST: Sendable, Equatable {
    /// Where the Debian package dataset-fashion-mnist installs the four files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    /// The environment variable that, when set and not empty, replaces `defaultDirectory`
    /// as the directory `init()` reads from.
    public static let directoryVariable = "TASKTRACE_FASHION_MNIST"
    /// The side of an image in pixels.
    public static let imageSide = 28
    /// The number of classes.
    public static let classCount = 10
    /// The class names, indexed by label.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// The directory `init()` reads from: `$TASKTRACE_FASHION_MNIST` if set and not empty,
    /// else `defaultDirectory`.
    public static var configuredDirectory: String {
        if let value = getenv(directoryVariable), value.pointee != 0 { return String(cString: value) }
        return defaultDirectory
    }

    /// The training images, 60000 x 784, values in [0, 1].
    public var trainImages: Matrix<Float>
    /// The training labels, 60000 class indices in 0...9.
    public var trainLabels: [UInt8]
    /// The test images, 10000 x 784, values in [0, 1].
    public var testImages: Matrix<Float>
    /// The test labels, 10000 class indices in 0...9.
    public var testLabels: [UInt8]

    /// Reads `train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`
    /// and `t10k-labels-idx1-ubyte.gz` from `directory`; each may also be present uncompressed
    /// (the same name without ".gz"). Throws a `DatasetError` naming the file that is missing or
    /// malformed, whose images are not N x 28 x 28, whose label count differs from its image
    /// count, or that holds a label outside 0...9.
    public init(directory: String = FashionMNIST.configuredDirectory) throws(DatasetError) {
        (trainImages, trainLabels) = try Self.readPart(directory: directory, prefix: "train")
        (testImages, testLabels) = try Self.readPart(directory: directory, prefix: "t10k")
    }

    /// A Fashion-MNIST-shaped dataset from given images (rows of 784 values) and labels, for
    /// tests and subsets.
    public init(trainImages: Matrix<Float>, trainLabels: [UInt8], testImages: Matrix<Float>, testLabels: [UInt8]) {
        let width = Self.imageSide * Self.imageSide
        precondition(trainImages.columns == width && testImages.columns == width, "images must have \(width) columns")
        precondition(trainImages.rows == trainLabels.count && testImages.rows == testLabels.count,
                     "one label per image")
        precondition((trainLabels + testLabels).allSatisfy { Int($0) < Self.classCount }, "labels must be in 0..<\(Self.classCount)")
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.testImages = testImages
        self.testLabels = testLabels
    }

    private static func readPart(directory: String, prefix: String) throws(DatasetError) -> (Matrix<Float>, [UInt8]) {
        let imagesFile = try IDXFile(contentsOf: locate(directory, "\(prefix)-images-idx3-ubyte"), expectedMagic: IDXFile.imagesMagic)
        let labelsFile = try IDXFile(contentsOf: locate(directory, "\(prefix)-labels-idx1-ubyte"), expectedMagic: IDXFile.labelsMagic)
        let dims = imagesFile.dimensions
        guard dims[1] == imageSide, dims[2] == imageSide else {
            throw .wrongDimensions(path: imagesFile.path, found: dims, expected: "[N, \(imageSide), \(imageSide)]")
        }
        guard labelsFile.dimensions[0] == dims[0] else {
            throw .countMismatch(labelsPath: labelsFile.path, labelCount: labelsFile.dimensions[0],
                                 imagesPath: imagesFile.path, imageCount: dims[0])
        }
        if let index = labelsFile.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw .labelOutOfRange(path: labelsFile.path, index: index, label: Int(labelsFile.bytes[index]), classCount: classCount)
        }
        return (pixelMatrix(imagesFile.bytes, rows: dims[0]), labelsFile.bytes)
    }

    /// `directory/name.gz` if it exists, else `directory/name` if that exists, else the ".gz"
    /// path (whose reading then reports it missing).
    private static func locate(_ directory: String, _ name: String) -> String {
        let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        if access(base + ".gz", F_OK) != 0 && access(base, F_OK) == 0 { return base }
        return base + ".gz"
    }

    /// Bytes as Floats byte / 255, `rows` rows of 784.
    private static func pixelMatrix(_ bytes: [UInt8], rows: Int) -> Matrix<Float> {
        let table = (0...255).map { Float($0) / 255 }
        var storage = [Float](repeating: 0, count: bytes.count)
        storage.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { source in
                table.withUnsafeBufferPointer { lookup in
                    for i in 0..<source.count { out[i] = lookup[Int(source[i])] }
                }
            }
        }
        return Matrix(rows: rows, columns: imageSide * imageSide, storage: storage)
    }
}
