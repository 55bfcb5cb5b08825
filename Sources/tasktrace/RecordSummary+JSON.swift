import Foundation
import Training

extension RecordSummary {
    /// The summary as one JSON object with the keys documented in `Inspect`'s discussion:
    /// every key is always present (null when it does not apply), per-task arrays follow the
    /// order of `tasks`, and NaN or infinite numbers are null.
    var jsonObject: [String: Any] {
        let t = header.tasks
        var object: [String: Any] = [
            "file": file,
            "schema": header.schema,
            "tool_version": header.toolVersion,
            "created": header.created,
            "status": header.status,
            "cleanly_closed": cleanlyClosed,
            "warnings": warnings,
            "mode": header.mode.rawValue,
            "tasks": t.map { ["name": $0.name, "kind": $0.kind.rawValue, "metric": $0.metric,
                              "loss_units": $0.lossUnits, "metric_units": $0.metricUnits] },
            "config": configuration.map(Self.json) ?? NSNull(),
            "config_error": configurationError ?? NSNull(),
            "rows": ["train": rows.train, "eval": rows.eval,
                     "probe": rows.probe ?? NSNull(), "snapshots": rows.snapshots ?? NSNull()] as [String: Any],
            "last_step": lastStep ?? NSNull(),
            "last_train_loss": lastTrainLoss.map(jsonNumbers) ?? NSNull(),
            "checkpoint_step": checkpointStep ?? NSNull(),
        ]
        object["last_eval"] = lastEvaluation.map { e -> Any in
            ["step": e.step, "train_loss": jsonNumbers(e.trainLoss), "val_loss": jsonNumbers(e.validationLoss),
             "train_metric": jsonNumbers(e.trainMetric), "val_metric": jsonNumbers(e.validationMetric)]
        } ?? NSNull()
        if var config = object["config"] as? [String: Any] {
            config["weights"] = weights.map(jsonNumbers) ?? NSNull()
            object["config"] = config
        }
        return object
    }

    /// The summary as JSON text on one line, keys sorted.
    func jsonText() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: jsonObject,
                                              options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func json(_ c: RunConfiguration) -> [String: Any] {
        let d = c.dataset
        return [
            "dataset": [
                "name": d.name.rawValue, "train_count": d.resolvedTrainCount,
                "validation_count": d.resolvedValidationCount, "task_count": d.resolvedTaskCount,
                "rho": d.resolvedRho.map(jsonNumber) ?? NSNull(), "data_seed": d.resolvedSeed,
            ] as [String: Any],
            "task": c.task ?? NSNull(),
            "model": c.model.rawValue,
            "dropout": jsonNumber(c.dropout),
            "widths": c.widths,
            "activation": c.activation.rawValue,
            "optimizer": c.optimizer.kind.rawValue,
            "learning_rate": jsonNumber(c.optimizer.learningRate),
            "schedule": c.schedule.kind.rawValue,
            "batch_size": c.batchSize,
            "steps": c.steps ?? NSNull(),
            "epochs": c.epochs ?? NSNull(),
            "total_steps": c.totalSteps(exampleCount: d.resolvedTrainCount),
            "seed": c.seed,
        ]
    }
}

/// A number for JSON: the value, or null when it is NaN or infinite.
func jsonNumber(_ value: Double) -> Any { value.isFinite ? value : NSNull() }

/// Numbers for JSON, non-finite ones as null.
func jsonNumbers(_ values: [Double]) -> [Any] { values.map(jsonNumber) }
