import Foundation
import Testing
@testable import Records

@Suite struct RecordErrorTests {
    static let file = "/runs/a.h5"
    static let all: [RecordError] = [
        .fileNotFound(file: file), .notHDF5(file: file), .fileExists(file: file),
        .alreadyOpen(file: file),
        .cannotOpen(file: file, reason: "unable to open file"),
        .wrongSchema(file: file, expected: "tasktrace/1", found: nil),
        .wrongSchema(file: file, expected: "tasktrace/1", found: "other/2"),
        .missingDataset(file: file, path: "/eval/val_loss"), .missingGroup(file: file, path: "/eval"),
        .missingObject(file: file, path: "/x"), .missingAttribute(file: file, path: "/", name: "seed"),
        .wrongAttributeType(file: file, path: "/", name: "seed", expected: "string", found: "integer"),
        .wrongRank(file: file, path: "/train/loss", expected: 2, found: 1),
        .wrongShape(file: file, path: "/train/loss", expected: [5, 3], found: [5, 2]),
        .wrongType(file: file, path: "/train/step", expected: "int64", found: "Double rows"),
        .wrongKind(file: file, path: "/checkpoint/rng", expected: "appendable"),
        .rowCountMismatch(file: file, counts: ["/train/step": 2, "/train/loss": 3]),
        .rowsOutOfRange(file: file, path: "/train/loss", requested: 2..<9, available: 5),
        .truncateBeyondEnd(file: file, path: "/train/loss", requested: 9, available: 5),
        .invalidLayout(file: file, reason: "dataset /a appears twice"), .closed(file: file),
        .hdf5(file: file, operation: "H5Dwrite /train/loss", reason: "can't write data"),
    ]

    @Test(arguments: all)
    func descriptionIsOneLineNamingTheFile(_ error: RecordError) {
        #expect(error.description.hasPrefix(Self.file + ": "))
        #expect(!error.description.contains("\n"))
    }

    @Test func descriptionsNameTheObject() {
        #expect(RecordError.missingDataset(file: "r.h5", path: "/eval/val_loss").description
                == "r.h5: missing dataset /eval/val_loss")
        #expect(RecordError.wrongShape(file: "r.h5", path: "/train/loss", expected: [5, 3], found: [5, 2]).description
                == "r.h5: dataset /train/loss has shape [5, 2], expected [5, 3]")
        #expect(RecordError.wrongSchema(file: "r.h5", expected: "tasktrace/1", found: "x").description
                == #"r.h5: root attribute schema is "x", expected "tasktrace/1""#)
        #expect(RecordError.rowCountMismatch(file: "r.h5", counts: ["/b": 2, "/a": 3]).description
                == "r.h5: inconsistent row counts: /a=3, /b=2")
    }

    @Test func hdf5FailuresCarryHDF5sMessageOnOneLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("no-such-dir/run.h5")
        do {
            _ = try RecordWriter(creating: file, layout: sampleLayout())
            Issue.record("creating in a missing directory succeeded")
        } catch let error as RecordError {
            guard case .cannotOpen(let named, let reason) = error else { throw error }
            #expect(named == file)
            #expect(!reason.isEmpty && !reason.contains("\n"))
            #expect(reason.contains("unable to"), "\(reason)")
        }
        let reader = try { () throws -> RecordReader in
            let good = dir.path("good.h5")
            try RecordWriter(creating: good, layout: sampleLayout()).finish(status: "complete")
            return try RecordReader(good)
        }()
        #expect(throws: RecordError.rowsOutOfRange(file: reader.file, path: "/train/loss", requested: 0..<1,
                                                   available: 0)) {
            _ = try reader.readDoubles("/train/loss", rows: 0..<1)
        }
    }
}
