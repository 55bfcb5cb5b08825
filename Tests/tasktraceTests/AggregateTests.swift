import Foundation
import Records
import Testing

@Suite struct AggregateTests {
    /// Writes J.h5 with `/jacobian` and its `shared_count` attribute.
    func writeJacobian(_ rows: [[Double]], sharedCount: Int, to path: String) throws {
        let layout = RecordLayout(datasets: [
            .fixed("/jacobian", .float64, shape: [rows.count, rows[0].count], description: "task gradients", units: "1",
                   attributes: ["shared_count": .int(Int64(sharedCount))]),
        ])
        let writer = try RecordWriter(creating: path, layout: layout)
        try writer.writeFixed("/jacobian", values: rows.flatMap { $0 })
        try writer.finish(status: "complete")
    }

    @Test func scalarizationOfAHandWorkedMatrix() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // Two tasks, three parameters of which the first two are shared.
        try writeJacobian([[1, 2, 3], [3, 0, -1]], sharedCount: 2, to: scratch.path("J.h5"))
        let result = try tasktrace(["aggregate", "--method", "scalarization", "--weights", "0.25,0.75",
                                    "--jacobian", "J.h5", "--out", "D.h5"], in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        let reader = try RecordReader(scratch.path("D.h5"))
        defer { reader.close() }
        #expect(try reader.readDoubles("/direction") == [0.25 * 1 + 0.75 * 3, 0.25 * 2, 0.25 * 3 - 0.75])
        #expect(try reader.readDoubles("/weights") == [0.25, 0.75])
        #expect(try reader.readDoubles("/gramian") == [5, 3, 3, 9])  // over the two shared columns
        #expect(try reader.stringAttribute("method") == "scalarization")
    }

    @Test func badInputGivesOneLineAndExitTwo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try writeJacobian([[1, 2], [3, 4]], sharedCount: 2, to: scratch.path("J.h5"))
        let layout = RecordLayout(datasets: [.fixed("/other", .float64, shape: [1], description: "x", units: "1")])
        let writer = try RecordWriter(creating: scratch.path("empty.h5"), layout: layout)
        try writer.finish(status: "complete")
        for (arguments, needle) in [
            (["--method", "nosuchmethod", "--jacobian", "J.h5", "--out", "a.h5"], "method"),
            (["--method", "scalarization", "--jacobian", "missing.h5", "--out", "b.h5"], "missing.h5"),
            (["--method", "scalarization", "--jacobian", "empty.h5", "--out", "c.h5"], "/jacobian"),
            (["--method", "scalarization", "--weights", "1,2,3", "--jacobian", "J.h5", "--out", "d.h5"], "weights"),
        ] {
            let result = try tasktrace(["aggregate"] + arguments, in: scratch.url)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.error.split(separator: "\n").count == 1 && result.error.contains(needle), "\(result.error)")
        }
    }
}
