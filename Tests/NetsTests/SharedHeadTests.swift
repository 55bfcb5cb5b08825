import Testing
import Linalg
@testable import Nets

@Suite struct SharedHeadTests {
    func model() -> MultiTaskModel<Double> {
        .multilayerPerceptronWithSharedHead(inputWidth: 5, trunkWidths: [6], activation: .tanh, outputs: 3,
                                            heads: [("a", .crossEntropy), ("b", .crossEntropy)], seed: 2)
    }

    @Test func everyParameterIsSharedAndTheHeadsAreFlatten() {
        let model = model()
        #expect(model.layout.sharedCount == model.layout.count)
        #expect(model.layout.count == 5 * 6 + 6 + 6 * 3 + 3)
        #expect(model.heads.allSatisfy { $0.layers.count == 1 && $0.layers[0] is Flatten && $0.outputWidth == 3 })
        #expect(model.layout.views.map(\.name).last == "trunk.2.bias")
    }

    @Test func taskGradientsDifferOnlyThroughTheExamplesTheySee() {
        let model = model()
        var generator = RandomGenerator(seed: 5)
        let inputs = Matrix<Double>(rows: 6, columns: 5, storage: (0..<30).map { _ in generator.normal() })
        // Task a labels rows 0-2, task b rows 3-5: the same labels on the same rows give the same gradient.
        let a = Matrix<Double>(rows: 6, columns: 1, storage: [0, 2, 1, -1, -1, -1])
        let b = Matrix<Double>(rows: 6, columns: 1, storage: [-1, -1, -1, 1, 1, 0])
        let gradients = model.taskGradients(inputs: inputs, targets: [a, b])
        let swapped = model.taskGradients(inputs: inputs, targets: [b, a])
        #expect(gradients.gradient(0) == swapped.gradient(1) && gradients.gradient(1) == swapped.gradient(0))
        let numeric = finiteDifferenceGradient(at: model.parameters) { parameters in
            var copy = model
            copy.parameters = parameters
            return copy.losses(inputs: inputs, targets: [a, b])[1]
        }
        #expect(relativeError(gradients.gradient(1), numeric) < 1e-6)
    }
}
