import Testing
import Linalg
@testable import Nets

@Suite struct TaskGradientsTests {
    @Test func eachTaskGradientMatchesFiniteDifferences() {
        let problem = SmallProblem()
        let gradients = problem.model.taskGradients(inputs: problem.inputs, targets: problem.targets)
        for t in 0..<2 {
            let oneHot = (0..<2).map { $0 == t ? 1.0 : 0.0 }
            let numeric = finiteDifferenceGradient(at: problem.model.parameters) { problem.loss($0, weights: oneHot) }
            let analytic = gradients.gradient(t)
            #expect(relativeError(analytic, numeric) < 1e-6, "task \(t)")
            // Trunk and head separately, so neither hides behind the other's scale.
            let shared = 0..<problem.model.layout.sharedCount
            #expect(relativeError(Array(analytic[shared]), Array(numeric[shared])) < 1e-6)
            let head = problem.model.layout.headRanges[t]
            #expect(relativeError(Array(analytic[head]), Array(numeric[head])) < 1e-6)
            // The other task's head gets exactly nothing.
            let other = problem.model.layout.headRanges[1 - t]
            #expect(analytic[other].allSatisfy { $0 == 0 })
        }
    }

    @Test func lossesMatchTheForwardPass() {
        let problem = SmallProblem()
        let gradients = problem.model.taskGradients(inputs: problem.inputs, targets: problem.targets)
        #expect(gradients.losses == problem.model.losses(inputs: problem.inputs, targets: problem.targets))
    }

    @Test func weightedGradientMatchesFiniteDifferencesAndTheTaskGradients() {
        let problem = SmallProblem()
        let weights = [0.7, 0.3]
        let weighted = problem.model.weightedGradient(inputs: problem.inputs, targets: problem.targets, weights: weights)
        let numeric = finiteDifferenceGradient(at: problem.model.parameters) { problem.loss($0, weights: weights) }
        #expect(relativeError(weighted.gradient, numeric) < 1e-6)
        let combined = problem.model.taskGradients(inputs: problem.inputs, targets: problem.targets).combined(weights: weights)
        #expect(relativeError(weighted.gradient, combined) < 1e-12)
    }

    @Test func reluNetworkGradientsMatchFiniteDifferencesAwayFromTheKink() {
        let problem = SmallProblem(activation: .relu, seed: 3)
        // Finite differences are only valid if no pre-activation lies within the step of zero.
        let pass = problem.model.forward(problem.inputs)
        let preActivations = [pass.trunk[1], pass.trunk[3]].flatMap(\.storage)
        #expect(preActivations.allSatisfy { abs($0) > 1e-3 })
        let gradients = problem.model.taskGradients(inputs: problem.inputs, targets: problem.targets)
        for t in 0..<2 {
            let oneHot = (0..<2).map { $0 == t ? 1.0 : 0.0 }
            let numeric = finiteDifferenceGradient(at: problem.model.parameters, step: 1e-6) { problem.loss($0, weights: oneHot) }
            #expect(relativeError(gradients.gradient(t), numeric) < 1e-6)
        }
    }

    @Test func floatAndDoubleAgreeOnTheSameWeightsAndBatch() {
        let problem = SmallProblem(activation: .relu, seed: 11, batch: 32)
        let single = problem.model.converted(to: Float.self)
        let double = single.converted(to: Double.self)  // identical weights in both precisions
        let inputs = problem.inputs.converted(to: Float.self)
        let targets = problem.targets.map { $0.converted(to: Float.self) }
        let g32 = single.taskGradients(inputs: inputs, targets: targets)
        let g64 = double.taskGradients(inputs: inputs.converted(to: Double.self), targets: targets.map { $0.converted(to: Double.self) })
        for t in 0..<2 {
            #expect(relativeError(g32.gradient(t).map(Double.init), g64.gradient(t)) < 1e-4)
            #expect(abs(g32.losses[t] - g64.losses[t]) <= 1e-4 * abs(g64.losses[t]))
        }
    }

    @Test func aSingleTaskModelEqualsTheMultiTaskModelRestrictedToItsHead() {
        // Same seed and head stream: the single-task model starts from the same trunk and head.
        let multi = MultiTaskModel<Double>.multilayerPerceptron(
            inputWidth: 5, trunkWidths: [6], heads: [("a", 3, .crossEntropy), ("b", 2, .meanSquaredError)], seed: 5)
        let single = MultiTaskModel<Double>.multilayerPerceptron(
            inputWidth: 5, trunkWidths: [6], heads: [("b", 2, .meanSquaredError)], seed: 5, headStreams: [1])
        let shared = multi.layout.sharedCount
        #expect(Array(single.parameters[0..<shared]) == Array(multi.parameters[0..<shared]))
        #expect(Array(single.parameters[single.layout.headRanges[0]]) == Array(multi.parameters[multi.layout.headRanges[1]]))
    }
}
