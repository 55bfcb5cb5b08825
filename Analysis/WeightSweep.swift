import Foundation

/// One run of a weight sweep: a scalarization with its weights, or an MTO method placed
/// against the sweep's front.
public struct SweptRun: Sendable, Equatable {
    /// The variant's name (`w-0.25-0.75`, `dirichlet-3`, or a method's name).
    public var variant: String
    /// The scalarization weights; nil for an MTO method.
    public var weights: [Double]?
    public var seed: Int64
    public var file: String

    public init(variant: String, weights: [Double]?, seed: Int64, file: String) {
        self.variant = variant
        self.weights = weights
        self.seed = seed
        self.file = file
    }
}

/// The Pareto front of a weight sweep: each variant's per-task validation metric at the end
/// of training (the last evaluation row, mean over seeds; early stopping on the mean
/// validation loss would pick the start for a weighting that neglects a task), the
/// scalarizations that no other scalarization
/// beats in every task, and where each MTO method lands: dominated by a swept
/// scalarization or not, and its Euclidean distance (in metric units) to the nearest point
/// of the front.
public struct WeightSweep: Sendable {
    /// One variant of the sweep.
    public struct Point: Sendable {
        public var variant: String
        public var weights: [Double]?
        /// Per task, the validation metric: mean over seeds.
        public var validationMetric: [Double]
        /// Per seed (sorted), per task, the validation metric.
        public var seedMetrics: [[Double]]
        /// Scalarizations: whether on the front. Methods: false.
        public var onFront: Bool
        /// Methods: the swept scalarizations that dominate the method; empty for scalarizations.
        public var dominatedBy: [String]
        /// Methods: distance to the nearest front point; NaN for scalarizations.
        public var distanceToFront: Double
    }

    public let taskNames: [String]
    public let metricNames: [String]
    public let seeds: [Int64]
    /// The scalarizations, in sweep order.
    public let scalarizations: [Point]
    /// The MTO methods.
    public let methods: [Point]

    /// Reads every run with `load` (injected for tests) and builds the front.
    public init(runs: [SweptRun], load: (String) throws -> EarlyStoppedRun = { try EarlyStoppedRun(reading: $0) }) throws {
        var loaded: [String: EarlyStoppedRun] = [:]
        for run in runs { loaded[run.file] = try load(run.file) }
        guard let first = runs.first.flatMap({ loaded[$0.file] }) else {
            throw AnalysisError.badStudy(path: "", detail: "the sweep has no multi-task runs")
        }
        taskNames = first.taskNames
        metricNames = first.isClassification.map { $0 ? "accuracy" : "r2" }
        let seeds = Array(Set(runs.map(\.seed))).sorted()
        self.seeds = seeds
        let variants = runs.reduce(into: [String]()) { if !$0.contains($1.variant) { $0.append($1.variant) } }
        let t = taskNames.count
        var points = variants.map { variant -> Point in
            let members = runs.filter { $0.variant == variant }
            let perSeed = seeds.map { seed in
                members.first { $0.seed == seed }.map { loaded[$0.file]!.finalValidationMetric } ?? [Double](repeating: .nan, count: t)
            }
            let mean = (0..<t).map { task in sampleMean(perSeed.map { $0[task] }.filter(\.isFinite)) }
            return Point(variant: variant, weights: members[0].weights, validationMetric: mean, seedMetrics: perSeed,
                         onFront: false, dominatedBy: [], distanceToFront: .nan)
        }
        let scalarizationIndices = points.indices.filter { points[$0].weights != nil }
        let front = paretoFront(scalarizationIndices.map { points[$0].validationMetric }).map { scalarizationIndices[$0] }
        for index in front { points[index].onFront = true }
        for index in points.indices where points[index].weights == nil {
            let metric = points[index].validationMetric
            points[index].dominatedBy = scalarizationIndices.filter { dominates(points[$0].validationMetric, metric) }.map { points[$0].variant }
            points[index].distanceToFront = front.map { j in
                zip(points[j].validationMetric, metric).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            }.min() ?? .nan
        }
        scalarizations = scalarizationIndices.map { points[$0] }
        methods = points.filter { $0.weights == nil }
    }

    /// The table: every scalarization (front first marked), then each method.
    public var table: ResultTable {
        var table = ResultTable(
            title: "Weight sweep: validation metric at the end of training, mean over \(seeds.count) seeds",
            columns: ["variant", "weights"] + zip(taskNames, metricNames).map { "\($0) \($1)" } + ["Pareto front", "dominated by", "distance to front"])
        for point in scalarizations + methods {
            table.append([.text(point.variant), .text(point.weights.map { $0.map { String(format: "%.3g", $0) }.joined(separator: "/") } ?? "(method)")]
                + point.validationMetric.map { .number($0) }
                + [.text(point.weights == nil ? "-" : point.onFront ? "yes" : "no"),
                   .text(point.weights != nil ? "-" : point.dominatedBy.isEmpty ? "none" : point.dominatedBy.joined(separator: " ")),
                   .number(point.distanceToFront)])
        }
        return table
    }
}
