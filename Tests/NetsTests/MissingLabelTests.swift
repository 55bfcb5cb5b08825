import Testing
import Foundation
import Linalg
@testable import Nets

@Suite struct MissingLabelTests {
    /// Three rows, the middle one without a label.
    let logits = Matrix<Double>([[1, 2, 3], [5, -1, 0], [2, 0, 0]])
    let masked = Matrix<Double>([[2], [-1], [0]])

    @Test func countsAndRowsOfLabelledExamples() {
        #expect(LossKind.crossEntropy.labelledCount(targets: masked) == 2)
        #expect(LossKind.crossEntropy.labelledRows(targets: masked) == [0, 2])
        // Regression targets have no marker: -1 is a value.
        let values = Matrix<Double>([[-1, 0], [2, -1]])
        #expect(LossKind.meanSquaredError.labelledCount(targets: values) == 2)
        #expect(LossKind.meanSquaredError.labelledRows(targets: values) == [0, 1])
    }

    @Test func maskedCrossEntropyOfAHandWorkedBatch() {
        // Row 0: log(e + e^2 + e^3) - 3; row 2: log(e^2 + 2) - 2; mean over the 2 labelled rows.
        let (value, gradient) = LossKind.crossEntropy.evaluate(outputs: logits, targets: masked, gradientScale: 3)
        let sum0 = exp(1.0) + exp(2.0) + exp(3.0), sum2 = exp(2.0) + 2
        #expect(abs(value - ((log(sum0) - 3) + (log(sum2) - 2)) / 2) < 1e-14)
        // Gradient rows: 3 * (softmax - one-hot) / 2 for the labelled rows, zero for the middle one.
        let expected = [exp(1.0) / sum0, exp(2.0) / sum0, exp(3.0) / sum0 - 1, 0, 0, 0,
                        exp(2.0) / sum2 - 1, 1 / sum2, 1 / sum2].map { $0 * 1.5 }
        #expect(relativeError(gradient.storage, expected) < 1e-14)
        #expect(gradient.row(1) == [0, 0, 0])
        // Accuracy over the labelled rows: row 0 right (argmax 2), row 2 right (argmax 0).
        #expect(LossKind.crossEntropy.metric(outputs: logits, targets: masked) == 1)
        let oneWrong = Matrix<Double>([[1], [-1], [0]])
        #expect(LossKind.crossEntropy.metric(outputs: logits, targets: oneWrong) == 0.5)
    }

    @Test func maskedValuesEqualTheUnmaskedOnesOnTheLabelledSubset() {
        var generator = RandomGenerator(seed: 11)
        let n = 9, k = 4
        let outputs = Matrix<Double>(rows: n, columns: k, storage: (0..<(n * k)).map { _ in generator.normal() })
        let direction = Matrix<Double>(rows: n, columns: k, storage: (0..<(n * k)).map { _ in generator.normal() })
        let labels: [Double] = [0, -1, 3, 2, -1, -1, 1, 0, -1]
        let targets = Matrix<Double>(rows: n, columns: 1, storage: labels)
        let rows = labels.indices.filter { labels[$0] >= 0 }
        let subsetTargets = targets.gatherRows(rows), subsetOutputs = outputs.gatherRows(rows)
        let kind = LossKind.crossEntropy
        let full = kind.evaluate(outputs: outputs, targets: targets, gradientScale: 0.7)
        let subset = kind.evaluate(outputs: subsetOutputs, targets: subsetTargets, gradientScale: 0.7)
        #expect(abs(full.value - subset.value) < 1e-14)
        #expect(full.gradient.gatherRows(rows).storage == subset.gradient.storage)
        let hessian = kind.hessianProduct(outputs: outputs, targets: targets, outputsR: direction, scale: 0.7)
        let subsetHessian = kind.hessianProduct(outputs: subsetOutputs, targets: subsetTargets,
                                                outputsR: direction.gatherRows(rows), scale: 0.7)
        #expect(hessian.gatherRows(rows).storage == subsetHessian.storage)
        for i in labels.indices where labels[i] < 0 {
            #expect(full.gradient.row(i).allSatisfy { $0 == 0 } && hessian.row(i).allSatisfy { $0 == 0 })
        }
        #expect(kind.metric(outputs: outputs, targets: targets) == kind.metric(outputs: subsetOutputs, targets: subsetTargets))
    }

    @Test func aBatchWithoutLabelsHasLossNaNAndZeroGradient() {
        let none = Matrix<Double>([[-1], [-1], [-1]])
        let (value, gradient) = LossKind.crossEntropy.evaluate(outputs: logits, targets: none, gradientScale: 1)
        #expect(value.isNaN)
        #expect(gradient.storage.allSatisfy { $0 == 0 })
        let hessian = LossKind.crossEntropy.hessianProduct(outputs: logits, targets: none, outputsR: logits, scale: 1)
        #expect(hessian.storage.allSatisfy { $0 == 0 })
        #expect(LossKind.crossEntropy.metric(outputs: logits, targets: none).isNaN)
    }

    /// The classification head of `SmallProblem` with four of seven labels missing.
    func maskedProblem() -> SmallProblem {
        var problem = SmallProblem()
        for i in [1, 2, 4, 6] { problem.targets[0].storage[i] = -1 }
        return problem
    }

    @Test func aMaskedTaskGradientMatchesFiniteDifferences() {
        let problem = maskedProblem()
        let gradients = problem.model.taskGradients(inputs: problem.inputs, targets: problem.targets)
        let numeric = finiteDifferenceGradient(at: problem.model.parameters) { problem.loss($0, weights: [1, 0]) }
        #expect(relativeError(gradients.gradient(0), numeric) < 1e-6)
        // The same as the gradient on the three labelled examples alone.
        let rows = [0, 3, 5]
        let subset = problem.model.taskGradients(inputs: problem.inputs.gatherRows(rows),
                                                 targets: problem.targets.map { $0.gatherRows(rows) })
        #expect(relativeError(gradients.gradient(0), subset.gradient(0)) < 1e-12)
    }

    @Test func maskedHessianProductsMatchTheLabelledSubset() {
        let problem = maskedProblem()
        var generator = RandomGenerator(seed: 3)
        let direction = (0..<problem.model.layout.count).map { _ in generator.normal() }
        let rows = [0, 3, 5]
        let full = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: [1, 0])
        let subset = HessianVectorProduct(model: problem.model, inputs: problem.inputs.gatherRows(rows),
                                          targets: problem.targets.map { $0.gatherRows(rows) }, weights: [1, 0])
        #expect(relativeError(full.apply(direction), subset.apply(direction)) < 1e-12)
    }

    @Test func perExampleNormsAreZeroForUnlabelledExamplesAndUnchangedForTheOthers() {
        let problem = maskedProblem()
        let norms = problem.model.perExampleSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        let unmasked = SmallProblem()
        let reference = unmasked.model.perExampleSquaredGradientNorms(inputs: unmasked.inputs, targets: unmasked.targets)
        for i in 0..<7 {
            if [1, 2, 4, 6].contains(i) {
                #expect(norms[0, i] == 0)
            } else {
                #expect(abs(norms[0, i] - reference[0, i]) <= 1e-12 * reference[0, i])
            }
            #expect(abs(norms[1, i] - reference[1, i]) <= 1e-12 * reference[1, i])  // regression: all labelled
        }
    }
}
