import Foundation
import Testing
@testable import Records

@Suite struct RecordReaderTests {
    @Test func inProcessReaderSeesRowsAfterEachFlush() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("live.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        try writer.append("/train/loss", row: [1, 2, 3])
        try writer.flush()
        let reader = try RecordReader(file)
        #expect(try reader.shape("/train/loss") == [1, 3])
        try writer.append("/train/loss", row: [4, 5, 6])
        #expect(try reader.shape("/train/loss") == [1, 3])  // buffered, not flushed
        try writer.flush()
        #expect(try reader.readDoubles("/train/loss") == [1, 2, 3, 4, 5, 6])
        reader.close()
        try writer.finish(status: "complete")
    }

    @Test(.enabled(if: h5pyAvailable, "needs h5py for /usr/bin/python3"))
    func h5pyInAnotherProcessReadsWhileTheWriterIsOpen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("live.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        for step in 0..<3 {
            try writer.append("/train/step", integer: Int64(step))
            try writer.append("/train/loss", row: [0.5, 1.5, Double(step)])
        }
        try writer.flush()
        try writer.append("/train/step", integer: 3)  // buffered only
        let script = """
            f = h5py.File(sys.argv[1], "r", swmr=True)
            print(json.dumps({"step": f["train/step"][:].tolist(), "loss": f["train/loss"][:].tolist(),
                              "status": f.attrs["status"]}))
            """
        let seen = try python(script, file)
        #expect(seen == #"{"step": [0, 1, 2], "loss": [[0.5, 1.5, 0.0], [0.5, 1.5, 1.0], [0.5, 1.5, 2.0]], "status": "running"}"#)
        // A plain (non-SWMR) open is refused while the writer runs.
        #expect(throws: (any Error).self) { try python("h5py.File(sys.argv[1], 'r')", file) }
        try writer.flush()
        #expect(try python("print(h5py.File(sys.argv[1], 'r', swmr=True)['train/step'].shape)", file) == "(4,)")
        try writer.finish(status: "complete")
    }

    @Test(.enabled(if: h5pyAvailable, "needs h5py for /usr/bin/python3"))
    func h5pyReadsTheFinishedFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("done.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        try writer.append("/train/loss", row: [0.25, 0.5, 0.75])
        try writer.append("/grads/cosine", row: [1, 0, -1, 0, 1, 0, -1, 0, 1])
        try writer.writeFixed("/checkpoint/rng", values: [UInt64(9), 8, 7, 6])
        try writer.finish(status: "complete")
        let script = """
            f = h5py.File(sys.argv[1], "r")
            out = {"status": f.attrs["status"], "seed": int(f.attrs["seed"]),
                   "status_type": type(f.attrs["status"]).__name__,
                   "names": [str(n) for n in f["tasks"].attrs["names"]],
                   "loss_shape": list(f["train/loss"].shape), "loss": f["train/loss"][:].tolist(),
                   "loss_dtype": str(f["train/loss"].dtype), "lr_dtype": str(f["train/lr"].dtype),
                   "cos_shape": list(f["grads/cosine"].shape), "cos_max": [f["grads/cosine"].maxshape[0]],
                   "desc": f["train/loss"].attrs["description"], "units": f["train/loss"].attrs["units"],
                   "rng": f["checkpoint/rng"][:].tolist(), "rng_dtype": str(f["checkpoint/rng"].dtype),
                   "gzip": f["snapshots/grad"].compression}
            print(json.dumps(out, sort_keys=True))
            """
        let output = try python(script, file)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "complete")
        #expect(json["status_type"] as? String == "str")
        #expect(json["seed"] as? Int == 42)
        #expect(json["names"] as? [String] == ["a", "b", "c"])
        #expect(json["loss_shape"] as? [Int] == [1, 3])
        #expect(json["loss"] as? [[Double]] == [[0.25, 0.5, 0.75]])
        #expect(json["loss_dtype"] as? String == "float64")
        #expect(json["lr_dtype"] as? String == "float32")
        #expect(json["cos_shape"] as? [Int] == [1, 3, 3])
        #expect((json["cos_max"] as? [Any])?.first is NSNull)  // unlimited
        #expect(json["desc"] as? String == "per-task minibatch loss")
        #expect(json["units"] as? String == "nats")
        #expect(json["rng"] as? [Int] == [9, 8, 7, 6])
        #expect(json["rng_dtype"] as? String == "uint64")
        #expect(json["gzip"] as? String == "gzip")
        if h5dumpAvailable {
            #expect(try run("/usr/bin/h5dump", ["-H", file]).status == 0)
        }
    }

    @Test(.enabled(if: h5pyAvailable, "needs h5py for /usr/bin/python3"))
    func readsFilesWrittenByH5py() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("py.h5")
        _ = try python("""
            f = h5py.File(sys.argv[1], "w")
            f.attrs["title"] = "from python"
            f.attrs["fixed"] = np.bytes_("fixed-length")
            f.attrs["n"] = np.int32(7)
            f.attrs["names"] = ["x", "yy"]
            f.create_dataset("g/d", data=np.arange(6, dtype=np.int32).reshape(2, 3))
            f.close()
            """, file)
        let reader = try RecordReader(file)
        #expect(reader.cleanlyClosed)
        #expect(try reader.stringAttribute("title") == "from python")
        #expect(try reader.stringAttribute("fixed") == "fixed-length")
        #expect(try reader.intAttribute("n") == 7)
        #expect(try reader.stringArrayAttribute("names") == ["x", "yy"])
        #expect(try reader.readInt64s("/g/d") == [0, 1, 2, 3, 4, 5])
        #expect(try reader.shape("/g/d") == [2, 3])
    }

    @Test func errorsNameTheFileAndTheObject() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = dir.path("nothing.h5")
        #expect(throws: RecordError.fileNotFound(file: missing)) { _ = try RecordReader(missing) }
        let text = dir.path("text.h5")
        try "not hdf5".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: RecordError.notHDF5(file: text)) { _ = try RecordReader(text) }

        let file = dir.path("run.h5")
        try RecordWriter(creating: file, layout: sampleLayout()).finish(status: "complete")
        let reader = try RecordReader(file)
        #expect(throws: RecordError.missingDataset(file: file, path: "/eval/val_loss")) {
            _ = try reader.readDoubles("/eval/val_loss")
        }
        #expect(throws: RecordError.missingDataset(file: file, path: "/train")) { _ = try reader.shape("/train") }
        #expect(throws: RecordError.missingAttribute(file: file, path: "/", name: "config")) {
            _ = try reader.stringAttribute("config")
        }
        #expect(throws: RecordError.wrongAttributeType(file: file, path: "/", name: "seed",
                                                       expected: "string", found: "integer")) {
            _ = try reader.stringAttribute("seed")
        }
        #expect(throws: RecordError.wrongType(file: file, path: "/train/loss", expected: "an integer type",
                                              found: "float64")) {
            _ = try reader.readInt64s("/train/loss")
        }
        #expect(throws: RecordError.missingGroup(file: file, path: "/eval")) { _ = try reader.children(of: "/eval") }
        #expect(reader.exists("/train/loss") && reader.exists("/") && !reader.exists("/eval/val_loss"))
        #expect(reader.isGroup("/train") && reader.isDataset("/train/loss") && !reader.isDataset("/train"))
        reader.close()
        #expect(throws: RecordError.closed(file: file)) { _ = try reader.shape("/train/loss") }
    }
}

extension RecordReaderTests {
    /// A notebook watching a run keeps a SWMR reader open while the run ends: `finish` must
    /// not need an exclusive open of the file.
    @Test(.enabled(if: h5pyAvailable, "needs h5py for /usr/bin/python3"))
    func finishSucceedsWhileAnotherProcessReadsTheFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("watched.h5")
        let writer = try RecordWriter(creating: file, layout: sampleLayout())
        try writer.append("/train/lr", value: 1)
        try writer.flush()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: systemPython)
        process.arguments = ["-c", """
            import sys, h5py
            f = h5py.File(sys.argv[1], "r", swmr=True)
            print("open", flush=True)
            sys.stdin.readline()
            f["train/lr"].refresh()
            print(f["train/lr"].shape[0])
            """, file]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("open") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        try writer.append("/train/lr", value: 2)
        try writer.finish(status: "complete")
        input.fileHandleForWriting.write(Data("go\n".utf8))
        seen.append(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(String(decoding: seen, as: UTF8.self).split(separator: "\n").last == "2")
        let reader = try RecordReader(file)
        #expect(reader.cleanlyClosed)
        #expect(try reader.stringAttribute("status") == "complete")
        #expect(try reader.readDoubles("/train/lr") == [1, 2])
    }
}
