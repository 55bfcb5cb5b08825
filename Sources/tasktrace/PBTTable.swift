import Foundation

/// The final table of `tasktrace pbt`: one row per way of choosing the weights (the PBT
/// winner, equal weights, the sweep's best), with its weights, per-task validation metric,
/// per-task test metric (when every row has one), fitness and compute cost.
struct PBTTable {
    /// One row of the table.
    struct Row {
        /// What the row is: "PBT winner", "equal weights", "sweep best".
        var label: String
        /// Which run: the member's record, "equal.h5", or the sweep variant's name.
        var source: String
        /// The weights (T): the winner's final weights, equal weights, the variant's.
        var weights: [Double]
        /// Per-task validation metric (T).
        var validationMetrics: [Double]
        /// Per-task test metric (T), when the records have one.
        var testMetrics: [Double]?
        /// The fitness (mean validation metric, or minus the mean validation loss).
        var fitness: Double
        /// Optimizer steps summed over every run the row took.
        var cost: Int
    }

    /// The task names, in head order.
    var taskNames: [String]
    /// The metric's name (accuracy, r2, or "metric" when tasks differ).
    var metricName: String
    var rows: [Row]

    /// Whether the test columns appear: every row has test metrics.
    var hasTest: Bool { !rows.isEmpty && rows.allSatisfy { $0.testMetrics != nil } }

    /// Column headers, as in the CSV.
    var header: [String] {
        ["row", "source"] + taskNames.map { "weight_\($0)" } + taskNames.map { "val_\(metricName)_\($0)" }
            + (hasTest ? taskNames.map { "test_\(metricName)_\($0)" } : []) + ["fitness", "optimizer_steps"]
    }

    /// The cells of `row`, as in the CSV (numbers with full precision).
    func cells(_ row: Row) -> [String] {
        [row.label, row.source] + row.weights.map { "\($0)" } + row.validationMetrics.map { "\($0)" }
            + (hasTest ? row.testMetrics!.map { "\($0)" } : []) + ["\(row.fitness)", "\(row.cost)"]
    }

    /// The table as CSV: a header line, then one line per row.
    var csv: String {
        ([header] + rows.map(cells)).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The table as aligned text for the terminal: weights, metrics and fitness to 4 decimals.
    var text: String {
        func format(_ value: Double) -> String { String(format: "%.4f", value) }
        let head = ["", "source", "weights"] + taskNames.map { "val \($0)" } + (hasTest ? taskNames.map { "test \($0)" } : [])
            + ["fitness", "steps"]
        let body = rows.map { row in
            [row.label, row.source, row.weights.map { String(format: "%.3f", $0) }.joined(separator: " ")]
                + row.validationMetrics.map(format) + (hasTest ? row.testMetrics!.map(format) : [])
                + [format(row.fitness), "\(row.cost)"]
        }
        let lines = [head] + body
        let widths = head.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { column, cell in
                column < 3 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n(validation \(metricName) per task; fitness: \(fitnessNote); steps: optimizer steps summed over the runs the row took)\n"
    }

    /// What the fitness column means.
    var fitnessNote: String
}
