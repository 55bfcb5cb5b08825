import Foundation
import Testing
@testable import Records

/// A two-task schema with every option on.
private func fullSchema(kinds: [TrajectoryTask.Kind] = [.classification, .classification]) -> TrajectorySchema {
    TrajectorySchema(
        tasks: kinds.enumerated().map { TrajectoryTask(name: "task\($0.offset)", kind: $0.element) },
        mode: .mt, toolVersion: "0.1.0", config: #"{"lr": 0.1}"#, seed: 7, created: "2026-01-02T03:04:05Z",
        probe: true, snapshots: .init(every: 10, parameterCount: 50),
        checkpoint: .init(parameters: [.init(name: "trunk.0.weight", shape: [5, 4], description: "weights"),
                                       .init(name: "trunk.0.bias", shape: [5], description: "biases")],
                          optimizer: [.init(name: "momentum", shape: [25], description: "SGD momentum")],
                          cursorCount: 2))
}

/// Appends `rows` rows of zeros (steps 0, 1, ...) to every appendable dataset of `writer`.
private func fill(_ writer: RecordWriter, rows: Int, only prefix: String = "/") throws {
    for spec in writer.layout.datasets where spec.isAppendable && spec.path.hasPrefix(prefix) {
        for r in 0..<rows {
            if spec.elementType == .int64 {
                try writer.append(spec.path, row: [Int64](repeating: Int64(r), count: spec.elementCount))
            } else {
                try writer.append(spec.path, row: [Double](repeating: 0.5, count: spec.elementCount))
            }
        }
    }
}

@Suite struct TrajectorySchemaTests {
    @Test func layoutHasEveryDatasetOfTheSchemaWithShapesTypesAndUnits() throws {
        let layout = fullSchema().layout()
        let paths = Set(layout.datasets.map(\.path))
        for path in TrajectorySchema.rowFamilies.flatMap({ $0 }) {
            #expect(paths.contains(path), "missing \(path)")
            #expect(layout.dataset(path)?.isAppendable == true)
        }
        for spec in layout.datasets {
            #expect(!spec.description.isEmpty && !spec.units.isEmpty, "\(spec.path)")
            if let row = TrajectorySchema.rowShape(of: spec.path, taskCount: 2) {
                #expect(spec.shape == row, "\(spec.path)")
            }
        }
        #expect(layout.dataset("/train/loss")?.units == "nats")
        #expect(layout.dataset("/train/step")?.elementType == .int64)
        #expect(layout.dataset("/probe/sharpness")?.shape == [3])
        #expect(layout.dataset("/snapshots/task_gradients")?.shape == [2, 50])
        #expect(layout.dataset("/snapshots/task_gradients")?.storage == .appendable(chunkRows: 1, gzipLevel: 4))
        #expect(layout.dataset("/checkpoint/parameters/trunk.0.weight")?.shape == [5, 4])
        #expect(layout.dataset("/checkpoint/rng")?.elementType == .uint64)
        #expect(layout.dataset("/checkpoint/row_counts")?.shape == [layout.appendablePaths.count])
        #expect(layout.rootAttributes["schema"] == .string("tasktrace/1"))
        #expect(layout.groupAttributes["/tasks"]?["kinds"] == .strings(["classification", "classification"]))

        let mixed = fullSchema(kinds: [.classification, .regression]).layout()
        #expect(mixed.dataset("/eval/val_loss")?.units == "per task: task0: nats, task1: squared target units")
        let noOptions = TrajectorySchema(tasks: [.init(name: "a", kind: .regression)], mode: .st,
                                         toolVersion: "0", config: "{}", seed: 1, probe: false).layout()
        #expect(Set(noOptions.datasets.map(\.path)) == Set(TrajectorySchema.coreDatasets))
    }

    @Test func fullRecordValidatesAndItsHeaderReadsBack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let schema = fullSchema(kinds: [.classification, .regression])
        let writer = try RecordWriter(creating: file, layout: schema.layout())
        try fill(writer, rows: 3)
        try writer.finish(status: "complete")

        let reader = try RecordReader(file)
        try TrajectorySchema.validate(reader, requiring: TrajectorySchema.coreDatasets + ["/probe/sharpness"])
        let header = try TrajectoryHeader(reading: reader)
        #expect(header.tasks == schema.tasks)
        #expect(header.mode == .mt && header.seed == 7 && header.status == "complete")
        #expect(header.config == #"{"lr": 0.1}"# && header.created == "2026-01-02T03:04:05Z")
        #expect(try reader.shape("/probe/sharpness") == [3, 3])
        #expect(try reader.shape("/snapshots/task_gradients") == [3, 2, 50])
    }

    @Test func validationNamesWhatIsWrong() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let schema = TrajectorySchema(tasks: [.init(name: "a", kind: .classification)], mode: .st,
                                      toolVersion: "0", config: "{}", seed: 1, probe: false)
        let writer = try RecordWriter(creating: file, layout: schema.layout())
        try fill(writer, rows: 2)
        try writer.append("/train/loss", row: [1.0])  // one row more than /train/step
        try writer.finish(status: "complete")
        let reader = try RecordReader(file)
        #expect(throws: RecordError.missingDataset(file: file, path: "/probe/sharpness")) {
            try TrajectorySchema.validate(reader, requiring: ["/probe/sharpness"])
        }
        do {
            try TrajectorySchema.validate(reader)
            Issue.record("validation passed")
        } catch let error as RecordError {
            guard case .rowCountMismatch(_, let counts) = error else { throw error }
            #expect(counts["/train/loss"] == 3 && counts["/train/step"] == 2)
            #expect(error.description.contains("/train/loss=3"))
        }

        let other = dir.path("other.h5")
        try RecordWriter(creating: other, layout: sampleLayout()).finish(status: "complete")
        #expect(throws: RecordError.wrongSchema(file: other, expected: "tasktrace/1", found: "test/1")) {
            try TrajectorySchema.validate(RecordReader(other))
        }

        let badShape = dir.path("shape.h5")
        var layout = schema.layout()
        layout.datasets.removeAll { $0.path == "/eval/val_loss" }
        layout.datasets.append(.appendable("/eval/val_loss", .float64, row: [2], description: "x", units: "nats"))
        try RecordWriter(creating: badShape, layout: layout).finish(status: "complete")
        #expect(throws: RecordError.wrongShape(file: badShape, path: "/eval/val_loss", expected: [0, 1], found: [0, 2])) {
            try TrajectorySchema.validate(RecordReader(badShape))
        }
    }

    @Test func checkpointRowCountsDriveResumeAfterACrash() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let crashed = dir.path("crashed.h5")
        let writer = try RecordWriter(creating: file, layout: fullSchema().layout())
        #expect(try TrajectorySchema.checkpointRowCounts(writer) == nil)
        try fill(writer, rows: 4, only: "/train")
        try fill(writer, rows: 4, only: "/grads")
        try fill(writer, rows: 1, only: "/eval")
        try writer.writeFixed("/checkpoint/step", values: [Int64(4)])
        try writer.writeFixed("/checkpoint/rng", values: [UInt64(1), 2, 3, 4])
        try TrajectorySchema.writeCheckpointRowCounts(writer)
        try writer.flush()
        try fill(writer, rows: 3, only: "/train")  // after the checkpoint
        try fill(writer, rows: 3, only: "/grads")
        try writer.flush()
        try FileManager.default.copyItem(atPath: file, toPath: crashed)
        try writer.finish(status: "complete")

        let reader = try RecordReader(crashed)
        #expect(!reader.cleanlyClosed)
        let saved = try #require(try TrajectorySchema.checkpointRowCounts(reader))
        #expect(saved["/train/loss"] == 4 && saved["/eval/val_loss"] == 1 && saved["/probe/step"] == 0)
        #expect(try reader.rowCount("/train/loss") == 7)
        reader.close()

        let resumed = try RecordWriter(resuming: crashed)
        let counts = try #require(try TrajectorySchema.checkpointRowCounts(resumed))
        #expect(counts == saved)
        #expect(try resumed.readFixed("/checkpoint/rng", as: UInt64.self) == [1, 2, 3, 4])
        try resumed.truncate(to: counts)
        try fill(resumed, rows: 2, only: "/train")
        try fill(resumed, rows: 2, only: "/grads")
        try resumed.finish(status: "complete")

        let after = try RecordReader(crashed)
        #expect(after.cleanlyClosed)
        try TrajectorySchema.validate(after)
        #expect(try after.shape("/grads/cosine") == [6, 2, 2])
        #expect(try after.readInt64s("/train/step") == [0, 1, 2, 3, 0, 1])
    }

    @Test(.enabled(if: h5pyAvailable, "needs h5py for /usr/bin/python3"))
    func h5pyReadsTheSchemaAttributes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let writer = try RecordWriter(creating: file, layout: fullSchema().layout())
        try fill(writer, rows: 2)
        try writer.finish(status: "diverged")
        let out = try python("""
            f = h5py.File(sys.argv[1], "r")
            t = f["tasks"].attrs
            print(f.attrs["schema"], f.attrs["status"], list(t["names"]), t["mode"],
                  f["eval/val_loss"].shape, f["eval/val_loss"].attrs["units"], f["probe/sharpness"].shape,
                  list(f["checkpoint/row_counts"].attrs["datasets"])[:2], f["checkpoint/step"][0])
            """, file)
        #expect(out == "tasktrace/1 diverged ['task0', 'task1'] mt (2, 2) nats (2, 3) ['/train/step', '/train/loss'] -1")
    }
}
