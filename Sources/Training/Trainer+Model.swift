import Nets

extension Trainer {
    /// The MLP of `configuration` with one head per entry of `heads` (dataset tasks `tasks`):
    /// a Linear head per task, or with `sharedHead` the shared last Linear layer in the trunk
    /// and a parameter-free `Flatten` per task.
    /// - Throws: `HyperparameterError` naming `sharedHead` when the tasks' output counts differ.
    static func makeModel(configuration: RunConfiguration, inputWidth: Int,
                          heads: [(name: String, outputs: Int, loss: LossKind)], tasks: [Int]) throws -> MultiTaskModel<Float> {
        guard configuration.sharedHead else {
            return .multilayerPerceptron(inputWidth: inputWidth, trunkWidths: configuration.widths,
                                         activation: configuration.activation, heads: heads,
                                         seed: configuration.seed, headStreams: tasks)
        }
        let outputs = Set(heads.map(\.outputs))
        guard outputs.count == 1, let outputCount = outputs.first else {
            let counts = heads.map { "\($0.name) \($0.outputs)" }.joined(separator: ", ")
            throw HyperparameterError(field: "sharedHead",
                                      message: "sharedHead needs every task to have the same number of outputs (\(counts))")
        }
        return .multilayerPerceptronWithSharedHead(
            inputWidth: inputWidth, trunkWidths: configuration.widths, activation: configuration.activation,
            outputs: outputCount, heads: heads.map { ($0.name, $0.loss) }, seed: configuration.seed)
    }
}
