extension MultiTaskModel {
    /// A multilayer perceptron whose tasks share EVERY parameter: the trunk is
    /// `Linear, activation` per hidden width followed by one `Linear` to `outputs` (the shared
    /// head), and each task's head is a parameter-free `Flatten(outputs)`. Task gradients then
    /// differ only through the examples (and targets) each task sees, as in multi-domain
    /// learning with one label space. Parameters are drawn from stream 0 of `seed`.
    ///
    /// - Parameters:
    ///   - inputWidth: features per example.
    ///   - trunkWidths: hidden widths, at least one.
    ///   - outputs: the common output count of every task (classes or regression outputs).
    ///   - heads: each task's name and loss, in task order.
    public static func multilayerPerceptronWithSharedHead(
        inputWidth: Int, trunkWidths: [Int], activation: Activation = .relu, outputs: Int,
        heads: [(name: String, loss: LossKind)], seed: UInt64
    ) -> MultiTaskModel {
        precondition(!trunkWidths.isEmpty, "the trunk needs at least one hidden width")
        var trunk: [any Layer] = []
        var width = inputWidth
        for next in trunkWidths {
            trunk.append(Linear(inputWidth: width, outputWidth: next))
            trunk.append(activation.layer(width: next))
            width = next
        }
        trunk.append(Linear(inputWidth: width, outputWidth: outputs))
        let taskHeads = heads.map { TaskHead(name: $0.name, layers: [Flatten(width: outputs)], loss: $0.loss) }
        return MultiTaskModel(trunk: trunk, heads: taskHeads, seed: seed)
    }
}
