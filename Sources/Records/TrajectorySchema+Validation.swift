extension TrajectorySchema {
    /// Shape of one row of the schema dataset at `path` for `taskCount` tasks, or nil for
    /// paths the schema does not fix (`/snapshots/task_gradients` rows are [T, P]: only the
    /// first extent is fixed; see `validate`).
    public static func rowShape(of path: String, taskCount t: Int) -> [Int]? {
        switch path {
        case "/train/step", "/train/lr", "/grads/update_norm", "/eval/step", "/probe/step",
             "/probe/directional_conflict", "/probe/dist_init", "/probe/weight_norm", "/snapshots/step":
            return []
        case "/train/loss", "/train/weight", "/eval/train_loss", "/eval/val_loss", "/eval/train_metric",
             "/eval/val_metric", "/probe/fisher_trace", "/probe/grad_noise_trace", "/probe/noise_scale",
             "/probe/coherence":
            return [t]
        case "/grads/gramian", "/grads/cosine", "/probe/gramian", "/probe/cosine":
            return [t, t]
        case "/probe/sharpness", "/probe/hessian_trace":
            return [t + 1]
        default:
            return nil
        }
    }

    /// Every appendable dataset path of the schema, grouped by the datasets whose row counts
    /// must agree: train and grads (N), eval (M), probe (K), snapshots (S).
    public static let rowFamilies: [[String]] = [
        ["/train/step", "/train/loss", "/train/weight", "/train/lr",
         "/grads/gramian", "/grads/cosine", "/grads/update_norm"],
        ["/eval/step", "/eval/train_loss", "/eval/val_loss", "/eval/train_metric", "/eval/val_metric"],
        ["/probe/step", "/probe/gramian", "/probe/cosine", "/probe/sharpness", "/probe/hessian_trace",
         "/probe/fisher_trace", "/probe/grad_noise_trace", "/probe/noise_scale", "/probe/coherence",
         "/probe/directional_conflict", "/probe/dist_init", "/probe/weight_norm"],
        ["/snapshots/step", "/snapshots/task_gradients"],
    ]

    /// Checks that `reader`'s file is a tasktrace/1 record: root attribute `schema` is
    /// "tasktrace/1", `/tasks` names T tasks, every path in `requiring` is a dataset, every
    /// schema dataset present has the schema's row shape for T tasks, and datasets of one
    /// row family (see `rowFamilies`) have equally many rows. Throws the first problem as a
    /// `RecordError` naming the file and the dataset or attribute. A record read while its
    /// writer is mid-flush can show a transient row-count mismatch.
    public static func validate(_ reader: RecordReader, requiring: [String] = coreDatasets) throws {
        let file = reader.file
        let schema: String
        do {
            schema = try reader.stringAttribute("schema")
        } catch RecordError.missingAttribute {
            throw RecordError.wrongSchema(file: file, expected: name, found: nil)
        }
        guard schema == name else { throw RecordError.wrongSchema(file: file, expected: name, found: schema) }

        let names = try reader.stringArrayAttribute("names", of: "/tasks")
        let t = names.count
        let kinds = try reader.stringArrayAttribute("kinds", of: "/tasks")
        guard kinds.count == t else {
            throw RecordError.wrongAttributeType(file: file, path: "/tasks", name: "kinds",
                                                 expected: "\(t) strings (one per task)", found: "\(kinds.count) strings")
        }

        for path in requiring where !reader.isDataset(path) {
            throw RecordError.missingDataset(file: file, path: path)
        }

        for family in rowFamilies {
            var counts: [String: Int] = [:]
            for path in family where reader.isDataset(path) {
                let shape = try reader.shape(path)
                if let row = rowShape(of: path, taskCount: t) {
                    guard shape.count == row.count + 1 else {
                        throw RecordError.wrongRank(file: file, path: path, expected: row.count + 1, found: shape.count)
                    }
                    guard Array(shape.dropFirst()) == row else {
                        throw RecordError.wrongShape(file: file, path: path, expected: [shape[0]] + row, found: shape)
                    }
                } else if path == "/snapshots/task_gradients" {
                    guard shape.count == 3 else {
                        throw RecordError.wrongRank(file: file, path: path, expected: 3, found: shape.count)
                    }
                    guard shape[1] == t else {
                        throw RecordError.wrongShape(file: file, path: path, expected: [shape[0], t, shape[2]],
                                                     found: shape)
                    }
                }
                counts[path] = shape[0]
            }
            if Set(counts.values).count > 1 {
                throw RecordError.rowCountMismatch(file: file, counts: counts)
            }
        }
    }
}
