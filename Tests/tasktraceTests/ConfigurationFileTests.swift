import Foundation
import Records
import Testing

@Suite struct ConfigurationFileTests {
    func write(_ text: String, to name: String, in scratch: ScratchDirectory) throws {
        try text.write(toFile: scratch.path(name), atomically: true, encoding: .utf8)
    }

    func recordedConfiguration(_ path: String) throws -> [String: Any] {
        let reader = try RecordReader(path)
        defer { reader.close() }
        let text = try reader.stringAttribute("config")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func tomlConfigurationWithFlagsOverridingIt() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try write("""
        steps = 12
        batchSize = 16
        widths = [32, 16]
        seed = 5
        weights = [0.25, 0.75]

        [dataset]
        name = "synthetic"
        rho = 0.9
        trainCount = 200

        [optimizer]
        kind = "sgd"
        learningRate = 0.05
        momentum = 0.9
        """, to: "run.toml", in: scratch)
        let result = try tasktrace(["record", "--config", "run.toml", "--seed", "8", "--quiet", "--out", "r.h5"], in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        let config = try recordedConfiguration(scratch.path("r.h5"))
        #expect(config["steps"] as? Int == 12 && config["batchSize"] as? Int == 16 && config["widths"] as? [Int] == [32, 16])
        #expect(config["seed"] as? Int == 8)  // the flag wins over the file
        #expect(config["weights"] as? [Double] == [0.25, 0.75])
        let dataset = try #require(config["dataset"] as? [String: Any])
        #expect(dataset["rho"] as? Double == 0.9 && dataset["trainCount"] as? Int == 200)
        let optimizer = try #require(config["optimizer"] as? [String: Any])
        #expect(optimizer["kind"] as? String == "sgd" && optimizer["momentum"] as? Double == 0.9)
        let reader = try RecordReader(scratch.path("r.h5"))
        let steps = try reader.rowCount("/train/step")
        reader.close()
        #expect(steps == 12)
    }

    @Test func jsonConfigurationErrorsNameTheFileAndTheField() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let cases: [(String, String)] = [
            (#"{"dataset": {"name": "synthetic"}, "stpes": 10}"#, "stpes"),
            (#"{"dataset": {"name": "synthetic"}, "steps": "ten"}"#, "steps"),
            (#"{"dataset": {"name": "synthetic", "rh0": 0.5}}"#, "dataset.rh0"),
            (#"{"dataset": {"name": "synthetic"}, "optimizer": {"kind": "sgd", "learningRate": 0.1, "momentum": 1.5}}"#, "optimizer.momentum"),
            (#"{"dataset": {"name": "synthetic"}, "batchSize": 0}"#, "batchSize"),
            (#"{"steps": 10}"#, "dataset"),
            (#"{"dataset": {"name": "synthetic"}, "seed": -1}"#, "seed must be a non-negative integer"),
            (#"{"dataset": {"name": "synthetic", "seed": -3}}"#, "dataset.seed"),
            (#"{"dataset": {"name": "synthetic"}, "steps": 10"#, "JSON"),
        ]
        for (index, (text, field)) in cases.enumerated() {
            try write(text, to: "c\(index).json", in: scratch)
            let result = try tasktrace(["record", "--config", "c\(index).json", "--out", "x\(index).h5"], in: scratch.url)
            #expect(result.status == 2, "\(text)")
            #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
            #expect(result.error.contains("c\(index).json") || field == "batchSize", "\(result.error)")
            #expect(result.error.contains(field), "\(text): \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("x\(index).h5")))
        }
        let missing = try tasktrace(["record", "--config", "nope.toml", "--out", "y.h5"], in: scratch.url)
        #expect(missing.status == 2 && missing.error.contains("nope.toml"))
    }
}
