import Foundation
import Records

/// Writes a weight sweep to HDF5 (schema "tasktrace-sweep/1") for plotting: with V swept
/// weight vectors, K methods, S seeds and T tasks,
/// `/scalarizations/{weights [V,T], val_metric [V,T], val_metric_per_seed [V,S,T], pareto [V]}`
/// and, when there are methods, `/methods/{val_metric [K,T], val_metric_per_seed [K,S,T],
/// dominated [K], distance_to_front [K]}`; root attributes name the tasks, metrics, seeds,
/// scalarizations and methods. Flags are 1 or 0.
public enum SweepFile {
    public static let schema = "tasktrace-sweep/1"

    /// Writes `sweep` (of the study folder `study`) to `path`, replacing an existing file.
    public static func write(_ sweep: WeightSweep, study: String, to path: String) throws {
        var c = AnalysisFile.Contents()
        let t = sweep.taskNames.count, s = sweep.seeds.count
        let metric = "validation \(sweep.metricNames.joined(separator: "/")) at the last evaluation"
        func add(_ group: String, _ points: [WeightSweep.Point]) {
            let k = points.count
            c.add("\(group)/val_metric", shape: [k, t], description: "\(metric), mean over seeds", units: "as recorded",
                  points.flatMap(\.validationMetric))
            c.add("\(group)/val_metric_per_seed", shape: [k, s, t], description: "\(metric), per seed", units: "as recorded",
                  points.flatMap { $0.seedMetrics.flatMap { $0 } })
        }
        let v = sweep.scalarizations.count
        c.add("/scalarizations/weights", shape: [v, t], description: "scalarization weights of each swept variant", units: "1",
              sweep.scalarizations.flatMap { $0.weights! })
        add("/scalarizations", sweep.scalarizations)
        c.add("/scalarizations/pareto", shape: [v], description: "1 where no other swept scalarization is at least as good in every task and better in one",
              units: "1", sweep.scalarizations.map { $0.onFront ? 1 : 0 })
        if !sweep.methods.isEmpty {
            add("/methods", sweep.methods)
            c.add("/methods/dominated", shape: [sweep.methods.count], description: "1 where a swept scalarization dominates the method",
                  units: "1", sweep.methods.map { $0.dominatedBy.isEmpty ? 0 : 1 })
            c.add("/methods/distance_to_front", shape: [sweep.methods.count],
                  description: "Euclidean distance from the method's metrics to the nearest Pareto-front scalarization", units: "metric units",
                  sweep.methods.map(\.distanceToFront))
        }
        let layout = RecordLayout(
            rootAttributes: [
                "schema": .string(schema), "study": .string(study),
                "created": .string(ISO8601DateFormatter().string(from: Date())), "tasks": .strings(sweep.taskNames),
                "metric_names": .strings(sweep.metricNames), "seeds": .ints(sweep.seeds),
                "scalarizations": .strings(sweep.scalarizations.map(\.variant)), "methods": .strings(sweep.methods.map(\.variant)),
            ],
            groupAttributes: [:], datasets: c.specs)
        let writer = try RecordWriter(creating: path, layout: layout, overwrite: true)
        for (path, values) in c.values { try writer.writeFixed(path, values: values) }
        try writer.finish(status: "complete")
    }
}
