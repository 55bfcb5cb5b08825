import Testing
import Linalg
@testable import Nets

@Suite struct HessianVectorProductTests {
    func randomDirection(_ count: Int, seed: UInt64) -> [Double] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in generator.normal() }
    }

    /// (g(θ + h v) - g(θ - h v)) / 2h for the weighted gradient.
    func finiteDifferenceHessianProduct(_ problem: SmallProblem, weights: [Double], direction: [Double], step: Double = 1e-4) -> [Double] {
        func gradient(_ parameters: [Double]) -> [Double] {
            var model = problem.model
            model.parameters = parameters
            return model.weightedGradient(inputs: problem.inputs, targets: problem.targets, weights: weights).gradient
        }
        var plus = problem.model.parameters, minus = problem.model.parameters
        axpy(step, direction, &plus)
        axpy(-step, direction, &minus)
        return zip(gradient(plus), gradient(minus)).map { ($0 - $1) / (2 * step) }
    }

    @Test(arguments: [[1.0, 0.0], [0.0, 1.0], [0.6, 0.4]])
    func matchesFiniteDifferencesOfGradients(weights: [Double]) {
        let problem = SmallProblem()
        let hvp = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: weights)
        for seed in [1, 2] as [UInt64] {
            let v = randomDirection(problem.model.layout.count, seed: seed)
            let numeric = finiteDifferenceHessianProduct(problem, weights: weights, direction: v)
            #expect(relativeError(hvp.apply(v), numeric) < 1e-5, "weights \(weights)")
        }
    }

    @Test func isSymmetric() {
        let problem = SmallProblem()
        let hvp = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: [0.5, 0.5])
        let u = randomDirection(problem.model.layout.count, seed: 3)
        let v = randomDirection(problem.model.layout.count, seed: 4)
        let uHv = dot(u, hvp.apply(v)), vHu = dot(v, hvp.apply(u))
        #expect(abs(uHv - vHu) <= 1e-10 * max(abs(uHv), 1))
    }

    @Test func reluNetworkMatchesFiniteDifferencesAwayFromTheKink() {
        let problem = SmallProblem(activation: .relu, seed: 3)
        let pass = problem.model.forward(problem.inputs)
        #expect([pass.trunk[1], pass.trunk[3]].flatMap(\.storage).allSatisfy { abs($0) > 1e-3 })
        let hvp = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: [0.5, 0.5])
        let v = randomDirection(problem.model.layout.count, seed: 5)
        let numeric = finiteDifferenceHessianProduct(problem, weights: [0.5, 0.5], direction: v, step: 1e-6)
        #expect(relativeError(hvp.apply(v), numeric) < 1e-5)
    }

    @Test func isLinearInTheDirection() {
        let problem = SmallProblem()
        let hvp = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: [1, 1])
        let u = randomDirection(problem.model.layout.count, seed: 6)
        let v = randomDirection(problem.model.layout.count, seed: 7)
        var sum = u
        axpy(2.5, v, &sum)
        var expected = hvp.apply(u)
        axpy(2.5, hvp.apply(v), &expected)
        #expect(relativeError(hvp.apply(sum), expected) < 1e-12)
    }
}
