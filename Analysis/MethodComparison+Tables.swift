import Foundation

extension MethodComparison {
    /// `0.812 [0.805, 0.819]`, or the estimate alone when there is no interval.
    static func formatted(_ interval: ConfidenceInterval, digits: Int = 4) -> String {
        let format = "%.\(digits)f"
        guard interval.estimate.isFinite else { return "-" }
        guard interval.lower.isFinite, interval.upper.isFinite else { return String(format: format, interval.estimate) }
        return String(format: "\(format) [\(format), \(format)]", interval.estimate, interval.lower, interval.upper)
    }

    /// What the comparison with the tuned scalarization says: better or worse beyond the
    /// 95% interval of the paired difference, or within it.
    public func verdict(_ result: Result) -> String {
        if result.variant == tunedScalarization { return "tuned scalarization" }
        guard let difference = result.versusTunedScalarization, difference.lower.isFinite, difference.upper.isFinite else { return "-" }
        if difference.lower > 0 { return "better" }
        if difference.upper < 0 { return "worse" }
        return "within interval"
    }

    /// The comparison table: one row per variant at its best learning rate (best Delta_m
    /// first), then the ST reference.
    public var table: ResultTable {
        let metricColumns = taskNames.map { "\($0) test metric [95%]" }
        var table = ResultTable(
            title: "Methods at their best learning rate (early stopping on mean validation loss, test split; \(seeds.count) seeds)",
            columns: ["rank", "variant", "lr"] + metricColumns
                + ["Delta_m % [95%]", "vs tuned scalarization [95%]", "verdict", "steps/s", "wall s", "weight drift", "final drift", "weight scale"])
        for result in results {
            table.append([.integer(result.rank), .text(result.variant), .number(result.learningRate)]
                + result.testMetric.map { .text(Self.formatted($0)) }
                + [.text(Self.formatted(result.deltaM, digits: 2)),
                   .text(result.versusTunedScalarization.map { Self.formatted($0, digits: 2) } ?? "-"),
                   .text(verdict(result)), .number(result.stepsPerSecond), .number(result.wallSeconds),
                   .number(result.drift.mean), .number(result.drift.final), .number(result.drift.scale)])
        }
        let rates = singleTaskLearningRates.map { $0.isFinite ? String(format: "%g", $0) : "-" }.joined(separator: "/")
        table.append([.text("-"), .text("ST (each task alone)"), .text(rates)] + singleTaskTestMetric.map { .text(Self.formatted($0)) }
                     + [.text("0 (reference)"), .text("-"), .text("-"), .number(.nan), .number(.nan), .number(.nan), .number(.nan), .number(.nan)])
        return table
    }
}
