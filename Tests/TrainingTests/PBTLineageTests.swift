import Foundation
import Records
import Testing
@testable import Training

/// `pbt.h5` as `PBTLineageRecorder` writes it: schema, attributes, shapes and rows.
@Suite struct PBTLineageTests {
    @Test func rowsAndAttributesReadBackWithTheDocumentedShapes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pbt-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = PBTConfiguration(seed: 5, population: 2, interval: 3, fitness: .loss,
                                             base: RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, taskCount: 3)))
        let recorder = try PBTLineageRecorder(creating: path, configuration: configuration, taskNames: ["t0", "t1", "t2"],
                                              initialWeights: [[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]], overwrite: false,
                                              toolVersion: "test")
        let rows = [
            PBTSynchronisation(step: 3, fitness: [-0.5, -.infinity], parents: [0, 0], weights: [[0.2, 0.3, 0.5], [0.1, 0.3, 0.6]],
                               records: [0, 1]),
            PBTSynchronisation(step: 6, fitness: [-0.4, -0.3], parents: [1, 1], weights: [[0.3, 0.3, 0.4], [0.1, 0.3, 0.6]],
                               records: [0, 1]),
        ]
        for row in rows { try recorder.record(row) }
        try recorder.finish(status: .complete)

        let reader = try RecordReader(path)
        defer { reader.close() }
        #expect(try reader.stringAttribute("schema") == "tasktrace-pbt/1" && reader.stringAttribute("status") == "complete")
        #expect(try reader.intAttribute("population") == 2 && reader.intAttribute("interval") == 3 && reader.intAttribute("replace") == 1)
        #expect(try reader.stringAttribute("fitness") == "loss" && reader.stringArrayAttribute("tasks") == ["t0", "t1", "t2"])
        let config = try JSONDecoder().decode(PBTConfiguration.self, from: Data(reader.stringAttribute("config").utf8))
        #expect(config.replace == 1 && config.seed == 5 && config.fitness == .loss)
        #expect(try reader.shape("/sync/step") == [2] && reader.shape("/sync/fitness") == [2, 2])
        #expect(try reader.shape("/sync/parent") == [2, 2] && reader.shape("/sync/weights") == [2, 2, 3])
        #expect(try reader.shape("/sync/record") == [2, 2] && reader.shape("/members/initial_weights") == [2, 3])
        #expect(try reader.readInt64s("/sync/step") == [3, 6] && reader.readInt64s("/sync/parent") == [0, 0, 1, 1])
        #expect(try reader.readDoubles("/sync/fitness") == [-0.5, -.infinity, -0.4, -0.3])
        #expect(try reader.readDoubles("/sync/weights") == rows.flatMap { $0.weights.flatMap { $0 } })
        #expect(try reader.readInt64s("/members/seed") == [5, 6])
        #expect(try reader.readDoubles("/members/initial_weights") == [0.2, 0.3, 0.5, 0.6, 0.2, 0.2])
        for dataset in ["/sync/step", "/sync/fitness", "/sync/parent", "/sync/weights", "/sync/record", "/members/seed",
                        "/members/initial_weights"] {
            #expect(try !reader.stringAttribute("description", of: dataset).isEmpty, "\(dataset)")
            #expect(try !reader.stringAttribute("units", of: dataset).isEmpty, "\(dataset)")
        }
    }
}
