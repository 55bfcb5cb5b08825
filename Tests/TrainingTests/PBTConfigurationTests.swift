import Foundation
import Testing
@testable import Training

/// Strict decoding and validation of a PBT configuration: every error names its field.
@Suite struct PBTConfigurationTests {
    static let valid = """
    {"seed": 3, "population": 6, "interval": 10, "explore": "resample", "fitness": "loss",
     "base": {"dataset": {"name": "synthetic", "taskCount": 3}, "steps": 50}}
    """

    func decode(_ text: String) throws -> PBTConfiguration {
        try JSONDecoder().decode(PBTConfiguration.self, from: Data(text.utf8))
    }

    /// The field named by the error that decoding and validating `text` throws.
    func failingField(_ text: String) -> String? {
        hyperparameterError { try decode(text).validate() }?.field
    }

    @Test func decodesDefaultsAndRoundTrips() throws {
        let configuration = try decode(Self.valid)
        try configuration.validate()
        #expect(configuration.seed == 3 && configuration.population == 6 && configuration.interval == 10)
        #expect(configuration.explore == .resample && configuration.fitness == .loss)
        #expect(configuration.replace == nil && configuration.resolvedReplace == 1)
        #expect(try decode(#"{"interval": 5, "base": {"dataset": {"name": "synthetic"}}}"#).resolvedReplace == 2)
        let again = try JSONDecoder().decode(PBTConfiguration.self, from: try JSONEncoder().encode(configuration))
        #expect(again == configuration)
        let member = configuration.memberConfiguration(4, weights: [0.2, 0.3, 0.5])
        #expect(member.seed == 7 && member.weights == [0.2, 0.3, 0.5] && member.task == nil)
    }

    @Test func badFieldsAreNamed() {
        let base = #""base": {"dataset": {"name": "synthetic", "taskCount": 3}, "steps": 50}"#
        #expect(failingField(#"{"populaton": 4, "interval": 10, \#(base)}"#) == "populaton")
        #expect(failingField(#"{"interval": 10, "explore": "mutate", \#(base)}"#) == "explore")
        #expect(failingField(#"{"interval": 10, "fitness": "accuracy", \#(base)}"#) == "fitness")
        #expect(failingField(#"{"population": 1, "interval": 10, \#(base)}"#) == "population")
        #expect(failingField(#"{"population": 4, "replace": 3, "interval": 10, \#(base)}"#) == "replace")
        #expect(failingField(#"{"interval": 0, \#(base)}"#) == "interval")
        #expect(failingField(#"{"interval": 50, \#(base)}"#) == "interval")
        #expect(failingField(#"{\#(base)}"#) == "interval")
        #expect(failingField(#"{"interval": 10}"#) == "base")
        #expect(failingField(#"{"interval": 10, "base": {"dataset": {"name": "synthetic"}, "seed": 2}}"#) == "base.seed")
        #expect(failingField(#"{"interval": 10, "base": {"dataset": {"name": "synthetic"}, "weights": [1, 1]}}"#) == "base.weights")
        #expect(failingField(#"{"interval": 10, "base": {"dataset": {"name": "synthetic"}, "method": "pcgrad"}}"#) == "base.method")
        #expect(failingField(#"{"interval": 10, "base": {"dataset": {"name": "synthetic"}, "widths": [0]}}"#) == "base.widths")
        #expect(failingField(#"{"interval": 10, "seed": -1, \#(base)}"#) == "seed")
    }
}
