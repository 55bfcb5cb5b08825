import Foundation
import Testing
@testable import Records

@Suite struct RecordWriterResumeTests {
    /// Writes 10 flushed rows with a checkpoint after row 6 and 2 unflushed rows, and
    /// copies the file while the writer is open: the copy is exactly what a killed
    /// writer leaves behind (flushed rows present, superblock still marked open).
    private func crashedRecord(in dir: TemporaryDirectory) throws -> String {
        let file = dir.path("live.h5")
        let crashed = dir.path("crashed.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        for step in 0..<10 {
            try writer.append("/train/step", integer: Int64(step))
            try writer.append("/train/loss", row: [Double(step), 1, 2])
            if step == 5 {
                try writer.writeFixed("/checkpoint/step", values: [Int64(6)])
                try writer.writeFixed("/checkpoint/parameters", values: (0..<10).map(Float.init))
            }
        }
        try writer.flush()
        try writer.append("/train/step", integer: 10)  // lost in the crash
        try FileManager.default.copyItem(atPath: file, toPath: crashed)
        try writer.finish(status: "complete")
        return crashed
    }

    @Test func crashedRecordIsReadableMarkedAndResumable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let crashed = try crashedRecord(in: dir)

        if h5dumpAvailable {
            #expect(try run("/usr/bin/h5dump", ["-H", crashed]).status != 0)
        }
        let reader = try RecordReader(crashed)
        #expect(!reader.cleanlyClosed)
        #expect(reader.isSWMR)
        #expect(try reader.readInt64s("/train/step") == Array(0..<10))
        #expect(try reader.readDoubles("/train/loss", rows: 9..<10) == [9, 1, 2])
        #expect(try reader.readInt64s("/checkpoint/step") == [6])
        #expect(try reader.stringAttribute("status") == "running")
        reader.close()

        let writer = try RecordWriter(resuming: crashed)
        #expect(writer.layout.dataset("/train/loss")?.shape == [3])
        #expect(writer.layout.dataset("/train/loss")?.units == "nats")
        #expect(writer.layout.dataset("/checkpoint/step")?.isAppendable == false)
        #expect(writer.layout.rootAttributes["seed"] == .int(42))
        #expect(try writer.rowCount("/train/step") == 10)
        #expect(try writer.readFixed("/checkpoint/step", as: Int64.self) == [6])
        #expect(try writer.readFixed("/checkpoint/parameters", as: Float.self) == (0..<10).map(Float.init))
        try writer.truncate(to: ["/train/step": 6, "/train/loss": 6])
        #expect(try writer.rowCount("/train/loss") == 6)
        for step in 6..<9 {
            try writer.append("/train/step", integer: Int64(step))
            try writer.append("/train/loss", row: [Double(step) + 0.5, 1, 2])
        }
        try writer.finish(status: "interrupted")

        if h5dumpAvailable {
            #expect(try run("/usr/bin/h5dump", ["-H", crashed]).status == 0)
        }
        let after = try RecordReader(crashed)
        #expect(after.cleanlyClosed)
        #expect(try after.readInt64s("/train/step") == Array(0..<9))
        #expect(try after.readDoubles("/train/loss").enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
                == [0, 1, 2, 3, 4, 5, 6.5, 7.5, 8.5])
        #expect(try after.stringAttribute("status") == "interrupted")
        #expect(try after.stringAttribute("description", of: "/train/step") == "optimizer step")
        if h5pyAvailable {
            #expect(try python("f = h5py.File(sys.argv[1], 'r'); print(f['train/step'].shape, f.attrs['status'])",
                               crashed) == "(9,) interrupted")
        }
    }

    @Test(.enabled(if: h5pyAvailable, "needs h5py for /usr/bin/python3"))
    func h5pyReadsACrashedRecordOnlyInSWMRMode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let crashed = try crashedRecord(in: dir)
        #expect(try python("print(h5py.File(sys.argv[1], 'r', swmr=True)['train/step'].shape)", crashed) == "(10,)")
        #expect(throws: (any Error).self) { try python("h5py.File(sys.argv[1], 'r')", crashed) }
    }

    @Test func resumingACleanRecordContinuesAppending() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let first = try RecordWriter(creating: file, layout: sampleLayout())
        try first.append("/train/lr", value: 1)
        try first.finish(status: "complete")

        let writer = try RecordWriter(resuming: file)
        try writer.append("/train/lr", value: 2)
        try writer.flush()
        let live = try RecordReader(file)
        #expect(try live.readDoubles("/train/lr") == [1, 2])
        #expect(try live.stringAttribute("status") == "running")
        live.close()
        try writer.finish(status: "complete")
        #expect(try RecordReader(file).stringAttribute("status") == "complete")
    }

    @Test func truncateDropsBufferedAndWrittenRowsAndRefusesToGrow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        for v in 0..<4 { try writer.append("/train/lr", value: Double(v)) }
        try writer.flush()
        for v in 4..<8 { try writer.append("/train/lr", value: Double(v)) }
        try writer.truncate("/train/lr", rows: 6)  // inside the buffer
        #expect(try writer.rowCount("/train/lr") == 6)
        #expect(throws: RecordError.truncateBeyondEnd(file: file, path: "/train/lr", requested: 7, available: 6)) {
            try writer.truncate("/train/lr", rows: 7)
        }
        try writer.flush()
        try writer.truncate("/train/lr", rows: 3)  // inside the file
        try writer.append("/train/lr", value: 30)
        try writer.finish(status: "complete")
        #expect(try RecordReader(file).readDoubles("/train/lr") == [0, 1, 2, 30])
    }

    @Test func refusesASecondWriterOnAFileThisProcessWrites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("run.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        #expect(throws: RecordError.alreadyOpen(file: file)) { _ = try RecordWriter(resuming: file) }
        #expect(throws: RecordError.alreadyOpen(file: file)) {
            _ = try RecordWriter(creating: file, layout: sampleLayout(), overwrite: true)
        }
        try writer.finish(status: "complete")
        let again = try RecordWriter(resuming: file)  // released by finish
        #expect(throws: RecordError.alreadyOpen(file: file)) { _ = try RecordWriter(resuming: file) }
        try again.close()
        try RecordWriter(resuming: file).finish(status: "complete")
    }

    @Test func resumeNamesMissingAndForeignFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = dir.path("none.h5")
        #expect(throws: RecordError.fileNotFound(file: missing)) { _ = try RecordWriter(resuming: missing) }
        let text = dir.path("text.h5")
        try "plain text".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: RecordError.notHDF5(file: text)) { _ = try RecordWriter(resuming: text) }
    }
}
