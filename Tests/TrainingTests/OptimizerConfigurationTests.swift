import Foundation
import Testing
import Training

@Suite struct OptimizerConfigurationTests {
    func decode(_ json: String) throws -> OptimizerConfiguration {
        try JSONDecoder().decode(OptimizerConfiguration.self, from: Data(json.utf8))
    }

    /// The HyperparameterError that decoding `json` throws.
    func decodingError(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> HyperparameterError? {
        hyperparameterError(sourceLocation: sourceLocation) { _ = try decode(json) }
    }

    @Test func decodesSGDAndBuildsItWithTheGivenHyperparameters() throws {
        let configuration = try decode(
            #"{"kind": "sgd", "learningRate": 0.1, "momentum": 0.9, "nesterov": true, "weightDecay": 5e-4}"#)
        #expect(configuration == OptimizerConfiguration(kind: .sgd, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4))
        let optimizer = try configuration.makeOptimizer(parameterCount: 7, scalar: Float.self)
        let sgd = try #require(optimizer as? StochasticGradientDescent<Float>)
        #expect(sgd.momentum == 0.9 && sgd.nesterov && sgd.dampening == 0 && sgd.weightDecay == 5e-4)
        #expect(sgd.parameterCount == 7 && sgd.stepCount == 0)
    }

    @Test func adamDefaultsArePyTorchs() throws {
        let adam = try #require(try decode(#"{"kind": "adam", "learningRate": 0.001}"#)
            .makeOptimizer(parameterCount: 3, scalar: Double.self) as? Adam<Double>)
        #expect(adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.epsilon == 1e-8)
        #expect(adam.weightDecay == 0 && !adam.decoupledWeightDecay && adam.name == "adam")

        let adamw = try #require(try decode(#"{"kind": "adamw", "learningRate": 0.001}"#)
            .makeOptimizer(parameterCount: 3, scalar: Float.self) as? Adam<Float>)
        #expect(adamw.weightDecay == 0.01 && adamw.decoupledWeightDecay && adamw.name == "adamw")

        let tuned = try #require(try decode(
            #"{"kind": "adamw", "learningRate": 3e-4, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "weightDecay": 0.1}"#)
            .makeOptimizer(parameterCount: 3, scalar: Float.self) as? Adam<Float>)
        #expect(tuned.beta1 == 0.8 && tuned.beta2 == 0.99 && tuned.epsilon == 1e-6 && tuned.weightDecay == 0.1)
    }

    @Test(arguments: [
        OptimizerConfiguration.sgd(learningRate: 0.1, momentum: 0.5, dampening: 0.1, weightDecay: 1e-4),
        .adam(learningRate: 1e-3, beta1: 0.85),
        .adamw(learningRate: 2e-3, weightDecay: 0.05),
        OptimizerConfiguration(kind: .sgd, learningRate: 0.2),
    ])
    func roundTripsThroughJSON(configuration: OptimizerConfiguration) throws {
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(OptimizerConfiguration.self, from: data) == configuration)
    }

    @Test func outOfRangeValuesNameTheField() {
        #expect(decodingError(#"{"kind": "sgd", "learningRate": 0.1, "momentum": 1}"#)?.description
            == "momentum must be in [0, 1) (got 1.0)")
        #expect(decodingError(#"{"kind": "sgd", "learningRate": 0.1, "dampening": -0.5}"#)?.field == "dampening")
        #expect(decodingError(#"{"kind": "sgd", "learningRate": 0.1, "nesterov": true}"#)?.field == "nesterov")
        #expect(decodingError(#"{"kind": "sgd", "learningRate": 0.1, "weightDecay": -1}"#)?.field == "weightDecay")
        #expect(decodingError(#"{"kind": "adam", "learningRate": 0.1, "beta1": 1.5}"#)?.field == "beta1")
        #expect(decodingError(#"{"kind": "adamw", "learningRate": 0.1, "beta2": 1}"#)?.field == "beta2")
        #expect(decodingError(#"{"kind": "adam", "learningRate": 0.1, "epsilon": 0}"#)?.field == "epsilon")
        #expect(decodingError(#"{"kind": "adam", "learningRate": 0}"#)?.description
            == "learningRate must be positive and finite (got 0.0)")
        #expect(decodingError(#"{"kind": "adam", "learningRate": -1e-3}"#)?.field == "learningRate")
    }

    @Test func missingUnknownAndInapplicableFieldsAreNamed() {
        #expect(decodingError(#"{"learningRate": 0.1}"#)?.field == "kind")
        #expect(decodingError(#"{"kind": "adagrad", "learningRate": 0.1}"#)?.description
            == "kind must be one of sgd, adam, adamw (got adagrad)")
        #expect(decodingError(#"{"kind": "sgd"}"#)?.description == "learningRate is required")
        let typo = decodingError(#"{"kind": "sgd", "learningRate": 0.1, "momentun": 0.9}"#)
        #expect(typo?.field == "momentun")
        #expect(typo?.description.hasPrefix("momentun is not a field of the optimizer configuration") == true)
        #expect(decodingError(#"{"kind": "adam", "learningRate": 0.1, "momentum": 0.9}"#)?.description
            == "momentum does not apply to adam")
        #expect(decodingError(#"{"kind": "sgd", "learningRate": 0.1, "beta2": 0.99}"#)?.description
            == "beta2 does not apply to sgd")
    }

    @Test func validateAndMakeOptimizerCheckValuesBuiltInSwift() {
        let bad = OptimizerConfiguration(kind: .sgd, learningRate: 0.1, momentum: .nan)
        #expect(hyperparameterError { try bad.validate() }?.field == "momentum")
        #expect(hyperparameterError { _ = try bad.makeOptimizer(parameterCount: 2, scalar: Float.self) }?
            .field == "momentum")
        #expect(hyperparameterError { try OptimizerConfiguration.adam(learningRate: .infinity).validate() }?
            .field == "learningRate")
    }
}
