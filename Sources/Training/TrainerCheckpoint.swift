import Datasets
import Linalg
import Nets

/// Everything a run needs to continue exactly where it stopped: parameters, optimizer state,
/// data cursor, step count and random stream.
public struct TrainerCheckpoint: Sendable, Equatable {
    /// The flat parameter buffer.
    public var parameters: [Float]
    /// The optimizer's step count and per-parameter buffers.
    public var optimizer: OptimizerState
    /// Steps completed.
    public var step: Int
    /// Epoch and position of the minibatch sampler.
    public var epoch: Int
    public var position: Int
    /// State of the run's random stream.
    public var generator: [UInt64]
    /// The aggregator's state (empty for stateless ones).
    public var aggregator: [Double]
    /// Sampling mode: the cursors of the per-task samplers, epoch then position for each task
    /// in head order (2T values); empty in weighting mode.
    public var taskCursors: [Int]

    public init(parameters: [Float], optimizer: OptimizerState, step: Int, epoch: Int, position: Int, generator: [UInt64],
                aggregator: [Double] = [], taskCursors: [Int] = []) {
        self.aggregator = aggregator
        self.taskCursors = taskCursors
        self.parameters = parameters
        self.optimizer = optimizer
        self.step = step
        self.epoch = epoch
        self.position = position
        self.generator = generator
    }
}

extension Trainer {
    /// The trainer's state now.
    public var checkpoint: TrainerCheckpoint {
        TrainerCheckpoint(parameters: model.parameters, optimizer: optimizer.state, step: step,
                          epoch: sampler.epoch, position: sampler.position, generator: generator.state,
                          aggregator: aggregator.state,
                          taskCursors: taskSamplers.flatMap { [$0.epoch, $0.position] })
    }

    /// Continues from `checkpoint`, taken from a trainer with the same configuration.
    /// - Throws: `OptimizerStateError` or `HyperparameterError` when it does not fit this run.
    public mutating func restore(_ checkpoint: TrainerCheckpoint) throws {
        guard checkpoint.parameters.count == model.layout.count else {
            throw HyperparameterError(field: "checkpoint", message: "checkpoint holds \(checkpoint.parameters.count) parameters, the model has \(model.layout.count)")
        }
        guard checkpoint.step >= 0, checkpoint.step <= totalSteps, checkpoint.epoch >= 0, checkpoint.position >= 0,
              checkpoint.generator.count == 4, checkpoint.generator.contains(where: { $0 != 0 }) else {
            throw HyperparameterError(field: "checkpoint", message: "checkpoint cursor or random state is out of range")
        }
        guard checkpoint.aggregator.count == aggregator.state.count else {
            throw HyperparameterError(field: "checkpoint", message: "checkpoint holds \(checkpoint.aggregator.count) aggregator state values, \(aggregator.name) keeps \(aggregator.state.count)")
        }
        guard checkpoint.taskCursors.count == 2 * taskSamplers.count,
              checkpoint.taskCursors.allSatisfy({ $0 >= 0 }),
              zip(taskSamplers, stride(from: 1, to: checkpoint.taskCursors.count, by: 2))
                .allSatisfy({ checkpoint.taskCursors[$1] <= $0.exampleCount }) else {
            throw HyperparameterError(field: "checkpoint", message: "checkpoint holds \(checkpoint.taskCursors.count) task sampler cursor values, this run keeps \(2 * taskSamplers.count) (scalarization \(configuration.scalarization.rawValue))")
        }
        try optimizer.restore(checkpoint.optimizer)
        aggregator.state = checkpoint.aggregator
        model.parameters = checkpoint.parameters
        step = checkpoint.step
        sampler = MinibatchSampler(exampleCount: sampler.exampleCount, batchSize: sampler.batchSize, seed: sampler.seed,
                                   dropLast: sampler.dropLast, epoch: checkpoint.epoch, position: checkpoint.position)
        generator = RandomGenerator(state: checkpoint.generator)
        taskSamplers = taskSamplers.indices.map { t in
            let sampler = taskSamplers[t]
            return MinibatchSampler(exampleCount: sampler.exampleCount, batchSize: sampler.batchSize, seed: sampler.seed,
                                    dropLast: sampler.dropLast, epoch: checkpoint.taskCursors[2 * t],
                                    position: checkpoint.taskCursors[2 * t + 1])
        }
    }
}
