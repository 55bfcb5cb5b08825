import Datasets
import Linalg
import Nets
import Testing
@testable import Training

/// A hand-made split: `count` Gaussian inputs of width 6, task 0 a 3-class label, task 1 a
/// regression value, task 2 another regression value.
func probeSplit(count: Int = 64, seed: UInt64 = 11) -> DataSplit {
    var generator = RandomGenerator(seed: seed)
    let inputs = Matrix<Float>(rows: count, columns: 6, storage: (0..<(count * 6)).map { _ in Float(generator.normal()) })
    let labels = Matrix<Float>(rows: count, columns: 1, storage: (0..<count).map { _ in Float(generator.integer(below: 3)) })
    let values = Matrix<Float>(rows: count, columns: 1, storage: (0..<count).map { _ in Float(generator.normal()) })
    let others = Matrix<Float>(rows: count, columns: 1, storage: (0..<count).map { _ in Float(generator.normal()) })
    return DataSplit(inputs: inputs, targets: [labels, values, others])
}

/// A Tanh MLP 6 -> 5 -> 4 with a 3-class head and a regression head (P = 35 + 24 + 15 + 5 = 79).
func probeModel(seed: UInt64 = 5) -> MultiTaskModel<Float> {
    .multilayerPerceptron(inputWidth: 6, trunkWidths: [5, 4], activation: .tanh,
                          heads: [("class", 3, .crossEntropy), ("value", 1, .meanSquaredError)], seed: seed)
}

/// B = 32 in microbatches of 8; Hessian on the first 16; Lanczos run to exhaustion.
let smallProbeConfiguration = ProbeConfiguration(batchSize: 32, microbatchSize: 8, hessianBatchSize: 16,
                                                 lanczosIterations: 200, lanczosTolerance: 1e-12, hutchinsonSamples: 4)

/// Largest |a_i - b_i| over the largest |b_i|.
func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    let scale = b.map(abs).max() ?? 0
    let difference = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    return scale == 0 ? difference : difference / scale
}

func squaredNorm<Scalar: BLASScalar>(_ v: some Collection<Scalar>) -> Double {
    v.reduce(0.0) { $0 + Double($1) * Double($1) }
}

func dotProduct<Scalar: BLASScalar>(_ a: some Collection<Scalar>, _ b: some Collection<Scalar>) -> Double {
    zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// The full Hessian of `sum_t w_t L_t` on a batch, assembled column by column from HVPs.
func assembledHessian(_ model: MultiTaskModel<Double>, _ inputs: Matrix<Double>, _ targets: [Matrix<Double>],
                      weights: [Double]) -> Matrix<Double> {
    let hvp = HessianVectorProduct(model: model, inputs: inputs, targets: targets, weights: weights)
    let p = model.layout.count
    var hessian = Matrix<Double>(rows: p, columns: p)
    for j in 0..<p {
        var unit = [Double](repeating: 0, count: p)
        unit[j] = 1
        let column = hvp.apply(unit)
        for i in 0..<p { hessian[i, j] = column[i] }
    }
    return hessian
}

@Suite struct ProbeTests {
    let split = probeSplit()
    let probe: Probe
    let model = probeModel()

    init() throws {
        probe = try Probe(split: split, tasks: [0, 1], configuration: smallProbeConfiguration, seed: 42)
    }

    /// The probe batch in Double, for the Double measurements.
    var doubleBatch: (inputs: Matrix<Double>, targets: [Matrix<Double>]) {
        (probe.inputs.converted(to: Double.self), probe.targets.map { $0.converted(to: Double.self) })
    }

    func measureInDouble(_ model: MultiTaskModel<Double>, configuration: ProbeConfiguration = smallProbeConfiguration,
                         weights: [Double] = [0.3, 0.7], step: Int = 0) -> ProbeMeasurement {
        let batch = doubleBatch
        return Probe.measure(model: model, inputs: batch.inputs, targets: batch.targets, configuration: configuration,
                             seed: 42, initialParameters: model.parameters, weights: weights, step: step)
    }

    // MARK: The probe batch

    @Test func theBatchIsThePrefixOfASeededPermutationWithTheChosenTasks() throws {
        var generator = RandomGenerator(seed: 42, stream: Probe.batchStream)
        let expected = Array(generator.permutation(64).prefix(32))
        #expect(probe.indices == expected)
        #expect(Set(probe.indices).count == 32)
        let gathered = split.gathering(expected)
        #expect(probe.inputs == gathered.inputs)
        #expect(probe.targets == [gathered.targets[0], gathered.targets[1]])

        let again = try Probe(split: split, tasks: [2, 0], configuration: smallProbeConfiguration, seed: 42)
        #expect(again.indices == probe.indices)
        #expect(again.targets == [gathered.targets[2], gathered.targets[0]])
        let otherSeed = try Probe(split: split, tasks: [0, 1], configuration: smallProbeConfiguration, seed: 43)
        #expect(otherSeed.indices != probe.indices)
    }

    @Test func aSplitSmallerThanTheBatchOrAnInvalidConfigurationIsAnError() {
        let tooSmall = hyperparameterError {
            _ = try Probe(split: probeSplit(count: 20), tasks: [0], configuration: smallProbeConfiguration, seed: 1)
        }
        #expect(tooSmall?.field == "probe.batchSize")
        #expect(tooSmall?.description == "probe.batchSize must be at most the number of training examples (got 32, the split has 20)")
        let invalid = hyperparameterError {
            _ = try Probe(split: split, tasks: [0], configuration: ProbeConfiguration(batchSize: 32, microbatchSize: 5, hessianBatchSize: 16), seed: 1)
        }
        #expect(invalid?.field == "probe.microbatchSize")
    }

    // MARK: Big-batch gradients, Gramian, cosines

    @Test func theBigBatchGradientIsTheGradientOnTheWholeBatch() {
        let microbatches = MicrobatchGradients(model: model, inputs: probe.inputs, targets: probe.targets, microbatchSize: 8)
        let full = model.taskGradients(inputs: probe.inputs, targets: probe.targets)
        #expect(microbatches.microbatchCount == 4)
        #expect(relativeDifference(microbatches.bigBatch.storage.map(Double.init), full.matrix.storage.map(Double.init)) < 1e-5)

        let measurement = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 0)
        let shared = full.sharedCount
        for i in 0..<2 {
            for j in 0..<2 {
                let expected = dotProduct(full.gradient(i)[..<shared], full.gradient(j)[..<shared])
                #expect(abs(measurement.gramian[i, j] - expected) <= 1e-5 * measurement.gramian[i, i].squareRoot() * measurement.gramian[j, j].squareRoot())
                let cosine = expected / (squaredNorm(full.gradient(i)[..<shared]) * squaredNorm(full.gradient(j)[..<shared])).squareRoot()
                #expect(abs(measurement.cosine[i, j] - cosine) < 1e-5)
            }
        }
        #expect(measurement.gramian[0, 1] == measurement.gramian[1, 0])
        #expect(measurement.cosine == cosines(fromGramian: measurement.gramian))
        #expect(measurement.taskCount == 2)
    }

    // MARK: Gradient noise

    @Test func theNoiseEstimatorsRecoverTheirModel() {
        // E|g_n|² = |G|² + tr Σ / n: with |G|² = 3, tr Σ = 5, b = 4, B = 64 the estimators are exact.
        let noise = GradientNoise(bigBatchSquaredNorm: 3 + 5.0 / 64, meanSmallBatchSquaredNorm: 3 + 5.0 / 4,
                                  bigBatchSize: 64, smallBatchSize: 4)
        #expect(abs(noise.squaredGradientNorm - 3) < 1e-12)
        #expect(abs(noise.trace - 5) < 1e-12)
        #expect(abs(noise.scale - 5.0 / 3) < 1e-12)
        // Identical microbatch gradients: |g_b|² = |g_B|², no noise.
        let identical = GradientNoise(bigBatchSquaredNorm: 4, meanSmallBatchSquaredNorm: 4, bigBatchSize: 1024, smallBatchSize: 16)
        #expect(identical.trace == 0 && identical.squaredGradientNorm == 4 && identical.scale == 0)
        // Two single examples (1, 0) and (0, 1): g_B = (1/2, 1/2), |G|² estimate 0, tr Σ = 1.
        let opposite = GradientNoise(bigBatchSquaredNorm: 0.5, meanSmallBatchSquaredNorm: 1, bigBatchSize: 2, smallBatchSize: 1)
        #expect(opposite.squaredGradientNorm == 0 && opposite.trace == 1)
        #expect(opposite.scale.isNaN)
    }

    /// Microbatch task gradients computed one by one, independently of `MicrobatchGradients`.
    func microbatchGradients() -> [[[Float]]] {
        (0..<4).map { a in
            let range = (a * 8)..<((a + 1) * 8)
            let g = model.taskGradients(inputs: probe.inputs.rows(range), targets: probe.targets.map { $0.rows(range) })
            return [g.gradient(0), g.gradient(1)]
        }
    }

    @Test func noiseAndCoherenceMatchTheirDefinitionsOnTheMicrobatchGradients() {
        let measurement = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 0)
        let microbatches = microbatchGradients()
        for t in 0..<2 {
            let vectors = microbatches.map { $0[t].map(Double.init) }
            let p = vectors[0].count
            let mean = (0..<p).map { i in vectors.reduce(0) { $0 + $1[i] } / 4 }
            let big = squaredNorm(mean), small = vectors.map(squaredNorm).reduce(0, +) / 4
            let trace = (small - big) / (1.0 / 8 - 1.0 / 32)
            let signal = (32 * big - 8 * small) / (32 - 8)
            #expect(abs(measurement.gradientNoiseTrace[t] - trace) <= 1e-4 * abs(trace), "task \(t)")
            #expect(abs(measurement.noiseScale[t] - trace / signal) <= 1e-3 * abs(trace / signal), "task \(t)")
            var cosineSum = 0.0
            for a in 0..<4 {
                for c in 0..<4 where a != c {
                    cosineSum += dotProduct(vectors[a], vectors[c]) / (squaredNorm(vectors[a]) * squaredNorm(vectors[c])).squareRoot()
                }
            }
            #expect(abs(measurement.coherence[t] - cosineSum / 12) < 1e-5, "task \(t)")
            #expect(measurement.gradientNoiseTrace[t] > 0)
        }
    }

    @Test func aBatchOfOneRepeatedExampleHasNoNoiseAndFullCoherence() throws {
        let one = split.gathering([Int](repeating: 3, count: 64))
        let repeated = try Probe(split: one, tasks: [0, 1], configuration: smallProbeConfiguration, seed: 42)
        let measurement = repeated.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 0)
        let full = model.taskGradients(inputs: repeated.inputs, targets: repeated.targets)
        for t in 0..<2 {
            let signal = squaredNorm(full.gradient(t))
            #expect(abs(measurement.gradientNoiseTrace[t]) <= 1e-5 * signal / (1.0 / 8 - 1.0 / 32))
            #expect(abs(measurement.noiseScale[t]) <= 1e-4)
            #expect(abs(measurement.coherence[t] - 1) < 1e-5)
            // Every example has the same gradient, so the Fisher trace is its squared norm.
            #expect(abs(measurement.fisherTrace[t] - signal) <= 1e-5 * signal)
        }
    }

    // MARK: Coherence and directional conflict in closed form

    @Test func coherenceOfHandPickedVectors() {
        // u1 = (1, 0), u2 = (0, 1), u3 = (1, 1)/√2: cosines 0, 1/√2, 1/√2, mean √2/3.
        let r = 1 / 2.0.squareRoot()
        let sum = [1 + r, 1 + r]
        #expect(abs(coherence(squaredNormOfUnitSum: squaredNorm(sum), nonzeroCount: 3, count: 3) - 2.0.squareRoot() / 3) < 1e-12)
        // All the same way: 1; a zero vector among (1, 0), (1, 0), 0: pairwise cosines 1, 0, 0, mean 1/3.
        #expect(abs(coherence(squaredNormOfUnitSum: 16, nonzeroCount: 4, count: 4) - 1) < 1e-12)
        #expect(abs(coherence(squaredNormOfUnitSum: 4, nonzeroCount: 2, count: 3) - 1.0 / 3) < 1e-12)
        // Two opposite vectors: -1, the least value for m = 2.
        #expect(coherence(squaredNormOfUnitSum: 0, nonzeroCount: 2, count: 2) == -1)
    }

    @Test func directionalConflictInClosedForm() {
        #expect(directionalConflict(cosines: Matrix([[1]])) == 1)
        #expect(abs(directionalConflict(cosines: Matrix([[1, 1], [1, 1]])) - 1) < 1e-12)
        #expect(abs(directionalConflict(cosines: Matrix([[1, 0], [0, 1]])) - 1 / 2.0.squareRoot()) < 1e-12)
        #expect(directionalConflict(cosines: Matrix([[1, -1], [-1, 1]])) == 0)
        // Three at 120 degrees cancel; rounding may leave a tiny negative sum, clamped to 0.
        #expect(directionalConflict(cosines: Matrix([[1, -0.5, -0.5], [-0.5, 1, -0.5], [-0.5, -0.5, 1]])) < 1e-7)
    }

    @Test func directionalConflictOfTheMeasurementMatchesTheUnitBigBatchGradients() throws {
        let measurement = measureInDouble(model.converted(to: Double.self))
        let full = model.converted(to: Double.self).taskGradients(inputs: doubleBatch.inputs, targets: doubleBatch.targets)
        let shared = full.sharedCount
        let units = (0..<2).map { t in
            let g = Array(full.gradient(t)[..<shared])
            return g.map { $0 / squaredNorm(g).squareRoot() }
        }
        let mean = (0..<shared).map { (units[0][$0] + units[1][$0]) / 2 }
        #expect(abs(measurement.directionalConflict - squaredNorm(mean).squareRoot()) < 1e-10)

        // One task: 1.
        let single = MultiTaskModel<Float>.multilayerPerceptron(inputWidth: 6, trunkWidths: [5], heads: [("value", 1, .meanSquaredError)], seed: 2)
        let singleProbe = try Probe(split: split, tasks: [1], configuration: smallProbeConfiguration, seed: 42)
        let singleMeasurement = singleProbe.measure(model: single, initialParameters: single.parameters, weights: [1], step: 0)
        #expect(abs(singleMeasurement.directionalConflict - 1) < 1e-6)
        #expect(singleMeasurement.gramian.rows == 1 && singleMeasurement.sharpness.count == 2)
    }

    // MARK: Fisher trace

    @Test func fisherTraceIsTheMeanSquaredNormOfSingleExampleGradients() {
        let measurement = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 0)
        var expected = [0.0, 0.0]
        for i in 0..<32 {
            let g = model.taskGradients(inputs: probe.inputs.rows(i..<(i + 1)), targets: probe.targets.map { $0.rows(i..<(i + 1)) })
            for t in 0..<2 { expected[t] += squaredNorm(g.gradient(t)) / 32 }
        }
        #expect(relativeDifference(measurement.fisherTrace, expected) < 1e-5)
    }

    // MARK: Sharpness and Hessian trace against the assembled Hessian

    @Test func sharpnessIsTheTopEigenvalueOfTheAssembledHessians() throws {
        let doubleModel = model.converted(to: Double.self)
        let weights = [0.3, 0.7]
        let measurement = measureInDouble(doubleModel, weights: weights)
        let batch = doubleBatch
        let inputs = batch.inputs.rows(0..<16), targets = batch.targets.map { $0.rows(0..<16) }
        for (index, w) in [[1.0, 0.0], [0.0, 1.0], weights].enumerated() {
            let hessian = assembledHessian(doubleModel, inputs, targets, weights: w)
            let exact = try symmetricEigenvalues(hessian).last!
            #expect(abs(measurement.sharpness[index] - exact) <= 1e-8 * abs(exact), "loss \(index): \(measurement.sharpness[index]) vs \(exact)")
        }
        // The Float probe with the default budget (20 iterations, tolerance 1e-3) lands close.
        let floatMeasurement = Probe.measure(
            model: model, inputs: probe.inputs, targets: probe.targets,
            configuration: ProbeConfiguration(batchSize: 32, microbatchSize: 8, hessianBatchSize: 16),
            seed: 42, initialParameters: model.parameters, weights: weights, step: 0)
        #expect(relativeDifference(floatMeasurement.sharpness, measurement.sharpness) < 1e-2)
    }

    @Test func hessianTraceIsTheMeanOfZHZOverTheSeededRademacherVectors() {
        let doubleModel = model.converted(to: Double.self)
        let weights = [0.3, 0.7], step = 17
        let measurement = measureInDouble(doubleModel, weights: weights, step: step)
        let batch = doubleBatch
        let inputs = batch.inputs.rows(0..<16), targets = batch.targets.map { $0.rows(0..<16) }
        let hessians = [[1.0, 0.0], [0.0, 1.0]].map { assembledHessian(doubleModel, inputs, targets, weights: $0) }
        // The stream: T + 1 Lanczos seeds first, then the Rademacher vectors.
        var generator = RandomGenerator(seed: 42, stream: Probe.hessianStreamBase &+ UInt64(step))
        for _ in 0..<3 { _ = generator.next() }
        var expected = [0.0, 0.0]
        for _ in 0..<4 {
            let z: [Double] = rademacherVector(doubleModel.layout.count, generator: &generator)
            #expect(z.allSatisfy { $0 == 1 || $0 == -1 })
            for t in 0..<2 { expected[t] += dotProduct(z, matrixProduct(hessians[t], Matrix(rows: z.count, columns: 1, storage: z)).storage) / 4 }
        }
        #expect(relativeDifference(Array(measurement.hessianTrace[..<2]), expected) < 1e-10)
        #expect(abs(measurement.hessianTrace[2] - (0.3 * measurement.hessianTrace[0] + 0.7 * measurement.hessianTrace[1]))
                <= 1e-12 * measurement.hessianTrace.map(abs).max()!)
    }

    @Test func hutchinsonWithManySamplesApproachesTheExactTrace() {
        let doubleModel = model.converted(to: Double.self)
        let samples = 400
        var configuration = smallProbeConfiguration
        configuration.hutchinsonSamples = samples
        configuration.lanczosIterations = 2
        let weights = [0.3, 0.7]
        let measurement = measureInDouble(doubleModel, configuration: configuration, weights: weights)
        let batch = doubleBatch
        let inputs = batch.inputs.rows(0..<16), targets = batch.targets.map { $0.rows(0..<16) }
        for (index, w) in [[1.0, 0.0], [0.0, 1.0], weights].enumerated() {
            let hessian = assembledHessian(doubleModel, inputs, targets, weights: w)
            let p = hessian.rows
            let trace = (0..<p).reduce(0) { $0 + hessian[$1, $1] }
            // Var(zᵀHz) = 2 Σ_{i≠j} H_ij² per Rademacher sample: allow five standard errors.
            let offDiagonal = (0..<p).flatMap { i in (0..<p).filter { $0 != i }.map { hessian[i, $0] * hessian[i, $0] } }.reduce(0, +)
            let standardError = (2 * offDiagonal / Double(samples)).squareRoot()
            #expect(abs(measurement.hessianTrace[index] - trace) <= 5 * standardError,
                    "loss \(index): \(measurement.hessianTrace[index]) vs \(trace) ± \(standardError)")
        }
    }

    @Test func hutchinsonIsExactForADiagonalOperator() {
        let diagonal: [Double] = [3, -1, 0.5, 2, 7]
        var generator = RandomGenerator(seed: 1)
        let traces = hutchinsonTraces(dimension: 5, samples: 1, generator: &generator, operators: [
            { v in zip(diagonal, v).map { $0 * $1 } },
            { v in v.map { 2 * $0 } },
        ])
        #expect(traces == [11.5, 10])
    }

    @Test func rademacherVectorsAreBalancedSigns() {
        var generator = RandomGenerator(seed: 9)
        let z: [Float] = rademacherVector(10_000, generator: &generator)
        #expect(z.allSatisfy { $0 == 1 || $0 == -1 })
        #expect(abs(z.reduce(0, +)) < 400)  // 4 standard deviations of a sum of 10 000 signs
        let w: [Float] = rademacherVector(10_000, generator: &generator)
        #expect(w != z)
    }

    // MARK: Distances and determinism

    @Test func distanceFromInitializationAndWeightNorm() {
        var moved = model
        var generator = RandomGenerator(seed: 3)
        for i in moved.parameters.indices { moved.parameters[i] += Float(generator.normal()) * 0.1 }
        let measurement = probe.measure(model: moved, initialParameters: model.parameters, weights: [0.5, 0.5], step: 0)
        let difference = zip(moved.parameters, model.parameters).map { Double($0) - Double($1) }
        #expect(abs(measurement.distanceFromInitialization - squaredNorm(difference).squareRoot()) < 1e-6)
        #expect(abs(measurement.weightNorm - squaredNorm(moved.parameters).squareRoot()) < 1e-6)
        let atStart = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 0)
        #expect(atStart.distanceFromInitialization == 0)
    }

    /// Every number of a measurement, NaN-safe, for bitwise comparison.
    func bits(_ m: ProbeMeasurement) -> [UInt64] {
        (m.gramian.storage + m.cosine.storage + m.sharpness + m.hessianTrace + m.fisherTrace + m.gradientNoiseTrace
            + m.noiseScale + m.coherence + [m.directionalConflict, m.distanceFromInitialization, m.weightNorm]).map(\.bitPattern)
    }

    @Test func measuresAreDeterministicInSeedAndStep() throws {
        let configuration = ProbeConfiguration(batchSize: 32, microbatchSize: 8, hessianBatchSize: 16)
        let probe = try Probe(split: split, tasks: [0, 1], configuration: configuration, seed: 42)
        let first = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 100)
        let again = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 100)
        #expect(bits(first) == bits(again))
        let rebuilt = try Probe(split: split, tasks: [0, 1], configuration: configuration, seed: 42)
        #expect(bits(rebuilt.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 100)) == bits(first))

        let later = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 101)
        #expect(later.hessianTrace[0] != first.hessianTrace[0] && later.hessianTrace[1] != first.hessianTrace[1])
        // Nothing else is random.
        #expect(later.gramian == first.gramian && later.fisherTrace == first.fisherTrace && later.coherence == first.coherence)
    }
}
