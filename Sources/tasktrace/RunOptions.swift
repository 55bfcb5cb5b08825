import ArgumentParser
import Nets
import Training

/// The flags that describe a training run; they resolve to a `RunConfiguration`.
struct RunOptions: ParsableArguments {
    @Option(help: "Dataset: multifashion or synthetic.")
    var dataset: DatasetConfiguration.Name = .multifashion

    @Option(help: "Train this task alone (a single-task run); omit to train all tasks.")
    var task: String?

    @Option(help: "Hidden widths of the MLP trunk, comma-separated.", transform: parseIntegers("widths"))
    var widths: [Int] = [256, 256]

    @Option(help: "Trunk activation: relu or tanh.")
    var activation: Activation = .relu

    @Option(help: "Optimizer: adam, adamw or sgd.")
    var optimizer: OptimizerConfiguration.Kind = .adam

    @Option(name: .customLong("lr"), help: "Base learning rate.")
    var learningRate: Double = 1e-3

    @Option(help: "SGD momentum.")
    var momentum: Double?

    @Flag(help: "SGD with Nesterov momentum.")
    var nesterov = false

    @Option(help: "Weight decay (L2 for sgd and adam, decoupled for adamw).")
    var weightDecay: Double?

    @Option(help: "Learning-rate schedule: constant, step or cosine (cosine decays over the whole run).")
    var schedule: LearningRateSchedule.Kind = .constant

    @Option(help: "Step schedule: multiply the rate by --decay-factor every this many steps.")
    var decayEvery: Int?

    @Option(help: "Step schedule: the factor applied every --decay-every steps.")
    var decayFactor: Double?

    @Option(help: "Linear warm-up steps before the schedule.")
    var warmupSteps: Int = 0

    @Option(help: "Run length in optimizer steps.")
    var steps: Int?

    @Option(help: "Run length in passes over the training split (when --steps is not given; default 1).")
    var epochs: Int?

    @Option(help: "Minibatch size.")
    var batchSize: Int = 256

    @Option(help: "Seed of the initialisation and the batch order.")
    var seed: UInt64 = 0

    @Option(help: "Task weights, comma-separated, one per trained task (default: equal, summing to 1).",
            transform: parseNumbers("weights"))
    var weights: [Double]?

    @Option(help: "Steps between evaluations on the train-eval subset and the validation split.")
    var evalEvery: Int = 100

    @Option(help: "Synthetic: pairwise relatedness (cosine) of the task directions, in [-1, 1].")
    var rho: Double?

    @Option(name: .customLong("tasks"), help: "Synthetic: number of tasks.")
    var taskCount: Int?

    @Option(help: "Number of training examples (default: 50000 multifashion, 2000 synthetic).")
    var trainCount: Int?

    @Option(help: "Number of validation examples (default: 10000 multifashion, 1000 synthetic).")
    var validationCount: Int?

    @Option(help: "Seed of the data itself (pairing, ground truth, splits).")
    var dataSeed: UInt64?

    @Option(help: "Directory of the Fashion-MNIST IDX files (default: Debian's dataset-fashion-mnist, or $TASKTRACE_FASHION_MNIST).")
    var dataDirectory: String?

    /// The resolved configuration.
    func configuration() -> RunConfiguration {
        let datasetConfiguration = DatasetConfiguration(
            name: dataset, trainCount: trainCount, validationCount: validationCount, rho: rho,
            taskCount: taskCount, seed: dataSeed, directory: dataDirectory)
        let optimizerConfiguration: OptimizerConfiguration = switch optimizer {
        case .sgd: .sgd(learningRate: learningRate, momentum: momentum ?? 0, nesterov: nesterov, weightDecay: weightDecay ?? 0)
        case .adam: OptimizerConfiguration(kind: .adam, learningRate: learningRate, weightDecay: weightDecay)
        case .adamw: OptimizerConfiguration(kind: .adamw, learningRate: learningRate, weightDecay: weightDecay)
        }
        let scheduleConfiguration = LearningRateSchedule(
            kind: schedule, every: decayEvery, factor: decayFactor, totalSteps: schedule == .cosine ? steps : nil,
            warmupSteps: warmupSteps)
        return RunConfiguration(
            dataset: datasetConfiguration, task: task, widths: widths, activation: activation,
            optimizer: optimizerConfiguration, schedule: scheduleConfiguration, steps: steps, epochs: epochs,
            batchSize: batchSize, seed: seed, weights: weights, evalEvery: evalEvery)
    }
}

extension DatasetConfiguration.Name: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension OptimizerConfiguration.Kind: ExpressibleByArgument {}
extension LearningRateSchedule.Kind: ExpressibleByArgument {}

/// Parses a comma-separated list of integers, naming the flag in the error.
func parseIntegers(_ flag: String) -> @Sendable (String) throws -> [Int] {
    { text in
        try text.split(separator: ",").map {
            guard let value = Int($0.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--\(flag): '\($0)' is not an integer")
            }
            return value
        }
    }
}

/// Parses a comma-separated list of numbers, naming the flag in the error.
func parseNumbers(_ flag: String) -> @Sendable (String) throws -> [Double] {
    { text in
        try text.split(separator: ",").map {
            guard let value = Double($0.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--\(flag): '\($0)' is not a number")
            }
            return value
        }
    }
}
