import Foundation
import Testing
@testable import Training

@Suite struct StudyConfigurationTests {
    func decode(_ json: String) throws -> StudyConfiguration {
        try JSONDecoder().decode(StudyConfiguration.self, from: Data(json.utf8))
    }

    /// The error that decoding, then validating, `json` throws (nil, with an issue, if none).
    func error(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> HyperparameterError? {
        hyperparameterError(sourceLocation: sourceLocation) { try decode(json).validate() }
    }

    static let tiny = #"""
    {"seeds": [1, 2], "out": "runs/tiny",
     "base": {"dataset": {"name": "synthetic", "trainCount": 256}, "widths": [16], "steps": 30, "batchSize": 32},
     "mt": [{"name": "equal"}, {"name": "heavy", "weights": [0.7, 0.3]}]}
    """#

    @Test func decodesAStudyWithDefaultsForTheBase() throws {
        let study = try decode(Self.tiny)
        #expect(study.seeds == [1, 2] && study.out == "runs/tiny")
        #expect(study.base == RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 256),
                                               widths: [16], steps: 30, batchSize: 32))
        #expect(study.mt == [StudyVariant(name: "equal"), StudyVariant(name: "heavy", weights: [0.7, 0.3])])
        #expect(study.taskNames == ["t0", "t1"])
        try study.validate()
    }

    @Test func encodingRoundTripsWithoutTheFieldsSetPerRun() throws {
        let study = try decode(Self.tiny)
        let json = try JSONValue(encoding: study)
        guard case .object(let fields) = json, case .object(let base)? = fields["base"] else {
            Issue.record("not an object: \(json)")
            return
        }
        #expect(base["seed"] == nil && base["task"] == nil && base["weights"] == nil)
        #expect(base["steps"] == .integer(30))
        #expect(try json.decode(StudyConfiguration.self) == study)
    }

    @Test func unknownFieldsAndWrongTypesNameTheField() {
        let base = #""base": {"dataset": {"name": "synthetic"}}"#
        let mt = #""mt": [{"name": "equal"}]"#
        let cases: [(String, String)] = [
            (#"{"seeds": [1], "sedes": [2], \#(base), \#(mt)}"#, "sedes"),
            (#"{"seeds": "one", \#(base), \#(mt)}"#, "seeds"),
            (#"{"seeds": [1, "two"], \#(base), \#(mt)}"#, "seeds[1]"),
            (#"{\#(base), \#(mt)}"#, "seeds"),
            (#"{"seeds": [1], \#(mt)}"#, "base"),
            (#"{"seeds": [1], "base": {"steps": 3}, \#(mt)}"#, "base.dataset"),
            (#"{"seeds": [1], "base": {"dataset": {"name": "synthetic"}, "stpes": 3}, \#(mt)}"#, "base.stpes"),
            (#"{"seeds": [1], "base": {"dataset": {"name": "synthetic"}, "steps": "3"}, \#(mt)}"#, "base.steps"),
            (#"{"seeds": [1], "base": {"dataset": {"name": "synthetic", "rh0": 1}}, \#(mt)}"#, "base.dataset.rh0"),
            (#"{"seeds": [1], "base": {"dataset": {"name": "synthetic"}, "optimizer": {"kind": "sgd", "learningRate": 0.1, "momentun": 0.9}}, \#(mt)}"#,
             "base.optimizer.momentun"),
            (#"{"seeds": [1], "base": {"dataset": {"name": "synthetic"}, "task": "t0"}, \#(mt)}"#, "base.task"),
            (#"{"seeds": [1], "base": {"dataset": {"name": "synthetic"}, "seed": 0}, \#(mt)}"#, "base.seed"),
            (#"{"seeds": [1], "base": {"dataset": {"name": "synthetic"}, "weights": [1, 1]}, \#(mt)}"#, "base.weights"),
            (#"{"seeds": [1], \#(base)}"#, "mt"),
            (#"{"seeds": [1], \#(base), "mt": {"name": "equal"}}"#, "mt"),
            (#"{"seeds": [1], \#(base), "mt": [{"name": "equal"}, {"name": "pc", "method": "nosuchmethod"}]}"#, "mt[1].method"),
            (#"{"seeds": [1], \#(base), "mt": [{"weights": [1, 1]}]}"#, "mt[0].name"),
            (#"{"seeds": [1], \#(base), "mt": [{"name": "a", "weights": "heavy"}]}"#, "mt[0].weights"),
        ]
        for (json, field) in cases {
            let found = error(json)
            #expect(found?.field == field, "\(json): \(String(describing: found))")
            #expect(found?.message.contains(field) == true, "\(json): \(String(describing: found))")
        }
    }

    @Test func outOfRangeValuesNameTheField() {
        func study(seeds: String = "[1, 2]", base: String = #"{"dataset": {"name": "synthetic"}}"#, mt: String = #"[{"name": "equal"}]"#) -> String {
            #"{"seeds": \#(seeds), "base": \#(base), "mt": \#(mt)}"#
        }
        let cases: [(String, String)] = [
            (study(seeds: "[]"), "seeds"),
            (study(seeds: "[1, 2, 1]"), "seeds"),
            (study(seeds: "[-1]"), "seeds[0]"),
            (study(base: #"{"dataset": {"name": "synthetic"}, "batchSize": 0}"#), "base.batchSize"),
            (study(base: #"{"dataset": {"name": "synthetic", "trainCount": 0}}"#), "base.dataset.trainCount"),
            (study(base: #"{"dataset": {"name": "synthetic"}, "optimizer": {"kind": "sgd", "learningRate": 0.1, "momentum": 1.5}}"#),
             "base.optimizer.momentum"),
            (study(mt: "[]"), "mt"),
            (study(mt: #"[{"name": "a"}, {"name": "a"}]"#), "mt[1].name"),
            (study(mt: #"[{"name": "a b"}]"#), "mt[0].name"),
            (study(mt: #"[{"name": "../x"}]"#), "mt[0].name"),
            (study(mt: #"[{"name": "a"}, {"name": "b", "weights": [1, 2, 3]}]"#), "mt[1].weights"),
            (study(mt: #"[{"name": "a", "weights": [0, 0]}]"#), "mt[0].weights"),
            (study(mt: #"[{"name": "a", "weights": [-1, 2]}]"#), "mt[0].weights"),
        ]
        for (json, field) in cases {
            let found = error(json)
            #expect(found?.field == field, "\(json): \(String(describing: found))")
            #expect(found?.message.contains(field) == true, "\(json): \(String(describing: found))")
        }
    }

    @Test func taskNamesComeFromTheDatasetWithoutLoadingIt() throws {
        #expect(DatasetConfiguration(name: .multifashion).taskNames == ["left", "right"])
        #expect(DatasetConfiguration(name: .synthetic).taskNames == ["t0", "t1"])
        #expect(DatasetConfiguration(name: .synthetic, taskCount: 4).taskNames == ["t0", "t1", "t2", "t3"])
        let matrix = DatasetConfiguration(name: .synthetic, relatedness: [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]])
        #expect(matrix.taskNames == ["t0", "t1", "t2"])
        for configuration in [DatasetConfiguration(name: .synthetic, trainCount: 16, validationCount: 8, testCount: 8, taskCount: 3),
                              DatasetConfiguration(name: .synthetic, trainCount: 16, validationCount: 8, testCount: 8, relatedness: matrix.relatedness)] {
            #expect(try configuration.make().tasks.map(\.name) == configuration.taskNames)
        }
    }
}
