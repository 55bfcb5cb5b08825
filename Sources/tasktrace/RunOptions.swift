import ArgumentParser
import Datasets
import Nets
import Training

/// The flags that describe a training run; they resolve to a `RunConfiguration`.
struct RunOptions: ParsableArguments {
    @Option(help: "Dataset: multifashion (default), synthetic or multidomain (Fashion-MNIST through --domains, one task per domain).")
    var dataset: DatasetConfiguration.Name?

    @Option(help: "Train this task alone (a single-task run); omit to train all tasks.")
    var task: String?

    @Option(help: "Network: mlp (default; --widths, --activation) or multilenet (the convolutional MultiLeNet trunk of Sener & Koltun 2018, for image datasets such as multifashion).")
    var model: ModelArchitecture?

    @Option(help: "MultiLeNet: dropout probability in [0, 1) after the shared representation, during training steps only (default 0: none).")
    var dropout: Double?

    @Option(help: "Hidden widths of the MLP trunk, comma-separated (default 256,256).", transform: parseIntegers("widths"))
    var widths: [Int]?

    @Option(help: "Trunk activation: relu (default) or tanh.")
    var activation: Activation?

    @Option(help: "Optimizer: adam (default), adamw or sgd.")
    var optimizer: OptimizerConfiguration.Kind?

    @Option(name: .customLong("lr"), help: "Base learning rate (default 1e-3).")
    var learningRate: Double?

    @Option(help: "SGD momentum.")
    var momentum: Double?

    @Flag(help: "SGD with Nesterov momentum.")
    var nesterov = false

    @Option(help: "A JSON or TOML run configuration; flags given beside it override its fields.")
    var config: String?

    @Option(help: "Weight decay (L2 for sgd and adam, decoupled for adamw).")
    var weightDecay: Double?

    @Option(help: "Learning-rate schedule: constant (default), step or cosine (cosine decays over the whole run).")
    var schedule: LearningRateSchedule.Kind?

    @Option(help: "Step schedule: multiply the rate by --decay-factor every this many steps.")
    var decayEvery: Int?

    @Option(help: "Step schedule: the factor applied every --decay-every steps.")
    var decayFactor: Double?

    @Option(help: "Linear warm-up steps before the schedule.")
    var warmupSteps: Int?

    @Option(help: "Run length in optimizer steps.")
    var steps: Int?

    @Option(help: "Run length in passes over the training split (when --steps is not given; default 1).")
    var epochs: Int?

    @Option(help: "Minibatch size (default 256).")
    var batchSize: Int?

    @Option(help: "Seed of the initialisation and the batch order (default 0).")
    var seed: UInt64?

    @Option(help: "Task weights, comma-separated, one per trained task (default: equal, summing to 1).",
            transform: parseNumbers("weights"))
    var weights: [Double]?

    @Option(help: "How task gradients combine: scalarization (default, the weighted sum) or an MTO method: \(AggregatorChoice.allNames.joined(separator: ", ")).")
    var method: String?

    @Option(help: "Steps between evaluations on the train-eval subset and the validation split (default 100).")
    var evalEvery: Int?

    @Option(parsing: .unconditional, help: "Synthetic: pairwise relatedness (cosine) of the task directions, in [-1, 1] (negative values as --rho -0.5).")
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

    @Option(help: "Multidomain: the domains, comma-separated, one task each: \(DomainTransform.allNames.joined(separator: ",")) (default: all five). Counts are per domain.",
            transform: parseDomains)
    var domains: [DomainTransform]?

    @Flag(help: "Share the last layer (to the classes) between all tasks, so all parameters are shared; the tasks need equal output counts.")
    var sharedHead = false

    @Option(help: "How the task weights act (method scalarization): weighting (default) minimises sum_t w_t L_t on each minibatch; sampling trains each step on one task drawn with probability w_t, on a batch of its own examples. Use sampling for multi-domain data, where each example carries one domain's label: it balances domains of different sizes.")
    var scalarization: Scalarization?

    /// The resolved configuration: the `--config` file's (or the defaults), with every flag
    /// given on the command line overriding its field.
    func configuration() throws -> RunConfiguration {
        var c = try config.map(readConfigurationFile) ?? RunConfiguration(dataset: DatasetConfiguration(name: dataset ?? .multifashion))
        if let dataset, dataset != c.dataset.name { c.dataset = DatasetConfiguration(name: dataset) }
        if let trainCount { c.dataset.trainCount = trainCount }
        if let validationCount { c.dataset.validationCount = validationCount }
        if let rho { c.dataset.rho = rho }
        if let taskCount { c.dataset.taskCount = taskCount }
        if let dataSeed { c.dataset.seed = dataSeed }
        if let dataDirectory { c.dataset.directory = dataDirectory }
        if let domains { c.dataset.domains = domains }
        if sharedHead { c.sharedHead = true }
        if let scalarization { c.scalarization = scalarization }
        if let task { c.task = task }
        if let model { c.model = model }
        if let dropout { c.dropout = dropout }
        if let widths { c.widths = widths }
        if let activation { c.activation = activation }
        if let optimizer, optimizer != c.optimizer.kind {
            c.optimizer = OptimizerConfiguration(kind: optimizer, learningRate: c.optimizer.learningRate)
        }
        if let learningRate { c.optimizer.learningRate = learningRate }
        if let momentum { c.optimizer.momentum = momentum }
        if nesterov { c.optimizer.nesterov = true }
        if let weightDecay { c.optimizer.weightDecay = weightDecay }
        if let schedule { c.schedule = LearningRateSchedule(kind: schedule) }
        if let decayEvery { c.schedule.every = decayEvery }
        if let decayFactor { c.schedule.factor = decayFactor }
        if let warmupSteps { c.schedule.warmupSteps = warmupSteps }
        if let steps { c.steps = steps; c.epochs = nil }
        if let epochs { c.epochs = epochs; if steps == nil { c.steps = nil } }
        if c.schedule.kind == .cosine && c.schedule.totalSteps == nil { c.schedule.totalSteps = c.steps }
        if let batchSize { c.batchSize = batchSize }
        if let seed { c.seed = seed }
        if let weights { c.weights = weights }
        if let method { c.method = method }
        if let evalEvery { c.evalEvery = evalEvery }
        return c
    }
}

extension DatasetConfiguration.Name: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension ModelArchitecture: ExpressibleByArgument {}
extension OptimizerConfiguration.Kind: ExpressibleByArgument {}
extension LearningRateSchedule.Kind: ExpressibleByArgument {}
extension Scalarization: ExpressibleByArgument {}

/// Parses a comma-separated list of domain names for `--domains`.
@Sendable func parseDomains(_ text: String) throws -> [DomainTransform] {
    try text.split(separator: ",").map {
        let name = $0.trimmingCharacters(in: .whitespaces)
        guard let domain = DomainTransform(rawValue: name) else {
            throw ValidationError("--domains: '\(name)' is not a domain (\(DomainTransform.allNames.joined(separator: ", ")))")
        }
        return domain
    }
}

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
