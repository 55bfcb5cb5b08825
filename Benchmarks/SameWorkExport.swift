import Foundation
import Linalg
import Nets

/// What the PyTorch side needs to redo TaskTrace's work on one model and check it
/// (`Benchmarks/reference/same_work.py`). Written as `<folder>/<name>/manifest.json` next to
/// raw little-endian Float32 files, row-major:
/// - `parameters.f32`: the flat parameter buffer, `parameterCount` scalars, layout `layout`
/// - `inputs.f32`: the batch, `batchSize x product(inputShape)`
/// - `targets-<t>.f32`: task t's targets, `batchSize x 1` class indices or `batchSize x outputs` values
/// - `task-gradients.f32`: `T x parameterCount`, row t the gradient of task t's mean loss
///   (zero on the other heads), from `MultiTaskModel.taskGradients` in Float32
struct SameWorkManifest: Codable {
    struct Task: Codable {
        var name: String
        /// `cross_entropy` or `mse` (LossKind's raw value).
        var loss: String
        var outputs: Int
    }
    var name: String
    /// `mlp` (Linear + ReLU trunk, one Linear per head) or `multilenet`.
    var architecture: String
    /// One example as PyTorch sees it, e.g. `[784]` or `[1, 28, 28]`.
    var inputShape: [Int]
    var batchSize: Int
    var tasks: [Task]
    /// Every tensor's name, offset and PyTorch shape in the flat buffer, trunk first.
    var layout: [ParameterView]
    var parameterCount: Int
    var sharedCount: Int
    /// Each task's mean loss on the batch, in Float32 arithmetic.
    var losses: [Double]
    /// Task weights `w_t` of the total loss `sum_t w_t L_t` whose top Hessian eigenvalue is given.
    var eigenvalueTaskWeights: [Double]
    /// Top Hessian eigenvalue of that loss, by Lanczos on exact HVPs of the model in Double,
    /// run until it changes by less than `eigenvalueTolerance` relative.
    var topEigenvalue: Double
    var eigenvalueIterations: Int
    var eigenvalueConverged: Bool
    var eigenvalueTolerance: Double
    var eigenvalueMaxIterations: Int
}

/// Writes the same-work files of `bench` into `folder/<bench.name>/`.
func exportSameWork(_ bench: BenchmarkModel, to folder: URL, eigenvalueTolerance: Double = 1e-9,
                    eigenvalueMaxIterations: Int = 150) throws {
    precondition(1.littleEndian == 1, "the raw files are little-endian; this machine is not")
    let directory = folder.appendingPathComponent(bench.name)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let model = bench.model
    let gradients = model.taskGradients(inputs: bench.inputs, targets: bench.targets)
    let precise = model.converted(to: Double.self)
    let product = HessianVectorProduct(model: precise, inputs: bench.inputs.converted(to: Double.self),
                                       targets: bench.targets.map { $0.converted(to: Double.self) },
                                       weights: bench.equalWeights.map(Double.init))
    let eigenvalue = topEigenvalueByLanczos(dimension: model.layout.count, tolerance: eigenvalueTolerance,
                                            maxIterations: eigenvalueMaxIterations, seed: 6, product: product.apply)
    let manifest = SameWorkManifest(
        name: bench.name, architecture: bench.architecture, inputShape: bench.inputShape, batchSize: bench.batchSize,
        tasks: model.heads.map { .init(name: $0.name, loss: $0.loss.rawValue, outputs: $0.outputWidth) },
        layout: model.layout.views, parameterCount: model.layout.count, sharedCount: model.layout.sharedCount,
        losses: gradients.losses, eigenvalueTaskWeights: bench.equalWeights.map(Double.init),
        topEigenvalue: eigenvalue.value, eigenvalueIterations: eigenvalue.iterations,
        eigenvalueConverged: eigenvalue.converged, eigenvalueTolerance: eigenvalueTolerance,
        eigenvalueMaxIterations: eigenvalueMaxIterations)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"))
    try writeRaw(model.parameters, to: directory.appendingPathComponent("parameters.f32"))
    try writeRaw(bench.inputs.storage, to: directory.appendingPathComponent("inputs.f32"))
    for (t, targets) in bench.targets.enumerated() {
        try writeRaw(targets.storage, to: directory.appendingPathComponent("targets-\(t).f32"))
    }
    try writeRaw(gradients.matrix.storage, to: directory.appendingPathComponent("task-gradients.f32"))
    print("same-work files of \(bench.name): \(directory.path) (top eigenvalue \(eigenvalue.value) after "
          + "\(eigenvalue.iterations) Lanczos steps, converged: \(eigenvalue.converged))")
}

/// The scalars' bytes as they lie in memory (Float32, this machine's byte order).
func writeRaw(_ values: [Float], to url: URL) throws {
    try values.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: url)
}
