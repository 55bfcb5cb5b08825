import Testing
import Linalg
@testable import Datasets

@Suite struct MultiDomainFashionTests {
    /// A Fashion-MNIST-shaped source whose image i is the constant image (i + 1) / 100 with label
    /// i % 10 (train) and (i + 1) / 100 + 0.5 with label (i + 3) % 10 (test), so every example
    /// names its source image.
    let source: FashionMNIST = {
        let trainCount = 60, testCount = 20
        func images(_ count: Int, offset: Float) -> Matrix<Float> {
            Matrix(rows: count, columns: 784, storage: (0..<count).flatMap { [Float](repeating: Float($0 + 1) / 100 + offset, count: 784) })
        }
        return FashionMNIST(trainImages: images(trainCount, offset: 0), trainLabels: (0..<trainCount).map { UInt8($0 % 10) },
                            testImages: images(testCount, offset: 0.3), testLabels: (0..<testCount).map { UInt8(($0 + 3) % 10) })
    }()

    let builder = MultiDomainFashion(domains: [.original, .inverted, .rotated], trainCount: 10, validationCount: 4,
                                     testCount: 5, seed: 3)

    @Test func oneTenClassTaskPerDomainAndTheRequestedShapes() throws {
        let dataset = try builder.make(from: source)
        #expect(dataset.tasks.map(\.name) == ["original", "inverted", "rotated"])
        #expect(dataset.tasks.allSatisfy { $0.kind == .classification && $0.outputCount == 10 })
        #expect(dataset.inputShape == [1, 28, 28])
        #expect(dataset.train.count == 30 && dataset.validation.count == 12 && dataset.test.count == 15)
    }

    @Test func domainsGetDisjointImagesInEverySplit() throws {
        let assignment = try builder.assignment(trainingImageCount: 60, testImageCount: 20)
        let training = assignment.train.flatMap { $0 } + assignment.validation.flatMap { $0 }
        #expect(training.count == 42 && Set(training).count == 42)
        #expect(assignment.test.flatMap { $0 }.count == 15 && Set(assignment.test.flatMap { $0 }).count == 15)
        #expect(assignment.train.allSatisfy { $0.count == 10 } && assignment.test.allSatisfy { $0.count == 5 })
        #expect(assignment == (try builder.assignment(trainingImageCount: 60, testImageCount: 20)))
    }

    @Test func everyExampleCarriesItsImagesLabelForItsDomainAndNoLabelForTheOthers() throws {
        let dataset = try builder.make(from: source)
        let assignment = try builder.assignment(trainingImageCount: 60, testImageCount: 20)
        for (split, images, labels, offset) in [(dataset.train, assignment.train, source.trainLabels, Float(0)),
                                                 (dataset.test, assignment.test, source.testLabels, Float(0.3))] {
            var seen = [[Int]](repeating: [], count: 3)
            for row in 0..<split.count {
                let labelled = (0..<3).filter { split.targets[$0][row, 0] != -1 }
                #expect(labelled.count == 1)
                let domain = labelled[0]
                // Constant images: original keeps the value, inversion gives 1 - value, rotation keeps it.
                let value = split.inputs[row, 0]
                let original = domain == 1 ? 1 - value : value
                let image = Int(((original - offset) * 100).rounded()) - 1
                #expect(Int(split.targets[domain][row, 0]) == Int(labels[image]))
                seen[domain].append(image)
            }
            for domain in 0..<3 { #expect(seen[domain].sorted() == images[domain].sorted()) }
        }
    }

    @Test func everyExampleIsItsSourceImageThroughItsDomainsTransform() throws {
        // Images with a pixel gradient, so rotation and blur change them.
        func rampImages(_ count: Int) -> Matrix<Float> {
            var storage: [Float] = []
            for image in 0..<count {
                for pixel in 0..<784 { storage.append(Float((pixel * (image + 1) + image) % 784) / 784) }
            }
            return Matrix(rows: count, columns: 784, storage: storage)
        }
        let ramp = FashionMNIST(trainImages: rampImages(30), trainLabels: (0..<30).map { UInt8($0 % 10) },
                                testImages: rampImages(10), testLabels: (0..<10).map { UInt8($0 % 10) })
        let builder = MultiDomainFashion(domains: [.rotated, .blurred, .inverted], trainCount: 6, validationCount: 2, testCount: 3, seed: 1)
        let dataset = try builder.make(from: ramp)
        let assignment = try builder.assignment(trainingImageCount: 30, testImageCount: 10)
        var unused = RandomGenerator(seed: 0)
        for (split, images, source) in [(dataset.train, assignment.train, ramp.trainImages), (dataset.test, assignment.test, ramp.testImages)] {
            for row in 0..<split.count {
                let domain = (0..<3).first { split.targets[$0][row, 0] != -1 }!
                let matches = images[domain].filter {
                    builder.domains[domain].apply(to: source.row($0), side: 28, generator: &unused) == split.inputs.row(row)
                }
                #expect(matches.count == 1, "row \(row) of domain \(builder.domains[domain])")
            }
        }
    }

    @Test func theSplitInterleavesTheDomains() throws {
        let dataset = try builder.make(from: source)
        let firstDomains = (0..<12).map { row in (0..<3).first { dataset.train.targets[$0][row, 0] != -1 }! }
        #expect(Set(firstDomains).count == 3)  // not one domain after another
    }

    @Test func theSameSeedGivesTheSameDataAndTheNoiseIsSeeded() throws {
        let noisy = MultiDomainFashion(domains: [.noisy, .blurred], trainCount: 5, validationCount: 2, testCount: 3, seed: 9)
        let a = try noisy.make(from: source), b = try noisy.make(from: source)
        #expect(a == b)
        var other = noisy
        other.seed = 10
        #expect(try other.make(from: source) != a)
        #expect(a.train.inputs.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func defaultCountsFitAllFiveDomainsIntoFashionMNIST() {
        let defaults = MultiDomainFashion()
        #expect(defaults.domains == DomainTransform.allCases)
        #expect(5 * (defaults.trainCount + defaults.validationCount) == 60_000 && 5 * defaults.testCount == 10_000)
    }

    @Test func impossibleParametersNameTheParameter() {
        func name(_ builder: MultiDomainFashion) -> String? {
            do {
                _ = try builder.assignment(trainingImageCount: 60, testImageCount: 20)
                return nil
            } catch {
                if case .invalidParameter(let name, _, _) = error { return name }
                return "\(error)"
            }
        }
        #expect(name(MultiDomainFashion(domains: [], trainCount: 1)) == "domains")
        #expect(name(MultiDomainFashion(domains: [.original, .original], trainCount: 1)) == "domains")
        #expect(name(MultiDomainFashion(domains: [.original, .inverted], trainCount: 25, validationCount: 6, testCount: 1)) == "trainCount")
        #expect(name(MultiDomainFashion(domains: [.original, .inverted], trainCount: 5, validationCount: 1, testCount: 11)) == "testCount")
        #expect(name(MultiDomainFashion(domains: [.original], trainCount: 0)) == "trainCount")
    }
}
