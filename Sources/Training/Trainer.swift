import Datasets
import Linalg
import Nets

/// What one training step measured.
public struct StepMeasurement: Sendable {
    /// The step's index, counting from 0.
    public var step: Int
    /// Per-task minibatch loss before the update.
    public var losses: [Double]
    /// Effective task weights applied: the direction is `sum_t w_t g_t` (the scalarization
    /// weights, what an MTO method chose this step, or one-hot for the task drawn in sampling mode).
    public var weights: [Double]
    /// Learning rate applied.
    public var learningRate: Double
    /// `T x T` Gramian of the task gradients over the shared parameters.
    public var gramian: Matrix<Double>
    /// Norm of the applied parameter update, |θ_after - θ_before|.
    public var updateNorm: Double
    /// The task gradients of the step (`T x P`) on the run's snapshot steps, else nil (kept
    /// only when needed: holding 2 MB past the update costs the step its cache).
    public var gradients: TaskGradients<Float>?
    /// Per task, the minibatch's examples labelled for it; a task with none has loss NaN (and a
    /// zero gradient) by `LossKind`'s convention, which is not divergence.
    public var labelledCounts: [Int]

    /// True when the loss of a task with labelled examples in the step, or a gradient, is NaN
    /// or infinite.
    public var diverged: Bool {
        !(zip(losses, labelledCounts).allSatisfy { $0.isFinite || $1 == 0 } && gramian.storage.allSatisfy(\.isFinite)
          && updateNorm.isFinite)
    }
}

/// A training run in progress: the model, the optimizer, the data cursor and the step count.
/// Each `takeStep()` takes one minibatch, computes every trained task's gradient, combines them
/// with the task weights and applies the optimizer. With `scalarization` sampling, a step first
/// draws one task with probability w_t / sum w from `generator`, takes the minibatch from that
/// task's labelled examples (`taskSamplers`) and applies its gradient alone.
public struct Trainer: Sendable {
    public let configuration: RunConfiguration
    public let dataset: MultiTaskDataset
    /// Dataset indices of the trained tasks, one per model head.
    public let tasks: [Int]
    /// The scalarization weights now (the probe's total loss uses them): the configuration's,
    /// until `replaceWeights(_:)` changes them (population-based training does).
    public internal(set) var weights: [Double]
    /// The rule that combines the task gradients of a step (scalarization or an MTO method).
    public var aggregator: any Aggregator
    public let totalSteps: Int
    public var model: MultiTaskModel<Float>
    public var optimizer: any Optimizer<Float>
    public var sampler: MinibatchSampler
    /// Sampling mode: for each trained task (head order), the training examples labelled for it,
    /// ascending indices into the training split. Empty in weighting mode.
    public let taskExamples: [[Int]]
    /// Sampling mode: per trained task, the sampler of minibatches over `taskExamples[t]` (its
    /// indices are positions in that list), seeded by `taskSamplerSeed`. Empty in weighting mode.
    public var taskSamplers: [MinibatchSampler]
    /// Random stream of the run's randomised choices (checkpointed with the rest).
    public var generator: RandomGenerator
    /// The parameters at initialisation, θ_0 (a function of the seed).
    public let initialParameters: [Float]
    /// Steps taken so far.
    public var step: Int = 0
    /// θ before the current update, for the update norm (a buffer reused every step).
    var previousParameters: [Float]

    /// The fixed-batch probe of the trajectory factors, when the run probes.
    public let probe: Probe?

    /// A fresh run of `configuration` (resolved against `dataset`) on `dataset`.
    public init(configuration: RunConfiguration, dataset: MultiTaskDataset) throws {
        try configuration.validate()
        let configuration = try configuration.resolved(for: dataset)
        try configuration.validate()
        self.configuration = configuration
        self.dataset = dataset
        tasks = try configuration.trainedTasks(of: dataset)
        weights = try configuration.resolvedWeights(taskCount: tasks.count)
        aggregator = try AggregatorChoice.make(configuration.method, taskCount: tasks.count, weights: weights)
        totalSteps = configuration.totalSteps(exampleCount: dataset.train.count)
        guard configuration.batchSize <= dataset.train.count else {
            throw HyperparameterError(field: "batchSize",
                                      message: "batchSize \(configuration.batchSize) exceeds the \(dataset.train.count) training examples")
        }
        let heads = tasks.map { index -> (name: String, outputs: Int, loss: LossKind) in
            let info = dataset.tasks[index]
            return (info.name, info.outputCount, info.kind == .classification ? .crossEntropy : .meanSquaredError)
        }
        model = configuration.model == .mlp
            ? try Self.makeModel(configuration: configuration, inputWidth: dataset.inputWidth, heads: heads, tasks: tasks)
            : try configuration.model.makeModel(inputShape: dataset.inputShape, heads: heads,
                                                configuration: configuration, headStreams: tasks)
        optimizer = try configuration.optimizer.makeOptimizer(parameterCount: model.layout.count, scalar: Float.self)
        sampler = MinibatchSampler(exampleCount: dataset.train.count, batchSize: configuration.batchSize,
                                   seed: configuration.seed)
        if configuration.scalarization == .sampling {
            let examples = zip(tasks, heads).map { index, head in head.loss.labelledRows(targets: dataset.train.targets[index]) }
            for (examples, head) in zip(examples, heads) where examples.count < configuration.batchSize {
                throw HyperparameterError(
                    field: "batchSize",
                    message: "batchSize \(configuration.batchSize) exceeds the \(examples.count) training examples labelled for task \(head.name), which sampling draws its batches from")
            }
            taskExamples = examples
            let trained = tasks
            taskSamplers = examples.indices.map {
                MinibatchSampler(exampleCount: examples[$0].count, batchSize: configuration.batchSize,
                                 seed: Self.taskSamplerSeed(runSeed: configuration.seed, task: trained[$0]))
            }
        } else {
            taskExamples = []
            taskSamplers = []
        }
        generator = RandomGenerator(seed: configuration.seed, stream: 0x7A5C)
        initialParameters = model.parameters
        previousParameters = model.parameters
        probe = configuration.probeEvery > 0
            ? try Probe(split: dataset.train, tasks: tasks, configuration: configuration.probe, seed: configuration.seed) : nil
    }

    /// The trajectory factors now, on the fixed probe batch (nil when the run does not probe).
    public func measureProbe() -> ProbeMeasurement? {
        probe?.measure(model: model, initialParameters: initialParameters, weights: weights, step: step)
    }

    /// Whether the run has taken all its steps.
    public var isFinished: Bool { step >= totalSteps }

    /// One optimizer step on the next minibatch (of the drawn task, in sampling mode).
    public mutating func takeStep() -> StepMeasurement {
        let drawn = taskSamplers.isEmpty ? nil : drawTask()
        let indices = drawn.map { t in taskSamplers[t].next().map { taskExamples[t][$0] } } ?? sampler.next()
        let batch = dataset.train.gathering(indices)
        let targets = tasks.map { batch.targets[$0] }
        // Dropout masks only for this step's gradients: evaluations, probes and HVPs see none.
        if hasDropout { model.setDropoutSeed(Self.dropoutSeed(runSeed: configuration.seed, step: step)) }
        let gradients = model.taskGradients(inputs: batch.inputs, targets: targets)
        if hasDropout { model.setDropoutSeed(nil) }
        let gram = gramian(ofRows: gradients.matrix, columns: gradients.sharedCount)
        let aggregation: Aggregation<Float>
        if let drawn {
            aggregation = Aggregation(direction: gradients.gradient(drawn), weights: tasks.indices.map { $0 == drawn ? 1 : 0 })
        } else {
            aggregation = aggregator.aggregate(
                AggregationInput(gradients: gradients.matrix, sharedCount: gradients.sharedCount, gramian: gram,
                                 losses: gradients.losses, step: step),
                generator: &generator)
        }
        let direction = aggregation.direction
        let learningRate = configuration.schedule.learningRate(atStep: step, base: configuration.optimizer.learningRate)
        previousParameters.withUnsafeMutableBufferPointer { previous in
            model.parameters.withUnsafeBufferPointer { previous.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
        }
        optimizer.update(parameters: &model.parameters, gradient: direction, learningRate: learningRate)
        let snapshot = configuration.snapshotEvery > 0 && step % configuration.snapshotEvery == 0
        let measurement = StepMeasurement(step: step, losses: gradients.losses, weights: aggregation.weights,
                                          learningRate: learningRate, gramian: gram,
                                          updateNorm: distance(model.parameters, previousParameters), gradients: snapshot ? gradients : nil,
                                          labelledCounts: zip(model.heads, targets).map { $0.loss.labelledCount(targets: $1) })
        step += 1
        return measurement
    }

    /// Whether the model has Dropout layers (switched on only inside `takeStep`).
    var hasDropout: Bool { configuration.dropout > 0 }

    /// The dropout mask seed of `step`: a function of the run seed and the step alone, so a
    /// resumed run draws the same masks as an uninterrupted one.
    static func dropoutSeed(runSeed: UInt64, step: Int) -> UInt64 {
        var generator = RandomGenerator(seed: runSeed, stream: 0x4452_4F50_0000_0000 &+ UInt64(truncatingIfNeeded: step))
        return generator.next()
    }

    /// Loss and metric of the trained tasks on the fixed train-eval subset.
    public func evaluateTrain() -> TaskEvaluation {
        model.evaluate(on: dataset.train.prefix(min(configuration.trainEvalCount, dataset.train.count)), tasks: tasks)
    }

    /// Loss and metric of the trained tasks on the validation split.
    public func evaluateValidation() -> TaskEvaluation {
        model.evaluate(on: dataset.validation, tasks: tasks)
    }

    /// Loss and metric of the trained tasks on the test split.
    public func evaluateTest() -> TaskEvaluation {
        model.evaluate(on: dataset.test, tasks: tasks)
    }

    /// Names of the trained tasks, in head order.
    public var taskNames: [String] { tasks.map { dataset.tasks[$0].name } }
}
