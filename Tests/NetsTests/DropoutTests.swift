import Testing
import Linalg
@testable import Nets

@Suite struct DropoutTests {
    @Test func withoutASeedItIsTheIdentity() {
        let layer = Dropout(width: 6, probability: 0.5)
        let x = randomMatrix(rows: 4, columns: 6, seed: 1)
        let none: [Double] = []
        #expect(none.withUnsafeBufferPointer { layer.forward(x, parameters: $0) } == x)
        let upstream = randomMatrix(rows: 4, columns: 12, seed: 2)
        var unused = [Double](repeating: 0, count: 1)
        let dx = none.withUnsafeBufferPointer { p in
            unused.withUnsafeMutableBufferPointer { g in
                layer.backward(input: x, output: x, upstream: upstream, multiplicity: 2, parameters: p,
                               gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: true)!
            }
        }
        #expect(dx == upstream)
    }

    @Test(arguments: [0.1, 0.3, 0.5])
    func keepsAboutOneMinusPAndScalesTheKeptByItsInverse(probability: Double) {
        let layer = Dropout(width: 500, probability: probability, maskSeed: 9)
        let x = Matrix<Double>(rows: 200, columns: 500, repeating: 2)
        let none: [Double] = []
        let y = none.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        let kept = y.storage.filter { $0 != 0 }
        let fraction = Double(kept.count) / Double(y.count)
        // 100 000 Bernoulli draws: the standard error is below 0.0016.
        #expect(abs(fraction - (1 - probability)) < 0.01)
        #expect(kept.allSatisfy { abs($0 - 2 / (1 - probability)) < 1e-12 })
        // The mean is preserved in expectation.
        #expect(abs(y.storage.reduce(0, +) / Double(y.count) - 2) < 0.05)
    }

    @Test func theMaskIsAPureFunctionOfSeedRowAndColumn() {
        let layer = Dropout(width: 40, probability: 0.5)
        let a: Matrix<Double> = layer.mask(rows: 30, seed: 5)
        #expect(a == layer.mask(rows: 30, seed: 5))
        #expect(a.rows(0..<10) == layer.mask(rows: 10, seed: 5))  // a row's mask does not depend on the batch size
        #expect(a != layer.mask(rows: 30, seed: 6))
        // Rows and columns are not copies of each other.
        #expect(a.row(0) != a.row(1))
        #expect(a.transposed.row(0) != a.transposed.row(1))
    }

    @Test func withAFixedMaskGradientsAndRPassesMatchFiniteDifferences() {
        let layer = Dropout(width: 8, probability: 0.4, maskSeed: 3)
        let check = LayerCheck(layer: layer, parameters: [], input: randomMatrix(rows: 5, columns: 8, seed: 4),
                               linearTerm: randomMatrix(rows: 5, columns: 8, seed: 5))
        let analytic = check.gradients(parameters: [], input: check.input)
        let numeric = check.finiteDifferenceGradients(step: 1e-5)
        #expect(relativeError(analytic.input.storage, numeric.input) < 1e-9)
        #expect(analytic.input.storage.contains(0) && analytic.input.storage.contains { $0 != 0 })
        let inputR = randomMatrix(rows: 5, columns: 8, seed: 6)
        let exact = check.rPasses(direction: [], inputR: inputR)
        let rNumeric = check.finiteDifferenceRPasses(direction: [], inputR: inputR, step: 1e-5)
        #expect(relativeError(exact.outputR.storage, rNumeric.outputR) < 1e-9)
        #expect(relativeError(exact.inputGradientR.storage, rNumeric.inputGradientR) < 1e-9)
    }

    @Test func aModelsDropoutSeedSwitchesEveryDropoutLayer() {
        var model = MultiTaskModel<Double>.multiLeNet(
            inputShape: [1, 28, 28], heads: [("left", 10, .crossEntropy)], seed: 1, dropout: 0.5)
        #expect(model.hasDropout)
        let problem = ModelProblem(model: model, batch: 3, seed: 2)
        let off = model.forward(problem.inputs).representation
        model.setDropoutSeed(17)
        let on = model.forward(problem.inputs).representation
        #expect(on != off)
        #expect(on.storage.contains(0))
        model.setDropoutSeed(nil)
        #expect(model.forward(problem.inputs).representation == off)
        #expect(!MultiTaskModel<Double>.multiLeNet(inputShape: [1, 28, 28], heads: [("left", 10, .crossEntropy)], seed: 1).hasDropout)
    }
}
