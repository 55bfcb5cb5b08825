import Linalg

/// Multi-domain Fashion-MNIST: the 10 Fashion-MNIST classes seen through K domains
/// (`DomainTransform`: original, inverted, rotated, blurred, noisy), one classification task
/// per domain named after it. Inputs are 784 Floats in [0, 1], input shape [1, 28, 28].
///
/// Every domain gets its own images, disjoint from the other domains': a seeded permutation of
/// the Fashion-MNIST training set gives domain k (in the order of `domains`) the next
/// `trainCount` images for training and the `validationCount` after them for validation; a
/// permutation of the test set gives it `testCount` test images. Counts are PER DOMAIN; the
/// defaults (10000, 2000, 2000) let all five domains fit the 60000 training and 10000 test
/// images. An example belongs to exactly one domain: its target for its domain's task is its
/// class, for every other task `LossKind`'s missing label -1 (Nets' `LossKind.missingLabel`).
/// Each split lists its domains' examples in a seeded shuffled order, so a prefix (the
/// train-eval subset) holds every domain in about equal shares. The noise of the `noisy`
/// domain is fixed by the seed as well. Multi-domain problems are usually trained with
/// scalarization as sampling (one domain's batch per step, domain t with probability w_t).
public struct MultiDomainFashion: Codable, Sendable, Equatable {
    /// The domains, one task each, in task order.
    public var domains: [DomainTransform]
    /// Training examples per domain.
    public var trainCount: Int
    /// Validation examples per domain.
    public var validationCount: Int
    /// Test examples per domain.
    public var testCount: Int
    /// The seed of the image assignment, the noise and the shuffles.
    public var seed: UInt64

    /// Default examples per domain: training, validation, test.
    public static let defaultCounts = (train: 10_000, validation: 2000, test: 2000)
    /// The target of an example for a task it carries no label for.
    public static let missingLabel: Float = -1

    public init(domains: [DomainTransform] = DomainTransform.allCases, trainCount: Int = defaultCounts.train,
                validationCount: Int = defaultCounts.validation, testCount: Int = defaultCounts.test, seed: UInt64 = 0) {
        self.domains = domains
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
        self.seed = seed
    }

    /// The tasks: one 10-class classification task per domain, named after it.
    public var tasks: [TaskInfo] {
        domains.map { TaskInfo(name: $0.rawValue, kind: .classification, outputCount: FashionMNIST.classCount) }
    }

    /// Which source images each domain uses, per split: indices into the Fashion-MNIST training
    /// set (train, validation) or test set (test); `train[k]` belongs to domain k.
    public struct Assignment: Sendable, Equatable {
        public var train: [[Int]]
        public var validation: [[Int]]
        public var test: [[Int]]
    }

    /// The image assignment for a source with `trainingImageCount` training and
    /// `testImageCount` test images. Throws `invalidParameter` for an empty or repeated domain
    /// list, counts out of range, or a source too small for disjoint images.
    public func assignment(trainingImageCount: Int, testImageCount: Int) throws(DatasetError) -> Assignment {
        try validate(trainingImageCount: trainingImageCount, testImageCount: testImageCount)
        var trainGenerator = RandomGenerator(seed: seed, stream: Self.streamTag | 0)
        let trainOrder = trainGenerator.permutation(trainingImageCount)
        var testGenerator = RandomGenerator(seed: seed, stream: Self.streamTag | 1)
        let testOrder = testGenerator.permutation(testImageCount)
        let perDomain = trainCount + validationCount
        return Assignment(
            train: domains.indices.map { Array(trainOrder[($0 * perDomain)..<($0 * perDomain + trainCount)]) },
            validation: domains.indices.map { Array(trainOrder[($0 * perDomain + trainCount)..<(($0 + 1) * perDomain)]) },
            test: domains.indices.map { Array(testOrder[($0 * testCount)..<(($0 + 1) * testCount)]) })
    }

    /// Builds the dataset from `source`.
    public func make(from source: FashionMNIST) throws(DatasetError) -> MultiTaskDataset {
        let assignment = try assignment(trainingImageCount: source.trainImages.rows, testImageCount: source.testImages.rows)
        let side = FashionMNIST.imageSide
        return MultiTaskDataset(
            name: "multi-domain-fashion", tasks: tasks, inputShape: [1, side, side],
            train: split(assignment.train, images: source.trainImages, labels: source.trainLabels, index: 0),
            validation: split(assignment.validation, images: source.trainImages, labels: source.trainLabels, index: 1),
            test: split(assignment.test, images: source.testImages, labels: source.testLabels, index: 2))
    }

    /// Builds the dataset from the Fashion-MNIST files in `FashionMNIST.configuredDirectory`.
    public func make() throws(DatasetError) -> MultiTaskDataset {
        try make(from: FashionMNIST())
    }

    /// Marks MultiDomainFashion's random streams ("MDOM") apart from other users of the seed.
    private static let streamTag: UInt64 = 0x4D44_4F4D_0000_0000

    private func validate(trainingImageCount: Int, testImageCount: Int) throws(DatasetError) {
        guard !domains.isEmpty else {
            throw .invalidParameter(name: "domains", value: "[]", requirement: "needs at least one domain")
        }
        guard Set(domains).count == domains.count else {
            throw .invalidParameter(name: "domains", value: domains.map(\.rawValue).joined(separator: ","),
                                    requirement: "each domain may appear once")
        }
        guard trainCount >= 1 else {
            throw .invalidParameter(name: "trainCount", value: "\(trainCount)", requirement: "must be at least 1")
        }
        for (name, value) in [("validationCount", validationCount), ("testCount", testCount)] where value < 0 {
            throw .invalidParameter(name: name, value: "\(value)", requirement: "must be non-negative")
        }
        let k = domains.count
        guard k * (trainCount + validationCount) <= trainingImageCount else {
            throw .invalidParameter(
                name: "trainCount", value: "\(trainCount)",
                requirement: "\(k) domains x (\(trainCount) train + \(validationCount) validation) exceed the \(trainingImageCount) training images")
        }
        guard k * testCount <= testImageCount else {
            throw .invalidParameter(name: "testCount", value: "\(testCount)",
                                    requirement: "\(k) domains x \(testCount) exceed the \(testImageCount) test images")
        }
    }

    /// The examples of every domain of one split (`index` 0 train, 1 validation, 2 test), in
    /// a seeded shuffled order; targets: the class for the example's domain, -1 for the others.
    private func split(_ imagesByDomain: [[Int]], images: Matrix<Float>, labels: [UInt8], index: UInt64) -> DataSplit {
        let width = images.columns, side = FashionMNIST.imageSide
        let examples = imagesByDomain.enumerated().flatMap { domain, indices in indices.map { (domain: domain, image: $0) } }
        var shuffle = RandomGenerator(seed: seed, stream: Self.streamTag | (0x10 + index))
        let order = shuffle.permutation(examples.count)
        // The noise of each domain and split comes from its own stream, drawn in the order of
        // the domain's image list (not the shuffled order).
        var transformed = [[Float]](repeating: [], count: examples.count)
        var position = 0
        for (domain, indices) in imagesByDomain.enumerated() {
            var noise = RandomGenerator(seed: seed, stream: Self.streamTag | (0x100 + index << 4 + UInt64(domain)))
            for image in indices {
                let pixels = Array(images.storage[(image * width)..<((image + 1) * width)])
                transformed[position] = domains[domain].apply(to: pixels, side: side, generator: &noise)
                position += 1
            }
        }
        var inputs = Matrix<Float>(rows: examples.count, columns: width)
        var targets = domains.map { _ in
            Matrix<Float>(rows: examples.count, columns: 1,
                          storage: [Float](repeating: Self.missingLabel, count: examples.count))
        }
        for (row, source) in order.enumerated() {
            inputs.storage.replaceSubrange((row * width)..<((row + 1) * width), with: transformed[source])
            let example = examples[source]
            targets[example.domain].storage[row] = Float(labels[example.image])
        }
        return DataSplit(inputs: inputs, targets: targets)
    }
}
