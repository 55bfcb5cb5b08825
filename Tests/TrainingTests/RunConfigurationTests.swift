import Foundation
import Testing
@testable import Training

@Suite struct RunConfigurationTests {
    let base = RunConfiguration(dataset: DatasetConfiguration(name: .synthetic))

    func field(of configuration: RunConfiguration) -> String? {
        do { try configuration.validate(); return nil } catch let error as HyperparameterError { return error.field } catch { return "?" }
    }

    @Test func invalidFieldsAreNamed() {
        var c = base; c.widths = []
        #expect(field(of: c) == "widths")
        c = base; c.steps = 0
        #expect(field(of: c) == "steps")
        c = base; c.batchSize = 0
        #expect(field(of: c) == "batchSize")
        c = base; c.weights = [0.5, -0.5]
        #expect(field(of: c) == "weights")
        c = base; c.dataset.trainCount = 0
        #expect(field(of: c) == "dataset.trainCount")
        c = base; c.dataset = DatasetConfiguration(name: .multifashion, rho: 0.5)
        #expect(field(of: c) == "dataset.rho")
        #expect(field(of: base) == nil)
    }

    @Test func equalWeightsByDefaultAndLengthFromEpochs() throws {
        #expect(try base.resolvedWeights(taskCount: 4) == [0.25, 0.25, 0.25, 0.25])
        var c = base; c.epochs = 3; c.batchSize = 100
        #expect(c.totalSteps(exampleCount: 1050) == 30)  // 10 full batches per epoch
        c.steps = 7
        #expect(c.totalSteps(exampleCount: 1050) == 7)
    }

    @Test func modelAndDropoutDecodeAndBadValuesNameTheirField() throws {
        let json = #"{"dataset": {"name": "multifashion"}, "model": "multilenet", "dropout": 0.25}"#
        let c = try JSONDecoder().decode(RunConfiguration.self, from: Data(json.utf8))
        #expect(c.model == .multilenet && c.dropout == 0.25)
        try c.validate()
        let defaults = try JSONDecoder().decode(RunConfiguration.self, from: Data(#"{"dataset": {"name": "synthetic"}}"#.utf8))
        #expect(defaults.model == .mlp && defaults.dropout == 0)
        let bad = #"{"dataset": {"name": "multifashion"}, "model": "lenet"}"#
        let error = hyperparameterError { _ = try JSONDecoder().decode(RunConfiguration.self, from: Data(bad.utf8)) }
        #expect(error?.field == "model")
        var d = c; d.dropout = 1
        #expect(field(of: d) == "dropout")
        d = c; d.dropout = -0.1
        #expect(field(of: d) == "dropout")
        d = base; d.dropout = 0.5  // the MLP has no dropout layer
        #expect(field(of: d) == "dropout")
        let encoded = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: encoded) == c)
    }

    @Test func roundTripsThroughJSON() throws {
        var c = base; c.task = "t0"; c.weights = [1]; c.seed = 9
        let data = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: data) == c)
    }
}
