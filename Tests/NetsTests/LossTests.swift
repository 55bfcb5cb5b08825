import Testing
import Foundation
import Linalg
@testable import Nets

@Suite struct LossTests {
    @Test func crossEntropyOfAHandWorkedRow() {
        // logits (1, 2, 3), label 2: loss = log(e^1 + e^2 + e^3) - 3.
        let outputs = Matrix<Double>([[1, 2, 3]])
        let targets = Matrix<Double>([[2]])
        let (value, gradient) = LossKind.crossEntropy.evaluate(outputs: outputs, targets: targets, gradientScale: 1)
        let sum = exp(1.0) + exp(2.0) + exp(3.0)
        #expect(abs(value - (log(sum) - 3)) < 1e-14)
        let expected = [exp(1.0) / sum, exp(2.0) / sum, exp(3.0) / sum - 1]
        #expect(relativeError(gradient.storage, expected) < 1e-14)
    }

    @Test func crossEntropyIsStableForHugeLogits() {
        let outputs = Matrix<Float>([[1000, 0], [-1000, 0]])
        let targets = Matrix<Float>([[0], [0]])
        let (value, gradient) = LossKind.crossEntropy.evaluate(outputs: outputs, targets: targets, gradientScale: 1)
        #expect(abs(value - 500) < 1e-3)  // row losses 0 and 1000, mean 500
        #expect(gradient.storage.allSatisfy { $0.isFinite })
    }

    @Test func meanSquaredErrorAveragesOverExamplesAndOutputs() {
        let outputs = Matrix<Double>([[1, 2], [3, 4]])
        let targets = Matrix<Double>([[0, 2], [3, 2]])
        let (value, gradient) = LossKind.meanSquaredError.evaluate(outputs: outputs, targets: targets, gradientScale: 0.5)
        #expect(value == (1 + 0 + 0 + 4) / 4.0)
        let expected: [Double] = [0.25, 0, 0, 0.5]  // 2 * residual / 4 * 0.5
        #expect(gradient.storage == expected)
    }

    @Test func hessianProductsMatchFiniteDifferencesOfTheOutputGradient() {
        var generator = RandomGenerator(seed: 4)
        let outputs = Matrix<Double>(rows: 3, columns: 4, storage: (0..<12).map { _ in generator.normal() })
        let direction = Matrix<Double>(rows: 3, columns: 4, storage: (0..<12).map { _ in generator.normal() })
        let labels = Matrix<Double>([[0], [3], [1]])
        let values = Matrix<Double>(rows: 3, columns: 4, storage: (0..<12).map { _ in generator.normal() })
        for (kind, targets) in [(LossKind.crossEntropy, labels), (.meanSquaredError, values)] {
            let step = 1e-5
            var plus = outputs, minus = outputs
            for i in 0..<12 { plus.storage[i] += step * direction.storage[i]; minus.storage[i] -= step * direction.storage[i] }
            let gPlus = kind.evaluate(outputs: plus, targets: targets, gradientScale: 2).gradient.storage
            let gMinus = kind.evaluate(outputs: minus, targets: targets, gradientScale: 2).gradient.storage
            let numeric = zip(gPlus, gMinus).map { ($0 - $1) / (2 * step) }
            let analytic = kind.hessianProduct(outputs: outputs, targets: targets, outputsR: direction, scale: 2).storage
            #expect(relativeError(analytic, numeric) < 1e-8, "\(kind)")
        }
    }

    @Test func accuracyAndRSquared() {
        let logits = Matrix<Double>([[0, 1], [2, 1], [0, 3], [5, 4]])
        let labels = Matrix<Double>([[1], [0], [0], [0]])
        #expect(LossKind.crossEntropy.metric(outputs: logits, targets: labels) == 0.75)
        // Perfect predictions give R^2 = 1; predicting the mean gives 0.
        let targets = Matrix<Double>([[1], [2], [3]])
        #expect(LossKind.meanSquaredError.metric(outputs: targets, targets: targets) == 1)
        let mean = Matrix<Double>([[2], [2], [2]])
        #expect(abs(LossKind.meanSquaredError.metric(outputs: mean, targets: targets)) < 1e-15)
    }
}
