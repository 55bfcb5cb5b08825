import Foundation
import Training

extension RecordSummary {
    /// The one-screen human summary: one `label  value` line per topic.
    var text: String {
        var lines: [(String, String)] = [
            ("file", file),
            ("schema", "\(header.schema), written by tasktrace \(header.toolVersion), created \(header.created)"),
            ("status", header.status + (cleanlyClosed ? "" : " (NOT closed cleanly)")),
        ]
        lines += warnings.map { ("WARNING", $0) }
        let names = header.tasks.map(\.name)
        lines.append(("mode", "\(header.mode.rawValue.uppercased()), \(names.count) task\(names.count == 1 ? "" : "s")"))
        lines.append(("tasks", header.tasks.map { "\($0.name) (\($0.kind.rawValue), metric \($0.metric))" }
            .joined(separator: ", ")))
        if let c = configuration {
            lines += configurationLines(c)
        } else {
            lines.append(("config", "unreadable: \(configurationError ?? "unknown problem")"))
        }
        let probes = rows.probe.map(String.init) ?? "off", snapshots = rows.snapshots.map(String.init) ?? "off"
        lines.append(("rows", "train steps \(rows.train), evaluations \(rows.eval), probes \(probes), snapshots \(snapshots)"))
        if let lastStep, let lastTrainLoss {
            lines.append(("last step", "\(lastStep) (0-based; \(lastStep + 1) taken): minibatch loss " + perTask(lastTrainLoss)))
        } else {
            lines.append(("last step", "none (no training rows yet)"))
        }
        if let e = lastEvaluation {
            let parts = header.tasks.indices.map { t in
                "\(names[t]) train loss \(number(e.trainLoss[t])), val loss \(number(e.validationLoss[t])), " +
                "val \(header.tasks[t].metric) \(number(e.validationMetric[t]))"
            }
            lines.append(("last eval", "step \(e.step): " + parts.joined(separator: "; ")))
        } else {
            lines.append(("last eval", "none yet"))
        }
        lines.append(("checkpoint", checkpointStep.map { "step \($0)" } ?? "none yet"))
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
            .joined(separator: "\n")
    }

    private func configurationLines(_ c: RunConfiguration) -> [(String, String)] {
        let d = c.dataset
        var data = "\(d.name.rawValue): \(d.resolvedTrainCount) train, \(d.resolvedValidationCount) validation"
        if d.name == .multidomain {
            data = "\(d.name.rawValue): \(d.resolvedTrainCount) train, \(d.resolvedValidationCount) validation per domain, "
                + "domains \(d.resolvedDomains.map(\.rawValue).joined(separator: ","))"
        }
        if d.name == .synthetic {
            data += ", \(d.resolvedTaskCount) tasks"
            data += d.resolvedRho.map { ", rho \(number($0))" } ?? ", relatedness matrix"
            data += ", input dimension \(d.resolvedInputDimension ?? 0), noise \(number(d.resolvedNoise ?? 0))"
        }
        data += ", data seed \(d.resolvedSeed)"
        let length: String
        let total = c.totalSteps(exampleCount: d.resolvedTrainCount * max(1, d.resolvedDomains.count))
        if let epochs = c.epochs {
            length = "\(epochs) epoch\(epochs == 1 ? "" : "s") (\(total) steps)"
        } else {
            length = "\(total) steps"
        }
        let weightText = weights.map { perTask($0) } ?? "unusable (\(c.weights ?? []))"
        return [
            ("dataset", data),
            ("model", (c.model == .multilenet
                       ? "MultiLeNet" + (c.dropout > 0 ? ", dropout \(number(c.dropout))" : "")
                       : "MLP trunk \(c.widths.map(String.init).joined(separator: ",")), \(c.activation.rawValue)")
                + (c.task.map { ", single task \($0)" } ?? "")),
            ("optimizer", "\(c.optimizer.kind.rawValue), lr \(number(c.optimizer.learningRate)), schedule \(c.schedule.kind.rawValue)"),
            ("training", "batch size \(c.batchSize), \(length), seed \(c.seed), scalarization \(c.scalarization.rawValue)"
                + (c.sharedHead ? ", shared head" : "")),
            ("weights", weightText),
        ]
    }

    /// `name value, name value` in task order.
    private func perTask(_ values: [Double]) -> String {
        zip(header.tasks, values).map { "\($0.name) \(number($1))" }.joined(separator: ", ")
    }
}

/// A number for the summary: six significant digits.
func number(_ value: Double) -> String {
    String(format: "%.6g", value)
}
