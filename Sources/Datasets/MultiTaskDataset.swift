/// A dataset whose examples carry one target per task, split into train, validation and test.
public struct MultiTaskDataset: Sendable, Equatable {
    /// A short name for records and logs (e.g. "multi-fashion", "synthetic-regression").
    public var name: String
    /// The tasks, in the order of every split's `targets`.
    public var tasks: [TaskInfo]
    /// The shape of one example before flattening: [channels, height, width] for images
    /// (e.g. [1, 28, 28]), [d] for vectors. Its product is the inputs' column count.
    public var inputShape: [Int]
    public var train: DataSplit
    public var validation: DataSplit
    public var test: DataSplit

    public init(name: String, tasks: [TaskInfo], inputShape: [Int],
                train: DataSplit, validation: DataSplit, test: DataSplit) {
        let width = inputShape.reduce(1, *)
        for (splitName, split) in [("train", train), ("validation", validation), ("test", test)] {
            precondition(split.targets.count == tasks.count,
                         "\(splitName) split has \(split.targets.count) targets for \(tasks.count) tasks")
            precondition(split.inputs.columns == width,
                         "\(splitName) inputs have \(split.inputs.columns) columns, input shape \(inputShape) needs \(width)")
        }
        self.name = name
        self.tasks = tasks
        self.inputShape = inputShape
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// The number of scalars in one flattened example (the product of `inputShape`).
    public var inputWidth: Int { inputShape.reduce(1, *) }

    /// The index of the task called `name`, or nil if there is none.
    public func task(named name: String) -> Int? {
        tasks.firstIndex { $0.name == name }
    }
}
