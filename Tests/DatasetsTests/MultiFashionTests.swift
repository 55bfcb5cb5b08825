import Datasets
import Linalg
import Testing

/// A small MultiFashion built from the real Fashion-MNIST.
private func smallDataset(seed: UInt64) throws -> (MultiFashion, MultiTaskDataset) {
    let builder = MultiFashion(trainCount: 300, validationCount: 100, testCount: 100, seed: seed)
    return (builder, try builder.make(from: realFashionMNIST.get()))
}

@Test func hasTwoTenClassTasksAndTheRequestedShapes() throws {
    let (_, dataset) = try smallDataset(seed: 1)
    #expect(dataset.tasks.map(\.name) == ["left", "right"])
    #expect(dataset.tasks.allSatisfy { $0.kind == .classification && $0.outputCount == 10 })
    #expect(dataset.inputShape == [1, 28, 28])
    #expect(dataset.train.count == 300 && dataset.validation.count == 100 && dataset.test.count == 100)
    for split in [dataset.train, dataset.validation, dataset.test] {
        #expect(split.inputs.columns == 784)
        #expect(split.targets.map(\.columns) == [1, 1])
        #expect(split.inputs.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}

@Test func theSameSeedGivesTheSameDatasetAndAnotherSeedAnother() throws {
    let (_, first) = try smallDataset(seed: 7)
    let (_, again) = try smallDataset(seed: 7)
    let (_, other) = try smallDataset(seed: 8)
    #expect(first == again)
    #expect(first.train.inputs != other.train.inputs)
    #expect(first.test.inputs != other.test.inputs)
}

@Test func trainAndValidationDrawFromDisjointPoolsOfTrainingImages() throws {
    let pairing = try MultiFashion(trainCount: 3000, validationCount: 1000, testCount: 500, seed: 3)
        .pairing(trainingImageCount: 60000, testImageCount: 10000)
    let trainPool = Set(pairing.trainPool), validationPool = Set(pairing.validationPool)
    #expect(trainPool.isDisjoint(with: validationPool))
    #expect(trainPool.union(validationPool) == Set(0..<60000))
    #expect(validationPool.count == 15000)  // 60000 * 1000 / (3000 + 1000)
    let trainImages = Set(pairing.train.flatMap { [$0.left, $0.right] })
    let validationImages = Set(pairing.validation.flatMap { [$0.left, $0.right] })
    #expect(trainImages.isSubset(of: trainPool))
    #expect(validationImages.isSubset(of: validationPool))
    #expect(pairing.test.allSatisfy { (0..<10000).contains($0.left) && (0..<10000).contains($0.right) })
    for pair in pairing.train + pairing.validation + pairing.test { #expect(pair.left != pair.right) }
    #expect(pairing.train.count == 3000 && pairing.validation.count == 1000 && pairing.test.count == 500)
}

@Test func defaultSizesSplitTheTrainingSetFiftyToTenThousand() throws {
    let builder = MultiFashion()
    #expect(builder.trainCount == 50000 && builder.validationCount == 10000 && builder.testCount == 10000)
    let pairing = try builder.pairing(trainingImageCount: 60000, testImageCount: 10000)
    #expect(pairing.trainPool.count == 50000 && pairing.validationPool.count == 10000)
}

@Test func testPairsDoNotDependOnTheOtherCounts() throws {
    let small = try MultiFashion(trainCount: 10, validationCount: 5, testCount: 50, seed: 4)
        .pairing(trainingImageCount: 60000, testImageCount: 10000)
    let large = try MultiFashion(trainCount: 999, validationCount: 0, testCount: 50, seed: 4)
        .pairing(trainingImageCount: 60000, testImageCount: 10000)
    #expect(small.test == large.test)
    #expect(large.validationPool.isEmpty && large.trainPool.count == 60000)
}

@Test func labelsAndPixelsComeFromThePairedSourceImages() throws {
    let source = try realFashionMNIST.get()
    let (builder, dataset) = try smallDataset(seed: 5)
    let pairing = try builder.pairing(trainingImageCount: 60000, testImageCount: 10000)
    let resampler = BilinearResampler(sourceSide: 36, targetSide: 28)
    let splits: [(DataSplit, [MultiFashion.ImagePair], Matrix<Float>, [UInt8])] = [
        (dataset.train, pairing.train, source.trainImages, source.trainLabels),
        (dataset.validation, pairing.validation, source.trainImages, source.trainLabels),
        (dataset.test, pairing.test, source.testImages, source.testLabels),
    ]
    for (split, pairs, images, labels) in splits {
        for (index, pair) in pairs.enumerated() {
            #expect(split.targets[0][index, 0] == Float(labels[pair.left]))
            #expect(split.targets[1][index, 0] == Float(labels[pair.right]))
        }
        for index in [0, pairs.count - 1] {
            let pair = pairs[index]
            let expected = resampler.resampled(OverlayCanvas().composing(left: images.row(pair.left), right: images.row(pair.right)))
            #expect(split.inputs.row(index) == expected)
        }
    }
}

@Test func constantItemsGiveTheirValueInsideAndZeroInTheEmptyCorners() throws {
    // Two items of constant brightness 0.5: the canvas is 0.5 except its empty 8 x 8 corners
    // (top-right and bottom-left), so the resized middle is 0.5 and the corners are 0.
    let item = [Float](repeating: 0.5, count: 784)
    let source = FashionMNIST(trainImages: Matrix(rows: 4, columns: 784, storage: item + item + item + item),
                              trainLabels: [0, 1, 2, 3],
                              testImages: Matrix(rows: 2, columns: 784, storage: item + item), testLabels: [4, 5])
    let dataset = try MultiFashion(trainCount: 3, validationCount: 1, testCount: 2, seed: 0).make(from: source)
    let example = dataset.test.inputs.row(0)
    #expect(abs(example[14 * 28 + 14] - 0.5) <= 1e-6)
    #expect(abs(example[0] - 0.5) <= 1e-6)
    #expect(abs(example[27 * 28 + 27] - 0.5) <= 1e-6)
    #expect(example[0 * 28 + 27] == 0)
    #expect(example[27 * 28 + 0] == 0)
    #expect(Set(dataset.test.targets[0].storage + dataset.test.targets[1].storage) == [4, 5])
}

@Test func invalidCountsNameTheParameter() {
    let source = FashionMNIST(trainImages: Matrix(rows: 4, columns: 784), trainLabels: [0, 0, 0, 0],
                              testImages: Matrix(rows: 2, columns: 784), testLabels: [0, 0])
    #expect(throws: DatasetError.invalidParameter(name: "trainCount", value: "0", requirement: "must be at least 1")) {
        _ = try MultiFashion(trainCount: 0).make(from: source)
    }
    #expect(throws: DatasetError.invalidParameter(name: "testCount", value: "-1", requirement: "must be non-negative")) {
        _ = try MultiFashion(trainCount: 5, validationCount: 1, testCount: -1).make(from: source)
    }
}
