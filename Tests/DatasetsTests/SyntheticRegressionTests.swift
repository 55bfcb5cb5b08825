import Datasets
import Linalg
import Testing

private func cosine(_ a: [Double], _ b: [Double]) -> Double {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    return dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot())
}

@Test(arguments: [0.9, 0.5, 0, -0.5, -0.9])
func directionsHaveCosineRho(rho: Double) throws {
    let truth = try SyntheticRegression(rho: rho, seed: 11).groundTruth()
    #expect(truth.directions.count == 2 && truth.directions[0].count == 100)
    #expect(abs(cosine(truth.directions[0], truth.directions[1]) - rho) <= 1e-9)
    for direction in truth.directions {
        #expect(abs(direction.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) <= 1e-9)  // |w_t| = c = 1
    }
    #expect(truth.frequencies.count == 10 && truth.phases.count == 10)
}

@Test func directionsFollowAnExplicitMatrix() throws {
    let matrix: [[Double]] = [[1, 0.8, -0.3], [0.8, 1, 0.1], [-0.3, 0.1, 1]]
    let truth = try SyntheticRegression(relatedness: matrix, inputDimension: 20, scale: 2, seed: 2).groundTruth()
    for i in 0..<3 {
        #expect(abs(truth.directions[i].reduce(0) { $0 + $1 * $1 }.squareRoot() - 2) <= 1e-9)
        for j in 0..<3 { #expect(abs(cosine(truth.directions[i], truth.directions[j]) - matrix[i][j]) <= 1e-9) }
    }
}

@Test func sixTasksOfMixedRelatedness() throws {
    // Two groups of three: 0.9 within a group, -0.2 across.
    let matrix = (0..<6).map { i in (0..<6).map { j in i == j ? 1 : (i / 3 == j / 3 ? 0.9 : -0.2) } }
    let builder = SyntheticRegression(relatedness: matrix, trainCount: 50, validationCount: 10, testCount: 10)
    let truth = try builder.groundTruth()
    for i in 0..<6 { for j in 0..<6 { #expect(abs(cosine(truth.directions[i], truth.directions[j]) - matrix[i][j]) <= 1e-9) } }
    let dataset = try builder.make()
    #expect(dataset.tasks.map(\.name) == ["t0", "t1", "t2", "t3", "t4", "t5"])
    #expect(dataset.train.targets.count == 6)
}

@Test func invalidRhoIsAnErrorNamingRho() throws {
    for rho in [1.2, -1.5] {
        let error = try #require(throws: DatasetError.self) { _ = try SyntheticRegression(rho: rho).make() }
        guard case .invalidParameter("rho", _, _) = error else { Issue.record("\(error)"); continue }
        #expect(error.description.contains("rho") && !error.description.contains("\n"))
    }
    let belowBound = try #require(throws: DatasetError.self) { _ = try SyntheticRegression(taskCount: 3, rho: -0.51).make() }
    guard case .invalidParameter("rho", _, _) = belowBound else { Issue.record("\(belowBound)"); return }
    #expect(throws: DatasetError.self) { _ = try SyntheticRegression(rho: 0, noiseStandardDeviation: -1).make() }
    #expect(throws: DatasetError.self) { _ = try SyntheticRegression(taskCount: 3, rho: 0, inputDimension: 2).make() }
}

@Test func rhoOneGivesIdenticalNoiselessTargets() throws {
    let dataset = try SyntheticRegression(rho: 1, noiseStandardDeviation: 0, trainCount: 200, validationCount: 50, testCount: 50).make()
    for split in [dataset.train, dataset.validation, dataset.test] {
        #expect(split.targets[0] == split.targets[1])
    }
    let noisy = try SyntheticRegression(rho: 1, trainCount: 200).make()
    #expect(noisy.train.targets[0] != noisy.train.targets[1])
}

@Test func targetsAreTheLinearPartPlusSinesPlusNoise() throws {
    // Without sines and noise the target is exactly w_t.x.
    let linear = SyntheticRegression(rho: 0.3, inputDimension: 8, sineCount: 0, noiseStandardDeviation: 0,
                                     trainCount: 20, validationCount: 5, testCount: 5, seed: 9)
    let truth = try linear.groundTruth()
    let dataset = try linear.make()
    for example in 0..<20 {
        let input = dataset.train.inputs.row(example).map(Double.init)
        for task in 0..<2 {
            let projection = zip(truth.directions[task], input).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(Double(dataset.train.targets[task][example, 0]) - projection) <= 1e-5 * max(1, abs(projection)))
        }
    }
    // The residual against the noiseless target has the requested standard deviation.
    let noisy = SyntheticRegression(rho: 0.3, noiseStandardDeviation: 0.5, trainCount: 4000, validationCount: 1, testCount: 1, seed: 9)
    let noisyTruth = try noisy.groundTruth(), noisyData = try noisy.make()
    var sumOfSquares = 0.0
    for example in 0..<4000 {
        let input = noisyData.train.inputs.row(example).map(Double.init)
        let residual = Double(noisyData.train.targets[0][example, 0]) - noisyTruth.noiselessTarget(task: 0, input: input)
        sumOfSquares += residual * residual
    }
    #expect(abs((sumOfSquares / 4000).squareRoot() - 0.5) < 0.03)
}

@Test func shapesNamesAndDeterminism() throws {
    let builder = SyntheticRegression(taskCount: 3, rho: 0.2, inputDimension: 30, trainCount: 100, validationCount: 40, testCount: 60, seed: 21)
    let dataset = try builder.make()
    #expect(dataset.inputShape == [30])
    #expect(dataset.tasks == [TaskInfo(name: "t0", kind: .regression, outputCount: 1),
                              TaskInfo(name: "t1", kind: .regression, outputCount: 1),
                              TaskInfo(name: "t2", kind: .regression, outputCount: 1)])
    #expect(dataset.train.count == 100 && dataset.validation.count == 40 && dataset.test.count == 60)
    #expect(dataset.train.targets.allSatisfy { $0.rows == 100 && $0.columns == 1 })
    #expect(try builder.make() == dataset)
    var other = builder
    other.seed = 22
    #expect(try other.make().train.inputs != dataset.train.inputs)
    // Defaults follow MMoE's setup.
    let defaults = SyntheticRegression(rho: 0.5)
    #expect(defaults.taskCount == 2 && defaults.inputDimension == 100 && defaults.sineCount == 10)
    #expect(defaults.scale == 1 && defaults.noiseStandardDeviation == 0.01)
    #expect(defaults.trainCount == 2000 && defaults.validationCount == 1000 && defaults.testCount == 1000)
}
