extension TrajectorySchema {
    /// Writes `/checkpoint/row_counts` from `writer`'s current row counts (flushed plus
    /// buffered) in the order of its `datasets` attribute. Call it together with the other
    /// checkpoint arrays and `/checkpoint/step`, then `flush()`.
    public static func writeCheckpointRowCounts(_ writer: RecordWriter) throws {
        let paths = try checkpointDatasets(writer.layout, file: writer.file)
        let counts = try paths.map { Int64(try writer.rowCount($0)) }
        try writer.writeFixed(rowCountsPath, values: counts)
    }

    /// The row counts saved at the last checkpoint, keyed by dataset path, or nil when no
    /// checkpoint was written yet (`/checkpoint/step` is -1). Pass them to
    /// `writer.truncate(to:)` after `RecordWriter(resuming:)`.
    public static func checkpointRowCounts(_ writer: RecordWriter) throws -> [String: Int]? {
        let step = try writer.readFixed(checkpointStepPath, as: Int64.self)
        guard let first = step.first, first >= 0 else { return nil }
        let paths = try checkpointDatasets(writer.layout, file: writer.file)
        let counts = try writer.readFixed(rowCountsPath, as: Int64.self)
        return Dictionary(uniqueKeysWithValues: zip(paths, counts.map { Int($0) }))
    }

    /// The row counts saved at the last checkpoint of the record `reader` reads, or nil
    /// when no checkpoint was written yet.
    public static func checkpointRowCounts(_ reader: RecordReader) throws -> [String: Int]? {
        let step = try reader.readInt64s(checkpointStepPath)
        guard let first = step.first, first >= 0 else { return nil }
        let paths = try reader.stringArrayAttribute("datasets", of: rowCountsPath)
        let counts = try reader.readInt64s(rowCountsPath)
        guard paths.count == counts.count else {
            throw RecordError.wrongShape(file: reader.file, path: rowCountsPath, expected: [paths.count],
                                         found: [counts.count])
        }
        return Dictionary(uniqueKeysWithValues: zip(paths, counts.map { Int($0) }))
    }

    private static func checkpointDatasets(_ layout: RecordLayout, file: String) throws -> [String] {
        guard let spec = layout.dataset(rowCountsPath) else {
            throw RecordError.missingDataset(file: file, path: rowCountsPath)
        }
        guard case .strings(let paths)? = spec.attributes["datasets"] else {
            throw RecordError.missingAttribute(file: file, path: rowCountsPath, name: "datasets")
        }
        return paths
    }
}
