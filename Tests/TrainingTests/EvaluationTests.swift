import Testing
import Datasets
import Linalg
import Nets
@testable import Training

@Suite struct EvaluationTests {
    @Test func chunkingDoesNotChangeTheResultAndMatchesTheLossDirectly() throws {
        let dataset = try SyntheticRegression(rho: 0.5, trainCount: 300, validationCount: 250, testCount: 10, seed: 1).make()
        let model = MultiTaskModel<Float>.multilayerPerceptron(
            inputWidth: 100, trunkWidths: [8], heads: [("t0", 1, .meanSquaredError), ("t1", 1, .meanSquaredError)], seed: 2)
        let whole = model.evaluate(on: dataset.validation, tasks: [0, 1], chunk: 1000)
        let chunked = model.evaluate(on: dataset.validation, tasks: [0, 1], chunk: 7)
        for t in 0..<2 {
            #expect(abs(whole.losses[t] - chunked.losses[t]) < 1e-6 * whole.losses[t])  // GEMM blocking differs by chunk
            #expect(abs(whole.metrics[t] - chunked.metrics[t]) < 1e-6)
        }
        let direct = model.losses(inputs: dataset.validation.inputs, targets: dataset.validation.targets)
        #expect(abs(whole.losses[0] - direct[0]) < 1e-6 * direct[0] && abs(whole.losses[1] - direct[1]) < 1e-6 * direct[1])
    }

    @Test func headsReadTheTargetsOfTheirDatasetTasks() throws {
        let dataset = try SyntheticRegression(rho: 0, trainCount: 50, validationCount: 60, testCount: 10, seed: 4).make()
        let model = MultiTaskModel<Float>.multilayerPerceptron(
            inputWidth: 100, trunkWidths: [8], heads: [("t1", 1, .meanSquaredError)], seed: 2, headStreams: [1])
        let evaluation = model.evaluate(on: dataset.validation, tasks: [1])
        let direct = model.losses(inputs: dataset.validation.inputs, targets: [dataset.validation.targets[1]])
        #expect(abs(evaluation.losses[0] - direct[0]) < 1e-6 * direct[0])
    }
}
