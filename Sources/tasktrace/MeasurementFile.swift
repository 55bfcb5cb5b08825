import Foundation
import Nets
import Records
import Training

/// OUT.h5 of `tasktrace measure` (schema "tasktrace-measure/1"), written with `RecordWriter`
/// as fixed Float64 datasets, each with `description` and `units` attributes.
/// T tasks, P parameters, V parameter tensors:
///
/// - root attributes: `schema`, `tool_version`, `created`, `status` ("complete"), `record`
///   and `data` (the input paths), `checkpoint_step`, `precision` ("double" | "float"),
///   `tasks` [T] and `kinds` [T] (head order), `weights` [T] (of the total loss),
///   `parameter_count` (P), `shared_count` (S: the shared trunk is the flat prefix 0..<S),
///   `batch_size` (N), `lanczos_iterations` (the cap).
/// - `/losses` [T], `/gradients` [T, P], `/gramian` [T, T] and `/cosine` [T, T] (over the
///   shared parameters), `/hvp` [T+1, P] (only when BATCH.h5 has `/vector`; rows: each
///   task's loss, then the weighted total), `/eigenvalues` [T+1] (same rows; attributes
///   `iterations` and `converged` (1 or 0), [T+1] integers).
/// - The flat layout: group `/parameters` with attribute `names` [V] (PyTorch names, storage
///   order) and Int64 datasets `/parameters/offsets` [V] (first flat index),
///   `/parameters/ranks` [V] and `/parameters/shapes` [V, R] (row v: the shape of tensor v in
///   its first ranks[v] entries, -1 after; R the largest rank). Tensor v is
///   `flat[offsets[v] ..< offsets[v] + prod(shape)]` reshaped row-major to its shape.
enum MeasurementFile {
    /// The root attribute `schema` of OUT.h5.
    static let schema = "tasktrace-measure/1"

    /// What describes the measurement besides its values.
    struct Context {
        var record: String
        var data: String
        var recorded: RecordedModel
        var precision: String
        var batchSize: Int
        var lanczosIterations: Int
    }

    /// Writes `measurement` to `file` (replacing an existing file only when `overwrite`).
    static func write(_ measurement: CheckpointMeasurement, context: Context, to file: String, overwrite: Bool) throws {
        let writer = try RecordWriter(creating: file, layout: layout(measurement, context), overwrite: overwrite)
        do {
            let layout = context.recorded.model.layout
            try writer.writeFixed("/losses", values: measurement.losses)
            try writer.writeFixed("/gradients", values: measurement.gradients.storage)
            try writer.writeFixed("/gramian", values: measurement.gramian.storage)
            try writer.writeFixed("/cosine", values: measurement.cosine.storage)
            if let products = measurement.hessianVectorProducts {
                try writer.writeFixed("/hvp", values: products.storage)
            }
            try writer.writeFixed("/eigenvalues", values: measurement.eigenvalues.map(\.value))
            try writer.writeFixed("/parameters/offsets", values: layout.views.map { Int64($0.offset) })
            try writer.writeFixed("/parameters/ranks", values: layout.views.map { Int64($0.shape.count) })
            let rank = maxRank(layout)
            try writer.writeFixed("/parameters/shapes", values: layout.views.flatMap { view in
                view.shape.map(Int64.init) + [Int64](repeating: -1, count: rank - view.shape.count)
            })
            try writer.finish(status: "complete")
        } catch {
            try? writer.close()
            try? FileManager.default.removeItem(atPath: file)
            throw error
        }
    }

    private static func maxRank(_ layout: ParameterLayout) -> Int { layout.views.map(\.shape.count).max() ?? 1 }

    /// The structure of OUT.h5 for `measurement`.
    static func layout(_ measurement: CheckpointMeasurement, _ context: Context) -> RecordLayout {
        let recorded = context.recorded
        let tasks = recorded.tasks, t = tasks.count
        let parameterLayout = recorded.model.layout
        let p = parameterLayout.count, v = parameterLayout.views.count
        let names = tasks.map(\.name)
        let sameUnits = Set(tasks.map(\.lossUnits)).count == 1
        let loss = sameUnits ? tasks[0].lossUnits
            : "per task: " + tasks.map { "\($0.name): \($0.lossUnits)" }.joined(separator: ", ")
        let lossUnits = sameUnits ? tasks[0].lossUnits : "task loss units"
        let curvature = "(\(lossUnits)) per squared parameter unit"
        var datasets: [DatasetSpec] = [
            .fixed("/losses", .float64, shape: [t], description: "mean loss of each task on the batch", units: loss),
            .fixed("/gradients", .float64, shape: [t, p],
                   description: "row t: gradient of task t's mean loss over all parameters, flat layout of /parameters "
                       + "(zero on the other tasks' heads)",
                   units: "(\(lossUnits)) per parameter unit"),
            .fixed("/gramian", .float64, shape: [t, t],
                   description: "g_i.g_j of the task gradients over the shared parameters (flat indices 0..<shared_count)",
                   units: "(\(lossUnits))^2 per squared parameter unit"),
            .fixed("/cosine", .float64, shape: [t, t],
                   description: "cosine between task gradients over the shared parameters (0 when one is zero)", units: "1"),
            .fixed("/eigenvalues", .float64, shape: [t + 1],
                   description: "top Hessian eigenvalue by Lanczos with full reorthogonalization on the batch; "
                       + "rows: each task's loss, then the weighted total sum_t w_t L_t",
                   units: curvature,
                   attributes: ["iterations": .ints(measurement.eigenvalues.map { Int64($0.iterations) }),
                                "converged": .ints(measurement.eigenvalues.map { $0.converged ? 1 : 0 })]),
            .fixed("/parameters/offsets", .int64, shape: [v],
                   description: "index of each tensor's first scalar in the flat parameter vector", units: "1"),
            .fixed("/parameters/ranks", .int64, shape: [v], description: "number of dimensions of each tensor", units: "1"),
            .fixed("/parameters/shapes", .int64, shape: [v, maxRank(parameterLayout)],
                   description: "shape of each tensor (PyTorch layout) in its first ranks[v] entries, -1 after",
                   units: "1", fillValue: -1),
        ]
        if measurement.hessianVectorProducts != nil {
            datasets.insert(.fixed(
                "/hvp", .float64, shape: [t + 1, p],
                description: "exact Hessian-vector products H v with v = /vector of the batch file, flat layout of "
                    + "/parameters; rows: each task's loss, then the weighted total sum_t w_t L_t",
                units: "\(curvature) times the units of the vector"), at: 4)
        }
        return RecordLayout(
            rootAttributes: [
                "schema": .string(schema), "tool_version": .string(TaskTrace.version),
                "created": .string(ISO8601DateFormatter().string(from: Date())),
                "record": .string(context.record), "data": .string(context.data),
                "checkpoint_step": .int(Int64(recorded.checkpointStep)), "precision": .string(context.precision),
                "tasks": .strings(names), "kinds": .strings(tasks.map(\.kind.rawValue)),
                "weights": .doubles(recorded.weights), "parameter_count": .int(Int64(p)),
                "shared_count": .int(Int64(parameterLayout.sharedCount)), "batch_size": .int(Int64(context.batchSize)),
                "lanczos_iterations": .int(Int64(context.lanczosIterations)),
            ],
            groupAttributes: ["/parameters": ["names": .strings(parameterLayout.views.map(\.name))]],
            datasets: datasets)
    }
}
