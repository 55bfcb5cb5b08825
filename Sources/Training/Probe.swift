import Datasets
import Linalg
import Nets

/// The trajectory probe of one run: a fixed batch of training examples, drawn once, on which
/// `measure` computes the `/probe` row of the record (task-gradient Gramian and cosines,
/// sharpness, Hessian and Fisher traces, gradient noise, coherence, directional conflict,
/// distance from initialization, weight norm).
///
/// Everything is deterministic in (seed, step): the batch in the seed alone, the Lanczos start
/// vectors and the Hutchinson vectors in (seed, step), so a resumed run reproduces its probes
/// bit for bit (given the same BLAS threading).
public struct Probe: Sendable {
    /// The batch sizes and Hessian budgets.
    public let configuration: ProbeConfiguration
    /// The run's seed.
    public let seed: UInt64
    /// The dataset task feeding each model head, in head order.
    public let tasks: [Int]
    /// The probe batch: indices into the training split, `batchSize` of them.
    public let indices: [Int]
    /// `B x inputWidth`: the probe batch's inputs.
    let inputs: Matrix<Float>
    /// One target matrix per model head (the dataset tasks `tasks`), `B` rows each.
    let targets: [Matrix<Float>]

    /// Marks the probe's random streams ("PROB", "PHES") apart from other users of the run seed.
    static let batchStream: UInt64 = 0x5052_4F42_0000_0000
    static let hessianStreamBase: UInt64 = 0x5048_4553_0000_0000

    /// Draws the probe batch: the first `batchSize` indices of a permutation of the split, from
    /// `RandomGenerator(seed: seed, stream: Probe.batchStream)`.
    ///
    /// - Parameters:
    ///   - split: the training split.
    ///   - tasks: for each model head, the index of its dataset task in `split.targets`.
    ///   - configuration: validated here.
    ///   - seed: the run's seed.
    /// - Throws: `HyperparameterError` naming `probe.<field>`: an invalid configuration, or
    ///   `probe.batchSize` when the split has fewer examples than the batch.
    public init(split: DataSplit, tasks: [Int], configuration: ProbeConfiguration, seed: UInt64) throws {
        try configuration.validate()
        precondition(!tasks.isEmpty, "the probe needs at least one task")
        for task in tasks {
            precondition(split.targets.indices.contains(task), "task \(task) is not in the split's \(split.targets.count) tasks")
        }
        guard split.count >= configuration.batchSize else {
            throw HyperparameterError(
                field: "probe.batchSize",
                message: "probe.batchSize must be at most the number of training examples (got \(configuration.batchSize), the split has \(split.count))")
        }
        var generator = RandomGenerator(seed: seed, stream: Self.batchStream)
        let indices = Array(generator.permutation(split.count).prefix(configuration.batchSize))
        self.configuration = configuration
        self.seed = seed
        self.tasks = tasks
        self.indices = indices
        self.inputs = split.inputs.gatherRows(indices)
        self.targets = tasks.map { split.targets[$0].gatherRows(indices) }
    }

    /// Measures `model` on the probe batch.
    ///
    /// With B = `batchSize`, b = `microbatchSize`, m = B / b, task gradients of the mean loss:
    /// - gradients: g_B,t = mean of the m microbatch task gradients (= the gradient on the whole
    ///   batch); `gramian` and `cosine` of g_B over the shared parameters;
    /// - noise (McCandlish et al. 2018, appendix A), on each task's full gradient (trunk and own
    ///   head): |G|² ≈ (B|g_B|² − b mean|g_b|²)/(B − b), tr Σ ≈ (mean|g_b|² − |g_B|²)/(1/b − 1/B),
    ///   `gradientNoiseTrace` = tr Σ, `noiseScale` = tr Σ / |G|²;
    /// - `coherence`: the mean pairwise cosine of a task's m microbatch gradients,
    ///   (|Σ_a u_a|² − m)/(m(m − 1)) with u_a the unit gradients: 1 when all point the same way,
    ///   about 0 (order 1/m) for noise;
    /// - `directionalConflict`: |mean_t g_B,t/|g_B,t|| over the shared parameters (1 for T = 1);
    /// - `fisherTrace`: the mean over the batch's labelled examples of the per-example squared
    ///   gradient norms (NaN for a task with no labelled example in the batch);
    /// - examples without a label for a task (`LossKind.missingLabel`) count for none of the task's
    ///   values: its big-batch gradient is the mean over its labelled examples, and the noise and
    ///   coherence estimates use the microbatches holding its labels (see `MicrobatchGradients`);
    /// - on the first `hessianBatchSize` examples: `sharpness`, the top Hessian eigenvalue by
    ///   Lanczos (`lanczosIterations`, `lanczosTolerance`) of each task's loss (one-hot weights)
    ///   then of `sum_t w_t L_t` (the run's `weights`); `hessianTrace`, Hutchinson with
    ///   `hutchinsonSamples` Rademacher vectors z, mean of zᵀHz, the same z for every task and the
    ///   total's estimate `sum_t w_t` times the tasks' (exactly what the same z give for the total);
    /// - `distanceFromInitialization` |θ − θ₀| and `weightNorm` |θ|.
    ///
    /// - Parameters:
    ///   - model: the model being trained; one head per entry of `tasks`.
    ///   - initialParameters: θ₀, the parameters at step 0 (the model's layout).
    ///   - weights: the run's task weights w_t of the total loss, T values.
    ///   - step: the optimizer step; seeds the Lanczos and Hutchinson vectors with the run seed.
    public func measure(model: MultiTaskModel<Float>, initialParameters: [Float], weights: [Double], step: Int) -> ProbeMeasurement {
        Self.measure(model: model, inputs: inputs, targets: targets, configuration: configuration, seed: seed,
                     initialParameters: initialParameters, weights: weights, step: step)
    }

    /// `measure` on a given batch, in either precision (the tests check it in Double).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func measure<Scalar: BLASScalar>(
        model: MultiTaskModel<Scalar>, inputs: Matrix<Scalar>, targets: [Matrix<Scalar>],
        configuration: ProbeConfiguration, seed: UInt64, initialParameters: [Scalar], weights: [Double], step: Int
    ) -> ProbeMeasurement {
        let taskCount = model.taskCount, p = model.layout.count
        precondition(targets.count == taskCount && weights.count == taskCount, "one target matrix and weight per model head")
        precondition(initialParameters.count == p, "initial parameters have \(initialParameters.count) scalars, the model \(p)")
        precondition(inputs.rows == configuration.batchSize, "the probe batch has \(inputs.rows) examples, not \(configuration.batchSize)")

        // Gradients, noise and coherence: one pass over the microbatches.
        let microbatches = MicrobatchGradients(model: model, inputs: inputs, targets: targets,
                                               microbatchSize: configuration.microbatchSize)
        let gramian = Linalg.gramian(ofRows: microbatches.bigBatch, columns: model.layout.sharedCount)
        let cosine = cosines(fromGramian: gramian)
        let noise = (0..<taskCount).map(microbatches.noise)

        // The empirical Fisher's trace: mean per-example squared gradient norm.
        let perExample = model.perExampleSquaredGradientNorms(inputs: inputs, targets: targets)
        let fisherTrace = (0..<taskCount).map { t in
            perExample.row(t).reduce(0, +) / Double(model.heads[t].loss.labelledCount(targets: targets[t]))
        }

        // Sharpness and Hessian traces on the Hessian batch.
        let hessianRange = 0..<configuration.hessianBatchSize
        let hessianInputs = inputs.rows(hessianRange), hessianTargets = targets.map { $0.rows(hessianRange) }
        let taskProducts = (0..<taskCount).map { t in
            HessianVectorProduct(model: model, inputs: hessianInputs, targets: hessianTargets,
                                 weights: (0..<taskCount).map { $0 == t ? 1 : 0 })
        }
        let totalProduct = HessianVectorProduct(model: model, inputs: hessianInputs, targets: hessianTargets,
                                                weights: weights.map { Scalar($0) })
        var generator = RandomGenerator(seed: seed, stream: hessianStreamBase &+ UInt64(truncatingIfNeeded: step))
        let sharpness = (taskProducts + [totalProduct]).map { product in
            topEigenvalueByLanczos(dimension: p, tolerance: configuration.lanczosTolerance,
                                   maxIterations: configuration.lanczosIterations, seed: generator.next(),
                                   product: product.apply).value
        }
        let taskTraces = hutchinsonTraces(dimension: p, samples: configuration.hutchinsonSamples, generator: &generator,
                                          operators: taskProducts.map { $0.apply })
        let totalTrace = zip(weights, taskTraces).reduce(0) { $0 + $1.0 * $1.1 }

        // Distance from initialization and weight norm.
        var displacement = model.parameters
        axpy(-1, initialParameters, &displacement)
        let distance = displacement.withUnsafeBufferPointer { preciseDot($0, $0) }.squareRoot()
        let weightNorm = model.parameters.withUnsafeBufferPointer { preciseDot($0, $0) }.squareRoot()

        return ProbeMeasurement(
            gramian: gramian, cosine: cosine, sharpness: sharpness, hessianTrace: taskTraces + [totalTrace],
            fisherTrace: fisherTrace, gradientNoiseTrace: noise.map(\.trace), noiseScale: noise.map(\.scale),
            coherence: (0..<taskCount).map(microbatches.coherence),
            directionalConflict: directionalConflict(cosines: cosine),
            distanceFromInitialization: distance, weightNorm: weightNorm)
    }
}
