import Linalg

/// MultiFashion (after MultiMNIST, Sener and Koltun, 2018): each example shows two Fashion-MNIST
/// items, one at the top-left and one at the bottom-right of a 36 x 36 canvas (`OverlayCanvas`),
/// resized to 28 x 28 (`BilinearResampler`, Pillow's antialiased bilinear). Two classification
/// tasks: "left" (the class of the top-left item) and "right" (of the bottom-right item), 10
/// classes each. Inputs are 784 Floats in [0, 1], input shape [1, 28, 28].
///
/// Sources: test pairs from the Fashion-MNIST test set; train and validation pairs from the
/// training set, split once into two disjoint pools of source images (a seeded permutation,
/// the validation pool getting the share validationCount / (trainCount + validationCount) of
/// the images, at least 2). Each pair draws its left and right image uniformly from its split's
/// pool, the right image different from the left; pairs are drawn independently, so an image
/// appears in several pairs. Everything is fixed by `seed`; each split draws from its own
/// random stream, so the test pairs do not depend on the train and validation counts.
public struct MultiFashion: Codable, Sendable, Equatable {
    /// The number of training pairs.
    public var trainCount: Int
    /// The number of validation pairs.
    public var validationCount: Int
    /// The number of test pairs.
    public var testCount: Int
    /// The seed of the pool split and the pairings.
    public var seed: UInt64

    /// The tasks, "left" then "right".
    public static let tasks = [
        TaskInfo(name: "left", kind: .classification, outputCount: FashionMNIST.classCount),
        TaskInfo(name: "right", kind: .classification, outputCount: FashionMNIST.classCount),
    ]
    /// The composition geometry: 28 x 28 items, the right one offset by (8, 8), 36 x 36 canvas.
    public static let canvas = OverlayCanvas(imageSide: 28, offset: 8)
    /// The side of the resized examples.
    public static let outputSide = 28

    public init(trainCount: Int = 50000, validationCount: Int = 10000, testCount: Int = 10000, seed: UInt64 = 0) {
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
        self.seed = seed
    }

    /// The source images of one example: indices into the Fashion-MNIST training set (train and
    /// validation pairs) or test set (test pairs).
    public struct ImagePair: Codable, Sendable, Equatable, Hashable {
        public var left: Int
        public var right: Int
        public init(left: Int, right: Int) {
            self.left = left
            self.right = right
        }
    }

    /// Which source images every example of every split shows.
    public struct Pairing: Sendable, Equatable {
        /// The training images that train pairs draw from (disjoint from `validationPool`).
        public var trainPool: [Int]
        /// The training images that validation pairs draw from.
        public var validationPool: [Int]
        public var train: [ImagePair]
        public var validation: [ImagePair]
        public var test: [ImagePair]
    }

    /// The pairing for a source with `trainingImageCount` training and `testImageCount` test
    /// images. Throws `invalidParameter` for negative counts, a zero trainCount, or a source too
    /// small to draw two different images for each non-empty split.
    public func pairing(trainingImageCount: Int, testImageCount: Int) throws(DatasetError) -> Pairing {
        try validate(trainingImageCount: trainingImageCount, testImageCount: testImageCount)
        var splitGenerator = RandomGenerator(seed: seed, stream: Self.streamTag | 0)
        let order = splitGenerator.permutation(trainingImageCount)
        let validationPoolSize = validationCount == 0 ? 0 : min(
            max(Int((Double(trainingImageCount) * Double(validationCount)
                     / Double(trainCount + validationCount)).rounded()), 2),
            trainingImageCount - 2)
        let validationPool = Array(order[..<validationPoolSize])
        let trainPool = Array(order[validationPoolSize...])
        return Pairing(
            trainPool: trainPool, validationPool: validationPool,
            train: Self.drawPairs(trainCount, from: trainPool, stream: Self.streamTag | 1, seed: seed),
            validation: Self.drawPairs(validationCount, from: validationPool, stream: Self.streamTag | 2, seed: seed),
            test: Self.drawPairs(testCount, from: Array(0..<testImageCount), stream: Self.streamTag | 3, seed: seed))
    }

    /// Builds the dataset from `source` (by default the real Fashion-MNIST: `try FashionMNIST()`).
    public func make(from source: FashionMNIST) throws(DatasetError) -> MultiTaskDataset {
        let pairing = try pairing(trainingImageCount: source.trainImages.rows, testImageCount: source.testImages.rows)
        return MultiTaskDataset(
            name: "multi-fashion", tasks: Self.tasks, inputShape: [1, Self.outputSide, Self.outputSide],
            train: Self.split(pairing.train, images: source.trainImages, labels: source.trainLabels),
            validation: Self.split(pairing.validation, images: source.trainImages, labels: source.trainLabels),
            test: Self.split(pairing.test, images: source.testImages, labels: source.testLabels))
    }

    /// Builds the dataset from the Fashion-MNIST files in `FashionMNIST.configuredDirectory`.
    public func make() throws(DatasetError) -> MultiTaskDataset {
        try make(from: FashionMNIST())
    }

    /// Marks MultiFashion's random streams ("MFSH") apart from other users of the same seed.
    private static let streamTag: UInt64 = 0x4D46_5348_0000_0000

    private func validate(trainingImageCount: Int, testImageCount: Int) throws(DatasetError) {
        guard trainCount >= 1 else {
            throw .invalidParameter(name: "trainCount", value: "\(trainCount)", requirement: "must be at least 1")
        }
        guard validationCount >= 0 else {
            throw .invalidParameter(name: "validationCount", value: "\(validationCount)", requirement: "must be non-negative")
        }
        guard testCount >= 0 else {
            throw .invalidParameter(name: "testCount", value: "\(testCount)", requirement: "must be non-negative")
        }
        let needed = validationCount > 0 ? 4 : 2
        guard trainingImageCount >= needed else {
            throw .invalidParameter(name: "trainingImageCount", value: "\(trainingImageCount)",
                                    requirement: "the source needs at least \(needed) training images to draw distinct pairs")
        }
        guard testCount == 0 || testImageCount >= 2 else {
            throw .invalidParameter(name: "testImageCount", value: "\(testImageCount)",
                                    requirement: "the source needs at least 2 test images to draw distinct pairs")
        }
    }

    private static func drawPairs(_ count: Int, from pool: [Int], stream: UInt64, seed: UInt64) -> [ImagePair] {
        var generator = RandomGenerator(seed: seed, stream: stream)
        return (0..<count).map { _ in
            let left = generator.integer(below: pool.count)
            var right = generator.integer(below: pool.count - 1)
            if right >= left { right += 1 }  // uniform over the pool without `left`
            return ImagePair(left: pool[left], right: pool[right])
        }
    }

    /// The composed, resized examples of `pairs` and their left and right labels.
    private static func split(_ pairs: [ImagePair], images: Matrix<Float>, labels: [UInt8]) -> DataSplit {
        let geometry = canvas
        let resampler = BilinearResampler(sourceSide: geometry.canvasSide, targetSide: outputSide)
        let imageWidth = geometry.imageSide * geometry.imageSide, outputWidth = outputSide * outputSide
        var inputs = Matrix<Float>(rows: pairs.count, columns: outputWidth)
        var canvasBuffer = [Float](repeating: 0, count: geometry.canvasSide * geometry.canvasSide)
        var scratch = [Float](repeating: 0, count: geometry.canvasSide * outputSide)
        images.storage.withUnsafeBufferPointer { source in
            inputs.storage.withUnsafeMutableBufferPointer { output in
                canvasBuffer.withUnsafeMutableBufferPointer { canvasPixels in
                    scratch.withUnsafeMutableBufferPointer { scratchPixels in
                        for (index, pair) in pairs.enumerated() {
                            geometry.compose(
                                left: UnsafeBufferPointer(rebasing: source[(pair.left * imageWidth)..<((pair.left + 1) * imageWidth)]),
                                right: UnsafeBufferPointer(rebasing: source[(pair.right * imageWidth)..<((pair.right + 1) * imageWidth)]),
                                into: canvasPixels)
                            resampler.resample(
                                UnsafeBufferPointer(canvasPixels),
                                into: UnsafeMutableBufferPointer(rebasing: output[(index * outputWidth)..<((index + 1) * outputWidth)]),
                                scratch: scratchPixels)
                        }
                    }
                }
            }
        }
        let left = Matrix<Float>(rows: pairs.count, columns: 1, storage: pairs.map { Float(labels[$0.left]) })
        let right = Matrix<Float>(rows: pairs.count, columns: 1, storage: pairs.map { Float(labels[$0.right]) })
        return DataSplit(inputs: inputs, targets: [left, right])
    }
}
