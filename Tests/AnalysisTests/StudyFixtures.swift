import Foundation
import Records
@testable import Analysis

/// Hand-made "tasktrace/1" records with known answers.
enum StudyFixtures {
    /// A scratch folder removed by `remove()`.
    struct Folder {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Validation loss as a function of training loss, linear in log loss, so that
    /// interpolation in log loss reproduces it exactly.
    static func validationLoss(_ trainLoss: Double) -> Double { 0.4 + 0.3 * log(trainLoss) }

    /// Writes a record whose task `t` follows train loss `2 exp(-step / (decay[t]))` at steps
    /// 0, 50, ..., 500, with validation loss `validationLoss(train) + offset[t]`.
    static func writeRecord(
        _ path: String, tasks: [String], mode: TrajectorySchema.Mode, seed: Int64, decay: [Double], offset: [Double],
        dataset: String = #"{"name":"synthetic","rho":0.5}"#, probe: Bool = false, omit: String? = nil
    ) throws {
        let schema = TrajectorySchema(tasks: tasks.map { TrajectoryTask(name: $0, kind: .regression, metric: "r2", metricUnits: "1") },
                                      mode: mode, toolVersion: "test", config: #"{"dataset":\#(dataset)}"#, seed: seed, probe: probe)
        var layout = schema.layout()
        if let omit { layout = RecordLayout(rootAttributes: layout.rootAttributes, groupAttributes: layout.groupAttributes,
                                            datasets: layout.datasets.filter { $0.path != omit }) }
        let writer = try RecordWriter(creating: path, layout: layout)
        let t = tasks.count
        for step in stride(from: 0, through: 500, by: 50) {
            let train = decay.map { 2 * exp(-Double(step) / $0) }
            try writer.append("/eval/step", integer: Int64(step))
            try writer.append("/eval/train_loss", row: train)
            if omit != "/eval/val_loss" { try writer.append("/eval/val_loss", row: train.indices.map { validationLoss(train[$0]) + offset[$0] }) }
            try writer.append("/eval/train_metric", row: train.map { 1 + 0.1 * log($0) })
            try writer.append("/eval/val_metric", row: train.map { 0.95 + 0.1 * log($0) })  // linear in log loss, no gap
            if probe {
                // Cosine between the tasks falls from 0.5 to -0.5 over the run.
                let cosine = 0.5 - Double(step) / 500
                var gram = [Double](repeating: 0, count: t * t), cos = [Double](repeating: 0, count: t * t)
                for i in 0..<t { for j in 0..<t { gram[i * t + j] = i == j ? 4 : 4 * cosine; cos[i * t + j] = i == j ? 1 : cosine } }
                try writer.append("/probe/step", integer: Int64(step))
                try writer.append("/probe/gramian", row: gram)
                try writer.append("/probe/cosine", row: cos)
                try writer.append("/probe/sharpness", row: (0...t).map { _ in 10 - Double(step) / 100 + (mode == .mt ? 1 : 0) })
                try writer.append("/probe/hessian_trace", row: (0...t).map { _ in 50.0 })
                for name in ["fisher_trace", "grad_noise_trace", "noise_scale", "coherence"] {
                    try writer.append("/probe/\(name)", row: (0..<t).map { _ in 1.0 })
                }
                try writer.append("/probe/directional_conflict", value: 0.8)
                try writer.append("/probe/dist_init", value: Double(step) / 100)
                try writer.append("/probe/weight_norm", value: 10)
            }
        }
        try writer.finish(status: "complete")
    }

    /// A study of ST runs per task and one MT variant, `seeds` seeds, MT validation loss
    /// `gap` above ST at the same training loss; returns the runs.
    static func study(in folder: Folder, seeds: [Int64] = [1, 2, 3], gap: Double = 0.1, probe: Bool = false) throws -> [StudyRecord] {
        var runs: [StudyRecord] = []
        for seed in seeds {
            for (index, task) in ["a", "b"].enumerated() {
                let file = folder.file("st-\(task)-\(seed).h5")
                try writeRecord(file, tasks: [task], mode: .st, seed: seed, decay: [100 + Double(10 * index) + Double(seed)], offset: [0], probe: probe)
                runs.append(StudyRecord(file: file, mode: .st, seed: seed))
            }
            let file = folder.file("mt-\(seed).h5")
            try writeRecord(file, tasks: ["a", "b"], mode: .mt, seed: seed, decay: [80 + Double(seed), 90 + Double(seed)],
                            offset: [gap, gap], probe: probe)
            runs.append(StudyRecord(file: file, mode: .mt, variant: "equal", seed: seed))
        }
        return runs
    }
}
