import Foundation
import Linalg
import Nets
import Records

/// A run's model rebuilt from the checkpoint in its record, without loading the run's data.
///
/// The architecture follows the record: MultiLeNet when the `config` attribute (a
/// `RunConfiguration` in JSON) says `model` `multilenet` (input shape the dataset's, output
/// count `shape[0]` of `heads.<name>.2.weight`), else the MLP of its `widths` and
/// `activation`, input width = `shape[1]` of the checkpoint
/// tensor `trunk.0.weight`, one Linear head per task of `/tasks` (`names`, in head order)
/// whose output count is `shape[0]` of `heads.<name>.0.weight`, cross-entropy loss for
/// classification tasks and mean squared error for regression tasks. With the config's
/// `sharedHead`, the last Linear layer is the trunk's (`trunk.<2 x widths>.weight` gives the
/// output count) and every head is a parameter-free `Flatten`. Every parameter comes
/// from `/checkpoint/parameters/<PyTorch name>`, matched to `model.layout.views` by name.
public struct RecordedModel: Sendable {
    /// The record's file path.
    public var file: String
    /// The run's configuration (the record's root attribute `config`).
    public var configuration: RunConfiguration
    /// The trained tasks in head order, as `/tasks` describes them.
    public var tasks: [TrajectoryTask]
    /// Weights `w_t` of the run's scalarized loss `sum_t w_t L_t`, one per task in head order:
    /// `configuration.weights`, else equal weights summing to 1.
    public var weights: [Double]
    /// Training steps completed when the checkpoint was written (`/checkpoint/step`).
    public var checkpointStep: Int
    /// The model with the checkpoint's parameters, in Float32 as trained; use
    /// `model.converted(to: Double.self)` for measurements in double precision.
    public var model: MultiTaskModel<Float>

    /// Path of the checkpoint's parameter tensors.
    public static let parametersGroup = "/checkpoint/parameters"

    /// Rebuilds the model of the record at `file` (opened in SWMR-read mode, so a record
    /// whose writer is running or was killed works too).
    /// - Throws: `RecordError` (missing file, not HDF5, not a tasktrace/1 record, missing or
    ///   mis-shaped tensor, each naming the file and the dataset) or `RecordedModelError`.
    public init(file: String) throws {
        let reader = try RecordReader(file)
        defer { reader.close() }
        try self.init(reading: reader)
    }

    /// Rebuilds the model of the record `reader` reads; see `init(file:)`.
    public init(reading reader: RecordReader) throws {
        let file = reader.file
        let header = try TrajectoryHeader(reading: reader)
        let configuration: RunConfiguration
        do {
            configuration = try JSONDecoder().decode(RunConfiguration.self, from: Data(header.config.utf8))
        } catch let error as HyperparameterError {
            throw RecordedModelError.unreadableConfiguration(file: file, reason: error.message)
        } catch let error as DecodingError {
            throw RecordedModelError.unreadableConfiguration(file: file, reason: HyperparameterError(decoding: error).message)
        }
        let names = header.tasks.map(\.name)
        if let task = configuration.task, names != [task] {
            throw RecordedModelError.inconsistent(
                file: file, reason: "config trains task \(task) alone, /tasks names \(names.joined(separator: ", "))")
        }
        guard !configuration.widths.isEmpty, configuration.widths.allSatisfy({ $0 > 0 }) else {
            throw RecordedModelError.inconsistent(file: file, reason: "config widths \(configuration.widths) are not positive layer widths")
        }
        let weights: [Double]
        do {
            weights = try configuration.resolvedWeights(taskCount: names.count)
        } catch let error as HyperparameterError {
            throw RecordedModelError.inconsistent(file: file, reason: "config \(error.message)")
        }

        let stepPath = TrajectorySchema.checkpointStepPath
        guard reader.isDataset(stepPath) else { throw RecordError.missingDataset(file: file, path: stepPath) }
        guard let step = try reader.readInt64s(stepPath).first else {
            throw RecordError.wrongShape(file: file, path: stepPath, expected: [1], found: [0])
        }
        guard step >= 0 else { throw RecordedModelError.noCheckpoint(file: file) }

        let group = Self.parametersGroup
        var model: MultiTaskModel<Float>
        if configuration.model == .multilenet {
            // MultiLeNet's input is the dataset's image shape; the output layer of each head is `.2`.
            let heads = try header.tasks.map { task -> (name: String, outputs: Int, loss: LossKind) in
                let outputs = try Self.extent(reader, "\(group)/heads.\(task.name).2.weight", index: 0)
                return (task.name, outputs, task.kind == .classification ? .crossEntropy : .meanSquaredError)
            }
            do {
                model = try configuration.model.makeModel(inputShape: configuration.dataset.resolvedInputShape, heads: heads,
                                                          configuration: configuration)
            } catch let error as HyperparameterError {
                throw RecordedModelError.inconsistent(file: file, reason: "config \(error.message)")
            }
        } else {
            let inputWidth = try Self.extent(reader, "\(group)/trunk.0.weight", index: 1)
            // A shared head is the trunk's last Linear layer, after one Linear and one activation per width.
            let sharedOutputs = configuration.sharedHead
                ? try Self.extent(reader, "\(group)/trunk.\(2 * configuration.widths.count).weight", index: 0) : nil
            let heads = try header.tasks.map { task -> (name: String, outputs: Int, loss: LossKind) in
                let outputs = try sharedOutputs ?? Self.extent(reader, "\(group)/heads.\(task.name).0.weight", index: 0)
                return (task.name, outputs, task.kind == .classification ? .crossEntropy : .meanSquaredError)
            }
            model = if let sharedOutputs {
                MultiTaskModel<Float>.multilayerPerceptronWithSharedHead(
                    inputWidth: inputWidth, trunkWidths: configuration.widths, activation: configuration.activation,
                    outputs: sharedOutputs, heads: heads.map { ($0.name, $0.loss) }, seed: configuration.seed)
            } else {
                MultiTaskModel<Float>.multilayerPerceptron(
                    inputWidth: inputWidth, trunkWidths: configuration.widths, activation: configuration.activation,
                    heads: heads, seed: configuration.seed)
            }
        }
        let expected = Set(model.layout.views.map(\.name))
        for name in try reader.children(of: group) where !expected.contains(name) {
            throw RecordedModelError.unexpectedTensor(file: file, path: "\(group)/\(name)")
        }
        for view in model.layout.views {
            let path = "\(group)/\(view.name)"
            guard reader.isDataset(path) else { throw RecordError.missingDataset(file: file, path: path) }
            let shape = try reader.shape(path)
            guard shape == view.shape else {
                throw RecordError.wrongShape(file: file, path: path, expected: view.shape, found: shape)
            }
            model.parameters.replaceSubrange(view.range, with: try reader.readFloats(path))
        }

        self.file = file
        self.configuration = configuration
        self.tasks = header.tasks
        self.weights = weights
        self.checkpointStep = Int(step)
        self.model = model
    }

    /// Extent `index` of the rank-2 tensor at `path`, which must be positive.
    private static func extent(_ reader: RecordReader, _ path: String, index: Int) throws -> Int {
        guard reader.isDataset(path) else { throw RecordError.missingDataset(file: reader.file, path: path) }
        let shape = try reader.shape(path)
        guard shape.count == 2 else {
            throw RecordError.wrongRank(file: reader.file, path: path, expected: 2, found: shape.count)
        }
        guard shape[index] > 0 else {
            throw RecordError.wrongShape(file: reader.file, path: path, expected: [max(1, shape[0]), max(1, shape[1])],
                                         found: shape)
        }
        return shape[index]
    }
}

/// Why a record's checkpoint cannot be turned into a model; each case names the file.
public enum RecordedModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `/checkpoint/step` is -1: the run stopped before its first checkpoint.
    case noCheckpoint(file: String)
    /// The root attribute `config` is not a `RunConfiguration`.
    case unreadableConfiguration(file: String, reason: String)
    /// A tensor under `/checkpoint/parameters` that the configured architecture does not have.
    case unexpectedTensor(file: String, path: String)
    /// The configuration contradicts the record's tasks or is unusable.
    case inconsistent(file: String, reason: String)

    public var description: String {
        switch self {
        case .noCheckpoint(let file):
            return "\(file): no checkpoint yet (dataset \(TrajectorySchema.checkpointStepPath) is -1)"
        case .unreadableConfiguration(let file, let reason):
            return "\(file): root attribute config is not a run configuration: \(reason)"
        case .unexpectedTensor(let file, let path):
            return "\(file): dataset \(path) is not a parameter of the model that attribute config describes"
        case .inconsistent(let file, let reason):
            return "\(file): \(reason)"
        }
    }
}
