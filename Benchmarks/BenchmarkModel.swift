import Datasets
import Linalg
import Nets

/// One model of the TaskTrace-against-PyTorch comparison: the network, one fixed batch, and
/// the target of its instrumented MT step. `Benchmarks/reference/models.py` builds the same
/// architecture under the same `name` with the same flat parameter layout.
struct BenchmarkModel {
    /// Short name shared with the PyTorch side (`mlp`, `tiny`, `multilenet`).
    var name: String
    /// What the PyTorch side rebuilds from the same-work files: `mlp` or `multilenet`.
    var architecture: String
    /// A readable description for reports.
    var summary: String
    var model: MultiTaskModel<Float>
    /// One batch, `N x inputWidth`, one example per row (images channel-major, as PyTorch's flatten).
    var inputs: Matrix<Float>
    /// Per task: `N x 1` class indices for cross-entropy, `N x k` values for MSE.
    var targets: [Matrix<Float>]
    /// Shape of one example as PyTorch sees it (`[784]`, `[1, 28, 28]`).
    var inputShape: [Int]

    var taskCount: Int { model.taskCount }
    var batchSize: Int { inputs.rows }
    /// Equal task weights `1/T`: the combination of the MT step and the total loss of HVPs.
    var equalWeights: [Float] { [Float](repeating: 1 / Float(taskCount), count: taskCount) }
}

/// The models of the comparison, in report order.
func comparisonModels() throws -> [BenchmarkModel] {
    [multiFashionMLP(), multiLeNet(), try tinySyntheticNet()]
}

/// MultiLeNet (conv 1->10 k5, pool, conv 10->20 k5, pool, Linear 320->50; heads 50->50->10),
/// T=2 cross-entropy heads, batch 256 of uniform [0, 1) 28 x 28 images and uniform labels.
func multiLeNet(batch: Int = 256, tasks: Int = 2) -> BenchmarkModel {
    let model = MultiTaskModel<Float>.multiLeNet(
        inputShape: [1, 28, 28], heads: (0..<tasks).map { ("task\($0)", 10, LossKind.crossEntropy) }, seed: 1)
    return BenchmarkModel(
        name: "multilenet", architecture: "multilenet", summary: "MultiLeNet 1x28x28, T=\(tasks), batch \(batch)",
        model: model, inputs: uniformInputs(rows: batch, columns: 784, seed: 2),
        targets: classTargets(rows: batch, classes: 10, tasks: tasks, seed: 3), inputShape: [1, 28, 28])
}

/// The MultiFashion MLP: 784 -> 256 -> 256 (ReLU), two heads Linear(256 -> 10), cross-entropy,
/// batch 256 of uniform [0, 1) pixels and uniform labels.
func multiFashionMLP(batch: Int = 256, widths: [Int] = [784, 256, 256], tasks: Int = 2) -> BenchmarkModel {
    let model = MultiTaskModel<Float>.multilayerPerceptron(
        inputWidth: widths[0], trunkWidths: Array(widths.dropFirst()),
        heads: (0..<tasks).map { ("task\($0)", 10, LossKind.crossEntropy) }, seed: 1)
    return BenchmarkModel(
        name: "mlp", architecture: "mlp",
        summary: "MultiFashion MLP \(widths.map(String.init).joined(separator: "-")), T=\(tasks), batch \(batch)",
        model: model, inputs: uniformInputs(rows: batch, columns: widths[0], seed: 2),
        targets: classTargets(rows: batch, classes: 10, tasks: tasks, seed: 3), inputShape: [widths[0]])
}

/// The tiny synthetic net: input 100 (SyntheticRegression's default dimension), trunk 32 -> 32
/// (ReLU), T=4 regression heads Linear(32 -> 1) with MSE, on the first 32 training examples.
func tinySyntheticNet(batch: Int = 32, tasks: Int = 4) throws -> BenchmarkModel {
    let synthetic = SyntheticRegression(taskCount: tasks, rho: 0.5, trainCount: batch, validationCount: 0, testCount: 0)
    let data = try synthetic.make()
    let model = MultiTaskModel<Float>.multilayerPerceptron(
        inputWidth: synthetic.inputDimension, trunkWidths: [32, 32],
        heads: data.tasks.map { ($0.name, $0.outputCount, LossKind.meanSquaredError) }, seed: 1)
    return BenchmarkModel(
        name: "tiny", architecture: "mlp",
        summary: "tiny synthetic net \(synthetic.inputDimension)-32-32, T=\(tasks), batch \(batch)",
        model: model, inputs: data.train.inputs, targets: data.train.targets, inputShape: [synthetic.inputDimension])
}

/// `rows x columns` uniform [0, 1) values.
func uniformInputs(rows: Int, columns: Int, seed: UInt64) -> Matrix<Float> {
    var generator = RandomGenerator(seed: seed)
    return Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in Float(generator.uniform()) })
}

/// Per task, `rows x 1` uniform class indices in `0..<classes`.
func classTargets(rows: Int, classes: Int, tasks: Int, seed: UInt64) -> [Matrix<Float>] {
    var generator = RandomGenerator(seed: seed)
    return (0..<tasks).map { _ in
        Matrix(rows: rows, columns: 1, storage: (0..<rows).map { _ in Float(generator.integer(below: classes)) })
    }
}
