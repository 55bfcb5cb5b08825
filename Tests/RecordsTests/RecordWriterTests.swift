import Foundation
import Testing
@testable import Records

@Suite struct RecordWriterTests {
    @Test func appendFlushAndReadBackValuesShapesAndAttributes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        for step in 0..<7 {
            try writer.append("/train/step", integer: Int64(step))
            try writer.append("/train/loss", row: [Double(step), Double(step) + 0.25, -Double(step)])
            try writer.append("/train/lr", value: 0.125 * Double(step))
            try writer.append("/grads/cosine", row: (0..<9).map { Float($0) + Float(step) })
        }
        #expect(try writer.rowCount("/train/loss") == 7)
        #expect(writer.pendingRowCount == 28)
        try writer.flush()
        #expect(writer.pendingRowCount == 0)
        try writer.append("/train/step", integer: 7)
        #expect(try writer.rowCount("/train/step") == 8)
        try writer.writeFixed("/checkpoint/parameters", values: (0..<10).map { Float($0) / 4 })
        try writer.writeFixed("/checkpoint/rng", values: [UInt64.max, 1, 2, 3])
        try writer.finish(status: "complete")
        #expect(!writer.isOpen)

        let reader = try RecordReader(file)
        #expect(reader.cleanlyClosed)
        #expect(try reader.shape("/train/step") == [8])
        #expect(try reader.shape("/train/loss") == [7, 3])
        #expect(try reader.shape("/grads/cosine") == [7, 3, 3])
        #expect(try reader.shape("/snapshots/grad") == [0, 3, 1000])
        #expect(try reader.readInt64s("/train/step") == Array(0...7))
        #expect(try reader.readDoubles("/train/loss").prefix(6) == [0, 0.25, 0, 1, 1.25, -1])
        #expect(try reader.readDoubles("/train/lr") == (0..<7).map { 0.125 * Double($0) })
        #expect(try reader.elementType("/train/lr") == .float32)
        #expect(try reader.readDoubles("/grads/cosine", rows: 2..<3) == (0..<9).map { Double($0 + 2) })
        #expect(try reader.readDoubles("/train/step") == (0...7).map(Double.init))
        #expect(try reader.readFloats("/checkpoint/parameters") == (0..<10).map { Float($0) / 4 })
        #expect(try reader.readUInt64s("/checkpoint/rng") == [UInt64.max, 1, 2, 3])
        #expect(try reader.readInt64s("/checkpoint/step") == [-1])  // fill value, never written
        #expect(try reader.isAppendable("/train/loss"))
        #expect(try !reader.isAppendable("/checkpoint/rng"))

        #expect(try reader.stringAttribute("status") == "complete")
        #expect(try reader.stringAttribute("schema") == "test/1")
        #expect(try reader.intAttribute("seed") == 42)
        #expect(try reader.doubleAttribute("scale") == 0.5)
        #expect(try reader.stringArrayAttribute("names", of: "/tasks") == ["a", "b", "c"])
        #expect(try reader.stringAttribute("description", of: "/train/loss") == "per-task minibatch loss")
        #expect(try reader.stringAttribute("units", of: "/train/loss") == "nats")
        #expect(try reader.attributeNames() == ["scale", "schema", "seed", "status"])
        #expect(try reader.children() == ["checkpoint", "grads", "snapshots", "tasks", "train"])
        #expect(try reader.children(of: "/train") == ["loss", "lr", "step"])
    }

    @Test func refusesToOverwriteUnlessAllowed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        try RecordWriter(creating: file, layout: sampleLayout()).finish(status: "complete")
        #expect(throws: RecordError.fileExists(file: file)) {
            _ = try RecordWriter(creating: file, layout: sampleLayout())
        }
        #expect(RecordError.fileExists(file: file).description.contains(file))
        let writer = try RecordWriter(creating: file, layout: sampleLayout(), overwrite: true)
        try writer.append("/train/step", integer: 5)
        try writer.finish(status: "diverged")
        let reader = try RecordReader(file)
        #expect(try reader.readInt64s("/train/step") == [5])
        #expect(try reader.stringAttribute("status") == "diverged")
    }

    @Test func rejectsWrongRowsAndUnknownDatasets() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        #expect(throws: RecordError.wrongShape(file: file, path: "/train/loss", expected: [3], found: [2])) {
            try writer.append("/train/loss", row: [1.0, 2.0])
        }
        #expect(throws: RecordError.missingDataset(file: file, path: "/eval/val_loss")) {
            try writer.append("/eval/val_loss", row: [1.0])
        }
        #expect(throws: RecordError.wrongKind(file: file, path: "/checkpoint/rng", expected: "appendable")) {
            try writer.append("/checkpoint/rng", row: [Int64(1)])
        }
        #expect(throws: RecordError.wrongType(file: file, path: "/train/step", expected: "int64", found: "Double rows")) {
            try writer.append("/train/step", row: [1.0])
        }
        #expect(throws: RecordError.wrongShape(file: file, path: "/checkpoint/rng", expected: [4], found: [3])) {
            try writer.writeFixed("/checkpoint/rng", values: [UInt64(1), 2, 3])
        }
        #expect(throws: RecordError.wrongKind(file: file, path: "/train/loss", expected: "fixed-shape")) {
            try writer.writeFixed("/train/loss", values: [1.0, 2.0, 3.0])
        }
        #expect(try writer.rowCount("/train/loss") == 0)
        try writer.finish(status: "complete")
        #expect(throws: RecordError.closed(file: file)) { try writer.append("/train/lr", value: 1) }
    }

    @Test func rejectsInvalidLayouts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("bad.h5")
        var layout = sampleLayout()
        layout.datasets.append(.appendable("/train/loss", .float64, description: "again", units: "nats"))
        #expect(throws: RecordError.invalidLayout(file: file, reason: "dataset /train/loss appears twice")) {
            _ = try RecordWriter(creating: file, layout: layout)
        }
        layout = RecordLayout(datasets: [.appendable("/train", .float64, description: "", units: ""),
                                         .appendable("/train/loss", .float64, description: "", units: "")])
        #expect(throws: RecordError.invalidLayout(file: file, reason: "/train is both a dataset and a group")) {
            _ = try RecordWriter(creating: file, layout: layout)
        }
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test func scalarFixedDatasetsRoundTripAndSurviveResume() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("scalar.h5")
        let layout = RecordLayout(datasets: [
            .fixed("/scale", .float64, shape: [], description: "loss scale", units: "1", fillValue: 2.5),
            .appendable("/x", .float32, description: "x", units: "1"),
        ])
        let writer = try RecordWriter(creating: file, layout: layout)
        #expect(try writer.readFixed("/scale", as: Double.self) == [2.5])
        try writer.finish(status: "complete")
        let resumed = try RecordWriter(resuming: file)
        #expect(resumed.layout.dataset("/scale")?.shape == [])
        #expect(resumed.layout.dataset("/scale")?.storage == .fixed(fillValue: 2.5))
        try resumed.writeFixed("/scale", values: [0.75])
        try resumed.finish(status: "complete")
        let reader = try RecordReader(file)
        #expect(try reader.shape("/scale") == [])
        #expect(try reader.readDoubles("/scale") == [0.75])
    }

    @Test func compressedBigRowsRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        let handle = try writer.handle("/snapshots/grad")
        var rows: [[Float]] = []
        for k in 0..<5 {
            let row = (0..<3000).map { Float(($0 * 7 + k) % 13) * 0.5 }
            rows.append(row)
            try row.withUnsafeBufferPointer { try writer.append(handle, row: $0) }
            if k == 2 { try writer.flush() }
        }
        try writer.finish(status: "complete")
        let reader = try RecordReader(file)
        #expect(try reader.shape("/snapshots/grad") == [5, 3, 1000])
        #expect(try reader.readFloats("/snapshots/grad") == rows.flatMap { $0 })
        // Compressed: far smaller than the 60 kB of raw rows.
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
        #expect(size < 40_000)
    }

    @Test func appendCostsMicroseconds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        let loss = try writer.handle("/train/loss")
        let steps = 20_000
        let row = [1.0, 2.0, 3.0]
        let cosine = [Double](repeating: 0.5, count: 9)
        let start = ContinuousClock.now
        for step in 0..<steps {
            try writer.append("/train/step", integer: Int64(step))
            try writer.append(loss, row: row)
            try writer.append("/train/lr", value: 0.1)
            try writer.append("/grads/cosine", row: cosine)
            if step % 50 == 49 { try writer.flush() }
        }
        let elapsed = ContinuousClock.now - start
        try writer.finish(status: "complete")
        let perStep = elapsed / steps
        // Four appends per step plus a flush every 50 steps, in a debug build.
        #expect(perStep < .microseconds(200), "per step: \(perStep)")
        let reader = try RecordReader(file)
        #expect(try reader.shape("/grads/cosine") == [steps, 3, 3])
        #expect(try reader.readInt64s("/train/step").last == Int64(steps - 1))
    }
}
