import Foundation

/// The record schema "tasktrace/1" (DESIGN.md) as data: which groups, datasets and
/// attributes one run's record has, given its tasks and options.
///
/// Shapes below use T tasks, N training steps, M evaluations, K probes, S snapshots:
/// `/train/{step [N], loss [N,T], weight [N,T], lr [N]}`,
/// `/grads/{gramian [N,T,T], cosine [N,T,T], update_norm [N]}`,
/// `/eval/{step [M], train_loss, val_loss, train_metric, val_metric [M,T]}`,
/// `/eval/{test_loss, test_metric [M,T]}` when `testEvaluation` is on, `/train/wall_time [N]`
/// when `wallTime` is on,
/// `/probe/...` [K,...] when `probe` is on, `/snapshots/{step [S], task_gradients [S,T,P]}`
/// (gzip) when `snapshots` is set, `/checkpoint/...` fixed arrays when `checkpoint` is set.
/// Steps are Int64, snapshots and parameters Float32, everything else Float64.
public struct TrajectorySchema: Sendable, Hashable {
    /// The value of the root attribute `schema`.
    public static let name = "tasktrace/1"

    /// Whether the run trains tasks singly or together (`/tasks` attribute `mode`).
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case st
        case mt
    }

    /// Full task gradients every `every` steps: `/snapshots/task_gradients [S, T, parameterCount]`.
    public struct Snapshots: Sendable, Hashable {
        /// Steps between snapshots (G).
        public var every: Int
        /// Parameters per task gradient (P).
        public var parameterCount: Int
        /// gzip level 1...9.
        public var gzipLevel: Int

        public init(every: Int, parameterCount: Int, gzipLevel: Int = 4) {
            self.every = every
            self.parameterCount = parameterCount
            self.gzipLevel = gzipLevel
        }
    }

    /// One fixed array of the checkpoint, e.g. a layer's parameters or an optimizer moment.
    public struct CheckpointArray: Sendable, Hashable {
        /// Dataset name inside its group (no `/`), e.g. "trunk.0.weight".
        public var name: String
        /// Shape of the array.
        public var shape: [Int]
        /// Stored element type.
        public var elementType: RecordElementType
        /// The `description` attribute.
        public var description: String
        /// The `units` attribute.
        public var units: String

        public init(name: String, shape: [Int], elementType: RecordElementType = .float32,
                    description: String, units: String = "1") {
            self.name = name
            self.shape = shape
            self.elementType = elementType
            self.description = description
            self.units = units
        }
    }

    /// The `/checkpoint` group: everything `--resume` needs, overwritten at each checkpoint.
    ///
    /// Datasets: `/checkpoint/parameters/<name>` per layer, `/checkpoint/optimizer/<name>`,
    /// `/checkpoint/rng` UInt64 [4], `/checkpoint/cursor` Int64 [cursorCount],
    /// `/checkpoint/step` Int64 [1] (-1 until the first checkpoint) and
    /// `/checkpoint/row_counts` Int64 [D]: rows of each appendable dataset at the checkpoint,
    /// in the order of its string-array attribute `datasets`.
    public struct Checkpoint: Sendable, Hashable {
        public var parameters: [CheckpointArray]
        public var optimizer: [CheckpointArray]
        /// The aggregator's state (`/checkpoint/aggregator/...`), e.g. an MTO method's moving averages.
        public var aggregator: [CheckpointArray]
        /// Number of Int64s describing the data cursor (epoch, position, ...).
        public var cursorCount: Int

        public init(parameters: [CheckpointArray], optimizer: [CheckpointArray] = [], aggregator: [CheckpointArray] = [],
                    cursorCount: Int) {
            self.aggregator = aggregator
            self.parameters = parameters
            self.optimizer = optimizer
            self.cursorCount = cursorCount
        }
    }

    public var tasks: [TrajectoryTask]
    public var mode: Mode
    /// Root attribute `tool_version`.
    public var toolVersion: String
    /// Root attribute `created`: ISO 8601 time of creation.
    public var created: String
    /// Root attribute `config`: the run's configuration as JSON text.
    public var config: String
    /// Root attribute `seed`.
    public var seed: Int64
    /// Whether the `/probe` group is recorded.
    public var probe: Bool
    /// Optional gradient snapshots.
    public var snapshots: Snapshots?
    /// Whether every evaluation also measures the test split (`/eval/test_loss`, `/eval/test_metric`),
    /// for model selection on validation reported on test.
    public var testEvaluation: Bool
    /// Whether each step row carries the run's elapsed wall-clock time (`/train/wall_time`).
    public var wallTime: Bool
    /// Optional checkpoint arrays.
    public var checkpoint: Checkpoint?

    public init(tasks: [TrajectoryTask], mode: Mode, toolVersion: String, config: String, seed: Int64,
                created: String = ISO8601DateFormatter().string(from: Date()), probe: Bool = true,
                snapshots: Snapshots? = nil, checkpoint: Checkpoint? = nil, testEvaluation: Bool = false,
                wallTime: Bool = false) {
        self.testEvaluation = testEvaluation
        self.wallTime = wallTime
        self.tasks = tasks
        self.mode = mode
        self.toolVersion = toolVersion
        self.created = created
        self.config = config
        self.seed = seed
        self.probe = probe
        self.snapshots = snapshots
        self.checkpoint = checkpoint
    }

    /// Number of tasks T.
    public var taskCount: Int { tasks.count }

    /// Datasets every tasktrace/1 record has (the `requiring` default of `validate`).
    public static let coreDatasets = [
        "/train/step", "/train/loss", "/train/weight", "/train/lr",
        "/grads/gramian", "/grads/cosine", "/grads/update_norm",
        "/eval/step", "/eval/train_loss", "/eval/val_loss", "/eval/train_metric", "/eval/val_metric",
    ]

    /// Path of the checkpoint's row counts (see `Checkpoint`).
    public static let rowCountsPath = "/checkpoint/row_counts"
    /// Path of the run's elapsed wall-clock time at the checkpoint (records with `wallTime`).
    public static let checkpointWallTimePath = "/checkpoint/wall_time"
    /// Path of the checkpoint's step (-1 before the first checkpoint).
    public static let checkpointStepPath = "/checkpoint/step"

    // MARK: - Layout

    /// Everything the record of this run contains, for `RecordWriter(creating:layout:)`.
    public func layout() -> RecordLayout {
        let t = taskCount
        let loss = Self.perTask(tasks.map(\.lossUnits), names: tasks.map(\.name))
        let metric = Self.perTask(tasks.map(\.metricUnits), names: tasks.map(\.name))
        let squared = Set(tasks.map(\.lossUnits)).count == 1 ? "(\(tasks[0].lossUnits))^2"
            : "product of task i and task j loss units"
        let total = Set(tasks.map(\.lossUnits)).count == 1 ? tasks[0].lossUnits : "mixed loss units"
        let perTaskAndTotal = "\(loss); last column (total): \(total)"
        let curvature = "\(perTaskAndTotal) (per squared parameter unit)"
        let metricNames = Self.perTask(tasks.map(\.metric), names: tasks.map(\.name))

        var d: [DatasetSpec] = [
            .appendable("/train/step", .int64, description: "optimizer step of the row (0-based)", units: "steps"),
            .appendable("/train/loss", .float64, row: [t], description: "per-task minibatch loss", units: loss),
            .appendable("/train/weight", .float64, row: [t],
                        description: "scalarization weight w_t of each task loss in the step's update", units: "1"),
            .appendable("/train/lr", .float64, description: "learning rate of the step", units: "1"),
            .appendable("/grads/gramian", .float64, row: [t, t],
                        description: "Gramian g_i.g_j of the minibatch task gradients over the shared parameters",
                        units: squared),
            .appendable("/grads/cosine", .float64, row: [t, t],
                        description: "cosine between minibatch task gradients over the shared parameters", units: "1"),
            .appendable("/grads/update_norm", .float64,
                        description: "L2 norm of the step's parameter update", units: "parameter units"),
            .appendable("/eval/step", .int64, description: "optimizer step at which the evaluation ran", units: "steps"),
            .appendable("/eval/train_loss", .float64, row: [t],
                        description: "per-task loss on the fixed train-eval subset", units: loss),
            .appendable("/eval/val_loss", .float64, row: [t],
                        description: "per-task loss on the validation data", units: loss),
            .appendable("/eval/train_metric", .float64, row: [t],
                        description: "per-task metric (\(metricNames)) on the fixed train-eval subset", units: metric),
            .appendable("/eval/val_metric", .float64, row: [t],
                        description: "per-task metric (\(metricNames)) on the validation data", units: metric),
        ]
        if testEvaluation {
            d += [
                .appendable("/eval/test_loss", .float64, row: [t], description: "per-task loss on the test split", units: loss),
                .appendable("/eval/test_metric", .float64, row: [t],
                            description: "per-task metric (\(metricNames)) on the test split", units: metric),
            ]
        }
        if wallTime {
            d.append(.appendable("/train/wall_time", .float64,
                                 description: "wall-clock time the run has spent up to the end of the step, summed over resumed sessions",
                                 units: "seconds"))
        }
        if probe {
            d += [
                .appendable("/probe/step", .int64, description: "optimizer step at which the probe ran", units: "steps"),
                .appendable("/probe/gramian", .float64, row: [t, t],
                            description: "Gramian g_i.g_j of big-batch task gradients over the shared parameters",
                            units: squared),
                .appendable("/probe/cosine", .float64, row: [t, t],
                            description: "cosine between big-batch task gradients over the shared parameters",
                            units: "1"),
                .appendable("/probe/sharpness", .float64, row: [t + 1],
                            description: "top Hessian eigenvalue on the fixed probe batch, per task then of the total loss",
                            units: curvature),
                .appendable("/probe/hessian_trace", .float64, row: [t + 1],
                            description: "Hessian trace on the fixed probe batch, per task then of the total loss",
                            units: curvature),
                .appendable("/probe/fisher_trace", .float64, row: [t],
                            description: "per-task trace of the empirical Fisher (mean squared per-example gradient norm)",
                            units: Self.squaredPerTask(tasks)),
                .appendable("/probe/grad_noise_trace", .float64, row: [t],
                            description: "per-task trace of the per-example gradient covariance",
                            units: Self.squaredPerTask(tasks)),
                .appendable("/probe/noise_scale", .float64, row: [t],
                            description: "per-task gradient noise scale tr(covariance) / |mean gradient|^2",
                            units: "examples"),
                .appendable("/probe/coherence", .float64, row: [t],
                            description: "per-task gradient coherence of per-example gradients", units: "1"),
                .appendable("/probe/directional_conflict", .float64,
                            description: "|mean of unit task gradients| over the shared parameters", units: "1"),
                .appendable("/probe/dist_init", .float64,
                            description: "L2 distance of the parameters from their initialization",
                            units: "parameter units"),
                .appendable("/probe/weight_norm", .float64, description: "L2 norm of the parameters",
                            units: "parameter units"),
            ]
        }
        if let snapshots {
            d += [
                .appendable("/snapshots/step", .int64, description: "optimizer step of the gradient snapshot",
                            units: "steps", attributes: ["every": .int(Int64(snapshots.every))]),
                .appendable("/snapshots/task_gradients", .float32, row: [t, snapshots.parameterCount],
                            description: "full minibatch gradient of each task's loss w.r.t. all parameters",
                            units: "\(loss) per parameter unit", chunkRows: 1, gzipLevel: snapshots.gzipLevel,
                            attributes: ["every": .int(Int64(snapshots.every))]),
            ]
        }
        if let checkpoint {
            let appendable = d.map(\.path)
            for array in checkpoint.parameters {
                d.append(.fixed("/checkpoint/parameters/" + array.name, array.elementType, shape: array.shape,
                                description: array.description, units: array.units))
            }
            for array in checkpoint.optimizer {
                d.append(.fixed("/checkpoint/optimizer/" + array.name, array.elementType, shape: array.shape,
                                description: array.description, units: array.units))
            }
            for array in checkpoint.aggregator {
                d.append(.fixed("/checkpoint/aggregator/" + array.name, array.elementType, shape: array.shape,
                                description: array.description, units: array.units))
            }
            d += [
                .fixed("/checkpoint/rng", .uint64, shape: [4], description: "random generator state", units: "1"),
                .fixed("/checkpoint/cursor", .int64, shape: [max(1, checkpoint.cursorCount)],
                       description: "data cursor (epoch, position, ...) of the batch iterator", units: "1"),
            ]
            if wallTime {
                d.append(.fixed(Self.checkpointWallTimePath, .float64, shape: [1],
                                description: "elapsed wall-clock time of the run at the checkpoint", units: "seconds"))
            }
            d += [
                .fixed(Self.checkpointStepPath, .int64, shape: [1],
                       description: "training steps completed at the checkpoint (-1: no checkpoint yet)",
                       units: "steps", fillValue: -1),
                .fixed(Self.rowCountsPath, .int64, shape: [appendable.count],
                       description: "rows of each appendable dataset at the checkpoint, in the order of attribute datasets",
                       units: "rows", attributes: ["datasets": .strings(appendable)]),
            ]
        }
        return RecordLayout(
            rootAttributes: [
                "schema": .string(Self.name), "tool_version": .string(toolVersion), "created": .string(created),
                "config": .string(config), "seed": .int(seed),
            ],
            groupAttributes: ["/tasks": [
                "names": .strings(tasks.map(\.name)), "kinds": .strings(tasks.map(\.kind.rawValue)),
                "mode": .string(mode.rawValue), "loss_units": .strings(tasks.map(\.lossUnits)),
                "metrics": .strings(tasks.map(\.metric)), "metric_units": .strings(tasks.map(\.metricUnits)),
            ]],
            datasets: d)
    }

    /// One units string for a per-task column: the common units, or "per task: a: u1, b: u2".
    static func perTask(_ units: [String], names: [String]) -> String {
        if Set(units).count <= 1 { return units.first ?? "1" }
        return "per task: " + zip(names, units).map { "\($0): \($1)" }.joined(separator: ", ")
    }

    private static func squaredPerTask(_ tasks: [TrajectoryTask]) -> String {
        perTask(tasks.map { "(\($0.lossUnits))^2" }, names: tasks.map(\.name))
    }
}
