import Testing
import Linalg
@testable import Nets

@Suite struct MultiTaskModelTests {
    @Test func layoutNamesTensorsLikePyTorchAndPutsTheTrunkFirst() {
        let model = MultiTaskModel<Float>.multilayerPerceptron(
            inputWidth: 784, trunkWidths: [256, 256], heads: [("left", 10, .crossEntropy), ("right", 10, .crossEntropy)], seed: 1)
        let names = model.layout.views.map(\.name)
        #expect(names == ["trunk.0.weight", "trunk.0.bias", "trunk.2.weight", "trunk.2.bias",
                          "heads.left.0.weight", "heads.left.0.bias", "heads.right.0.weight", "heads.right.0.bias"])
        #expect(model.layout.view(named: "trunk.0.weight")!.shape == [256, 784])
        #expect(model.layout.sharedCount == 784 * 256 + 256 + 256 * 256 + 256)
        #expect(model.layout.count == model.layout.sharedCount + 2 * (256 * 10 + 10))
        #expect(model.layout.headRanges[1] == (model.layout.sharedCount + 2570)..<model.layout.count)
        // Views tile the buffer without gaps.
        for (a, b) in zip(model.layout.views, model.layout.views.dropFirst()) { #expect(a.range.upperBound == b.offset) }
    }

    @Test func initialisationIsSeededAndHeUniform() {
        let a = MultiTaskModel<Double>.multilayerPerceptron(inputWidth: 100, trunkWidths: [50], heads: [("t0", 1, .meanSquaredError)], seed: 3)
        let b = MultiTaskModel<Double>.multilayerPerceptron(inputWidth: 100, trunkWidths: [50], heads: [("t0", 1, .meanSquaredError)], seed: 3)
        let c = MultiTaskModel<Double>.multilayerPerceptron(inputWidth: 100, trunkWidths: [50], heads: [("t0", 1, .meanSquaredError)], seed: 4)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != c.parameters)
        let weight = a.parameters[a.layout.view(named: "trunk.0.weight")!.range]
        let bound = (6.0 / 100).squareRoot()
        #expect(weight.allSatisfy { abs($0) <= bound })
        // Uniform on [-bound, bound] has variance bound^2 / 3; 5000 draws estimate it within a few percent.
        let variance = weight.reduce(0) { $0 + $1 * $1 } / Double(weight.count)
        #expect(abs(variance / (bound * bound / 3) - 1) < 0.06)
        #expect(a.parameters[a.layout.view(named: "trunk.0.bias")!.range].allSatisfy { $0 == 0 })
    }
}
