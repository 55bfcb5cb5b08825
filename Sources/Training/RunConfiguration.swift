import Datasets
import Foundation
import Nets

/// Everything that determines a training run: data, model, optimizer, length, batch, seed,
/// task weights and measurement intervals. Encoded as JSON it is the record's `config`.
public struct RunConfiguration: Codable, Sendable, Equatable {
    public var dataset: DatasetConfiguration
    /// The single task to train (single-task run), or nil for all tasks (multi-task run).
    public var task: String?
    /// The network: `mlp` (default) or `multilenet`.
    public var model: ModelArchitecture
    /// Hidden widths of the MLP trunk.
    public var widths: [Int]
    public var activation: Activation
    /// Dropout probability in [0, 1) after MultiLeNet's shared representation (0: none), applied
    /// during training steps only, never in evaluations and probes.
    public var dropout: Double
    public var optimizer: OptimizerConfiguration
    public var schedule: LearningRateSchedule
    /// Length of the run in optimizer steps; when nil, `epochs` decides.
    public var steps: Int?
    /// Length of the run in passes over the training split (used when `steps` is nil).
    public var epochs: Int?
    public var batchSize: Int
    /// Seed of the initialisation and the batch order. Runs with the same seed share the trunk
    /// initialisation and the minibatch order, so single-task and multi-task runs pair.
    public var seed: UInt64
    /// Scalarization weights, one per trained task (default: equal weights summing to 1).
    public var weights: [Double]?
    /// How the task gradients of a step combine: `scalarization` (the weighted sum, default)
    /// or an MTO method (`AggregatorChoice.allNames`).
    public var method: String
    /// Steps between evaluations on the train-eval subset and the validation split.
    public var evalEvery: Int
    /// Size of the fixed train-eval subset (the first examples of the training split).
    public var trainEvalCount: Int
    /// Whether every evaluation also measures the test split (`/eval/test_*`), so that a model
    /// chosen on validation (early stopping) can be reported on test.
    public var evalTest: Bool
    /// Steps between probes of the trajectory factors on the fixed probe batch (0: no probes).
    public var probeEvery: Int
    /// What a probe measures on: batch sizes, Lanczos and Hutchinson budgets.
    public var probe: ProbeConfiguration
    /// Steps between flushes of the buffered record rows to the file.
    public var flushEvery: Int
    /// Steps between checkpoints (parameters, optimizer state, data cursor) in the record.
    public var checkpointEvery: Int
    /// Steps between snapshots of the full task gradients in the record (0: none).
    public var snapshotEvery: Int
    /// Whether the last Linear layer (to the outputs) is shared by all tasks: it joins the
    /// trunk and every task's head is a parameter-free `Flatten`, so all parameters are shared.
    /// Needs every trained task to have the same output count. Default false (a Linear head per task).
    public var sharedHead: Bool
    /// How the scalarization weights act: `weighting` (default, the weighted loss sum on each
    /// minibatch) or `sampling` (one task per step drawn with probability w_t, trained on its
    /// own examples). Sampling needs method `scalarization`.
    public var scalarization: Scalarization

    public init(dataset: DatasetConfiguration, task: String? = nil, model: ModelArchitecture = .mlp, widths: [Int] = [256, 256],
                activation: Activation = .relu, dropout: Double = 0, optimizer: OptimizerConfiguration = .adam(learningRate: 1e-3),
                schedule: LearningRateSchedule = .constant(), steps: Int? = nil, epochs: Int? = nil,
                batchSize: Int = 256, seed: UInt64 = 0, weights: [Double]? = nil, method: String = "scalarization", evalEvery: Int = 100,
                trainEvalCount: Int = 5000, evalTest: Bool = false, probeEvery: Int = 0, probe: ProbeConfiguration = ProbeConfiguration(),
                flushEvery: Int = 50, checkpointEvery: Int = 500, snapshotEvery: Int = 0,
                sharedHead: Bool = false, scalarization: Scalarization = .weighting) {
        self.dataset = dataset
        self.task = task
        self.model = model
        self.widths = widths
        self.activation = activation
        self.dropout = dropout
        self.optimizer = optimizer
        self.schedule = schedule
        self.steps = steps
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.weights = weights
        self.method = method
        self.evalEvery = evalEvery
        self.trainEvalCount = trainEvalCount
        self.evalTest = evalTest
        self.probeEvery = probeEvery
        self.probe = probe
        self.flushEvery = flushEvery
        self.checkpointEvery = checkpointEvery
        self.snapshotEvery = snapshotEvery
        self.sharedHead = sharedHead
        self.scalarization = scalarization
    }

    /// Checks the fields that do not need the data, naming the field at fault.
    public func validate() throws {
        try dataset.validate()
        try optimizer.validate()
        if probeEvery > 0 { try probe.validate() }
        try schedule.validate()
        if widths.isEmpty || widths.contains(where: { $0 < 1 }) {
            throw HyperparameterError(field: "widths", message: "widths must be one or more positive layer widths (got \(widths))")
        }
        if !(dropout >= 0 && dropout < 1) {
            throw HyperparameterError(field: "dropout", message: "dropout must be in [0, 1) (got \(dropout))")
        }
        if dropout > 0 && model == .mlp {
            throw HyperparameterError(field: "dropout", message: "dropout applies to model multilenet, not mlp (got \(dropout))")
        }
        if let steps, steps < 1 { throw HyperparameterError(field: "steps", message: "steps must be at least 1 (got \(steps))") }
        if let epochs, epochs < 1 { throw HyperparameterError(field: "epochs", message: "epochs must be at least 1 (got \(epochs))") }
        if batchSize < 1 { throw HyperparameterError(field: "batchSize", message: "batchSize must be at least 1 (got \(batchSize))") }
        if evalEvery < 1 { throw HyperparameterError(field: "evalEvery", message: "evalEvery must be at least 1 (got \(evalEvery))") }
        for (value, field) in [(probeEvery, "probeEvery"), (snapshotEvery, "snapshotEvery")] where value < 0 {
            throw HyperparameterError(field: field, message: "\(field) must be 0 (off) or a positive number of steps (got \(value))")
        }
        for (value, field) in [(flushEvery, "flushEvery"), (checkpointEvery, "checkpointEvery")] where value < 1 {
            throw HyperparameterError(field: field, message: "\(field) must be at least 1 (got \(value))")
        }
        if trainEvalCount < 1 {
            throw HyperparameterError(field: "trainEvalCount", message: "trainEvalCount must be at least 1 (got \(trainEvalCount))")
        }
        if sharedHead && model != .mlp {
            throw HyperparameterError(field: "sharedHead", message: "sharedHead applies to the mlp model (got model \(model.rawValue))")
        }
        try AggregatorChoice.check(method)
        if scalarization == .sampling && method != "scalarization" {
            throw HyperparameterError(field: "scalarization",
                                      message: "scalarization sampling needs method scalarization (got method \(method))")
        }
        if let weights {
            if weights.contains(where: { !($0 >= 0 && $0.isFinite) }) || !(weights.reduce(0, +) > 0) {
                throw HyperparameterError(field: "weights", message: "weights must be finite, non-negative and not all zero (got \(weights))")
            }
            if task != nil && weights.count != 1 {
                throw HyperparameterError(field: "weights", message: "weights: a single-task run takes one weight or none (got \(weights.count))")
            }
        }
    }

    /// Indices (in the dataset's task order) of the tasks this run trains.
    public func trainedTasks(of dataset: MultiTaskDataset) throws -> [Int] {
        guard let task else { return Array(dataset.tasks.indices) }
        guard let index = dataset.task(named: task) else {
            let names = dataset.tasks.map(\.name).joined(separator: ", ")
            throw HyperparameterError(field: "task", message: "task '\(task)' is not a task of \(dataset.name) (tasks: \(names))")
        }
        return [index]
    }

    /// The weights applied to the trained tasks: given ones, checked against the task count,
    /// or equal weights summing to 1.
    public func resolvedWeights(taskCount: Int) throws -> [Double] {
        guard let weights else { return [Double](repeating: 1 / Double(taskCount), count: taskCount) }
        guard weights.count == taskCount else {
            throw HyperparameterError(field: "weights", message: "weights has \(weights.count) entries for \(taskCount) trained tasks")
        }
        return weights
    }

    /// The configuration with every default made explicit for `dataset` (sizes, weights,
    /// run length, optimizer hyperparameters, a cosine schedule's length): what a record
    /// stores as `config`, so that it says everything that determined the run.
    public func resolved(for dataset: MultiTaskDataset) throws -> RunConfiguration {
        var c = self
        c.dataset = self.dataset.resolved()
        c.steps = totalSteps(exampleCount: dataset.train.count)  // epochs, if given, stay as asked
        c.weights = try resolvedWeights(taskCount: trainedTasks(of: dataset).count)
        if c.schedule.kind == .cosine && c.schedule.totalSteps == nil { c.schedule.totalSteps = c.steps }
        c.optimizer = optimizer.resolved()
        return c
    }

    /// The run's length in steps for a training split of `exampleCount` examples.
    public func totalSteps(exampleCount: Int) -> Int {
        if let steps { return steps }
        return (epochs ?? 1) * max(1, exampleCount / batchSize)
    }
}

extension RunConfiguration {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, task, model, widths, activation, dropout, optimizer, schedule, steps, epochs, batchSize, seed, weights, method,
             evalEvery, trainEvalCount, evalTest, probeEvery, probe, flushEvery, checkpointEvery, snapshotEvery,
             sharedHead, scalarization
    }

    /// Decodes a configuration in which every field but `dataset` may be absent (absent
    /// fields take the defaults of `init`); unknown fields and wrong types are errors naming
    /// the field's full path (e.g. `optimizer.momentum`).
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the run configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func field<T: Decodable>(_ key: CodingKeys, _ type: T.Type) throws -> T? {
            do {
                return try c.decodeIfPresent(type, forKey: key)
            } catch let error as HyperparameterError {
                throw HyperparameterError(field: "\(key.stringValue).\(error.field)",
                                          message: "\(key.stringValue).\(error.message)")
            } catch let error as DecodingError {
                throw HyperparameterError(decoding: error)
            }
        }
        guard let dataset = try field(.dataset, DatasetConfiguration.self) else {
            throw HyperparameterError(field: "dataset", message: "dataset is required (an object with at least a name: multifashion, synthetic or multidomain)")
        }
        let defaults = RunConfiguration(dataset: dataset)
        self.init(
            dataset: dataset, task: try field(.task, String.self), model: try field(.model, ModelArchitecture.self) ?? defaults.model,
            widths: try field(.widths, [Int].self) ?? defaults.widths,
            activation: try field(.activation, Activation.self) ?? defaults.activation,
            dropout: try field(.dropout, Double.self) ?? defaults.dropout,
            optimizer: try field(.optimizer, OptimizerConfiguration.self) ?? defaults.optimizer,
            schedule: try field(.schedule, LearningRateSchedule.self) ?? defaults.schedule,
            steps: try field(.steps, Int.self), epochs: try field(.epochs, Int.self),
            batchSize: try field(.batchSize, Int.self) ?? defaults.batchSize, seed: try c.decodeSeedIfPresent(forKey: .seed, field: "seed") ?? defaults.seed,
            weights: try field(.weights, [Double].self), method: try field(.method, String.self) ?? defaults.method, evalEvery: try field(.evalEvery, Int.self) ?? defaults.evalEvery,
            trainEvalCount: try field(.trainEvalCount, Int.self) ?? defaults.trainEvalCount,
            evalTest: try field(.evalTest, Bool.self) ?? defaults.evalTest,
            probeEvery: try field(.probeEvery, Int.self) ?? defaults.probeEvery,
            probe: try field(.probe, ProbeConfiguration.self) ?? defaults.probe,
            flushEvery: try field(.flushEvery, Int.self) ?? defaults.flushEvery,
            checkpointEvery: try field(.checkpointEvery, Int.self) ?? defaults.checkpointEvery,
            snapshotEvery: try field(.snapshotEvery, Int.self) ?? defaults.snapshotEvery,
            sharedHead: try field(.sharedHead, Bool.self) ?? defaults.sharedHead,
            scalarization: try field(.scalarization, String.self).map(Scalarization.named) ?? defaults.scalarization)
    }
}

extension HyperparameterError {
    /// A decoding failure (wrong type, missing value, malformed data) as an error naming the
    /// field's path below `prefix`.
    public init(decoding error: DecodingError, under prefix: String? = nil) {
        func path(_ keys: [any CodingKey]) -> String {
            let names = (prefix.map { [$0] } ?? []) + keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context):
            let name = path(context.codingPath)
            self.init(field: name, message: "\(name) has the wrong type (expected \(type))")
        case .valueNotFound(let type, let context):
            let name = path(context.codingPath)
            self.init(field: name, message: "\(name) is missing a value (expected \(type))")
        case .keyNotFound(let key, let context):
            let name = path(context.codingPath + [key])
            self.init(field: name, message: "\(name) is required")
        case .dataCorrupted(let context):
            let name = path(context.codingPath)
            self.init(field: name, message: "\(name.isEmpty ? "configuration" : name): \(context.debugDescription)")
        @unknown default:
            self.init(field: prefix ?? "", message: "\(error)")
        }
    }
}

extension OptimizerConfiguration {
    /// The configuration with the kind's defaults written out.
    public func resolved() -> OptimizerConfiguration {
        switch kind {
        case .sgd:
            .sgd(learningRate: learningRate, momentum: momentum ?? 0, dampening: dampening ?? 0,
                 nesterov: nesterov ?? false, weightDecay: resolvedWeightDecay)
        case .adam, .adamw:
            OptimizerConfiguration(kind: kind, learningRate: learningRate, weightDecay: resolvedWeightDecay,
                                   beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999, epsilon: epsilon ?? 1e-8)
        }
    }
}
