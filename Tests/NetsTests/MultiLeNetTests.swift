import Testing
import Linalg
@testable import Nets

@Suite struct MultiLeNetTests {
    static let heads: [(name: String, outputs: Int, loss: LossKind)] = [("left", 10, .crossEntropy), ("right", 10, .crossEntropy)]

    func problem(activation: Activation, seed: UInt64, batch: Int = 3) -> ModelProblem {
        ModelProblem(model: .multiLeNet(inputShape: [1, 28, 28], heads: Self.heads, seed: seed, activation: activation),
                     batch: batch, seed: seed)
    }

    /// The first problem from seed `from` on whose forward pass no ReLU input lies within
    /// `margin` of zero and no pooling window's two largest values lie within `margin` of each
    /// other (random data have such near-kinks now and then; finite differences across them are
    /// meaningless).
    func problemAwayFromKinks(activation: Activation, from seed: UInt64, margin: Double, dropout: Double = 0,
                              dropoutSeed: UInt64? = nil) -> ModelProblem {
        for candidate in seed..<(seed + 100) {
            var model = MultiTaskModel<Double>.multiLeNet(inputShape: [1, 28, 28], heads: Self.heads, seed: candidate,
                                                          dropout: dropout, activation: activation)
            model.setDropoutSeed(dropoutSeed)
            let problem = ModelProblem(model: model, batch: 3, seed: candidate)
            if problem.smallestPoolingMargin() > margin && problem.smallestReLUInput() > margin { return problem }
        }
        fatalError("no seed in \(seed)..<\(seed + 100) gives a forward pass \(margin) away from kinks")
    }

    /// Unit directions, one supported on each parameter tensor, so that no tensor's error
    /// hides behind another's scale.
    func tensorDirections(_ model: MultiTaskModel<Double>, seed: UInt64) -> [(name: String, direction: [Double])] {
        model.layout.views.enumerated().map { index, view in
            var direction = [Double](repeating: 0, count: model.layout.count)
            let values = randomVector(view.count, seed: seed &+ UInt64(index))
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for (offset, value) in values.enumerated() { direction[view.offset + offset] = value / norm }
            return (view.name, direction)
        }
    }

    @Test func layoutIsThePyTorchReferenceLayout() {
        let model = MultiTaskModel<Float>.multiLeNet(inputShape: [1, 28, 28], heads: Self.heads, seed: 1, dropout: 0.5)
        let names = model.layout.views.map(\.name), shapes = model.layout.views.map(\.shape)
        #expect(names == ["trunk.0.weight", "trunk.0.bias", "trunk.3.weight", "trunk.3.bias", "trunk.7.weight", "trunk.7.bias",
                          "heads.left.0.weight", "heads.left.0.bias", "heads.left.2.weight", "heads.left.2.bias",
                          "heads.right.0.weight", "heads.right.0.bias", "heads.right.2.weight", "heads.right.2.bias"])
        #expect(shapes == [[10, 1, 5, 5], [10], [20, 10, 5, 5], [20], [50, 320], [50],
                           [50, 50], [50], [10, 50], [10], [50, 50], [50], [10, 50], [10]])
        #expect(model.layout.sharedCount == 260 + 5020 + 16050)
        #expect(model.layout.count == model.layout.sharedCount + 2 * (2550 + 510))
        // 28 -> 24 -> 12 -> 8 -> 4 and 20 * 4 * 4 = 320 features into the Linear layer.
        let widths = model.trunk.map(\.outputWidth)
        #expect(widths == [10 * 24 * 24, 10 * 12 * 12, 10 * 12 * 12, 20 * 8 * 8, 20 * 4 * 4, 320, 320, 50, 50, 50])
        #expect(model.trunk[9] is Dropout)
        #expect(MultiTaskModel<Float>.multiLeNet(inputShape: [1, 28, 28], heads: Self.heads, seed: 1).trunk.count == 9)
    }

    @Test func initialisationIsSeededAndSharedWithTheSingleTaskModel() {
        let multi = MultiTaskModel<Float>.multiLeNet(inputShape: [1, 28, 28], heads: Self.heads, seed: 4)
        let single = MultiTaskModel<Float>.multiLeNet(inputShape: [1, 28, 28], heads: [Self.heads[1]], seed: 4, headStreams: [1])
        let shared = multi.layout.sharedCount
        #expect(Array(single.parameters[0..<shared]) == Array(multi.parameters[0..<shared]))
        #expect(Array(single.parameters[single.layout.headRanges[0]]) == Array(multi.parameters[multi.layout.headRanges[1]]))
        let convolution = multi.parameters[multi.layout.view(named: "trunk.3.weight")!.range]
        #expect(convolution.allSatisfy { abs($0) <= Float((6.0 / 250).squareRoot()) })
    }

    /// Directional derivatives of each task's loss along each tensor and single coordinates,
    /// against central differences of the loss.
    func expectTaskGradientsMatchFiniteDifferences(_ problem: ModelProblem, step: Double) {
        let gradients = problem.model.taskGradients(inputs: problem.inputs, targets: problem.targets)
        for t in 0..<2 {
            let oneHot = (0..<2).map { $0 == t ? 1.0 : 0.0 }
            let gradient = gradients.gradient(t)
            for (name, direction) in tensorDirections(problem.model, seed: 50) {
                let numeric = problem.finiteDifferenceDirectionalDerivative(weights: oneHot, direction: direction, step: step)
                let analytic = dot(gradient, direction)
                #expect(abs(analytic - numeric) <= 1e-6 * abs(numeric) + 1e-8, "task \(t), \(name): \(analytic) vs \(numeric)")
            }
            var generator = RandomGenerator(seed: 60 &+ UInt64(t))
            for _ in 0..<20 {
                let index = generator.integer(below: problem.model.layout.sharedCount)
                var direction = [Double](repeating: 0, count: problem.model.layout.count)
                direction[index] = 1
                let numeric = problem.finiteDifferenceDirectionalDerivative(weights: oneHot, direction: direction, step: step)
                #expect(abs(gradient[index] - numeric) <= 1e-6 * abs(numeric) + 1e-8, "task \(t), parameter \(index)")
            }
            let otherHead = problem.model.layout.headRanges[1 - t]
            #expect(gradient[otherHead].allSatisfy { $0 == 0 })
        }
    }

    @Test func smoothVariantTaskGradientsMatchFiniteDifferences() {
        let problem = problemAwayFromKinks(activation: .tanh, from: 3, margin: 1e-4)
        let step = 1e-6
        #expect(problem.smallestPoolingMargin() > 1e-4)
        expectTaskGradientsMatchFiniteDifferences(problem, step: step)
    }

    @Test func reluTaskGradientsMatchFiniteDifferencesAwayFromKinksAndTies() {
        let problem = problemAwayFromKinks(activation: .relu, from: 5, margin: 1e-5)
        // The step moves an activation by about 1e-7 times its sensitivity: no ReLU input and no
        // pooling tie may lie within 1e-5.
        #expect(problem.smallestReLUInput() > 1e-5)
        #expect(problem.smallestPoolingMargin() > 1e-5)
        expectTaskGradientsMatchFiniteDifferences(problem, step: 1e-7)
    }

    @Test func withDropoutOnAFixedMaskTaskGradientsMatchFiniteDifferences() {
        let problem = problemAwayFromKinks(activation: .tanh, from: 3, margin: 1e-4, dropout: 0.5, dropoutSeed: 23)
        #expect(problem.smallestPoolingMargin() > 1e-4)
        #expect(problem.model.forward(problem.inputs).representation.storage.contains(0))
        expectTaskGradientsMatchFiniteDifferences(problem, step: 1e-6)
    }

    @Test(arguments: [[1.0, 0.0], [0.3, 0.7]])
    func hessianVectorProductMatchesFiniteDifferencesOfGradients(weights: [Double]) {
        let problem = problemAwayFromKinks(activation: .tanh, from: 3, margin: 1e-4)
        #expect(problem.smallestPoolingMargin() > 1e-4)
        let product = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: weights)
        let v = randomVector(problem.model.layout.count, seed: 70)
        let exact = product.apply(v)
        let numeric = problem.finiteDifferenceHessianProduct(weights: weights, direction: v, step: 1e-6)
        #expect(relativeError(exact, numeric) < 1e-5)
        // Trunk tensors separately: their entries are smaller than the heads'.
        for name in ["trunk.0.weight", "trunk.0.bias", "trunk.3.weight", "trunk.7.weight"] {
            let range = problem.model.layout.view(named: name)!.range
            #expect(relativeError(Array(exact[range]), Array(numeric[range])) < 1e-5, "\(name)")
        }
    }

    @Test func reluHessianVectorProductMatchesFiniteDifferencesAwayFromKinksAndTies() {
        let problem = problemAwayFromKinks(activation: .relu, from: 5, margin: 1e-5)
        #expect(problem.smallestReLUInput() > 1e-5)
        #expect(problem.smallestPoolingMargin() > 1e-5)
        let product = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: [0.5, 0.5])
        var v = randomVector(problem.model.layout.count, seed: 71)
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / norm }
        let numeric = problem.finiteDifferenceHessianProduct(weights: [0.5, 0.5], direction: v, step: 1e-7)
        #expect(relativeError(product.apply(v), numeric) < 1e-4)
    }

    @Test func hessianIsSymmetric() {
        let problem = problem(activation: .relu, seed: 5)
        let product = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: [0.5, 0.5])
        let u = randomVector(problem.model.layout.count, seed: 72), v = randomVector(problem.model.layout.count, seed: 73)
        let uHv = dot(u, product.apply(v)), vHu = dot(v, product.apply(u))
        #expect(abs(uHv - vHu) <= 1e-10 * max(abs(uHv), 1))
        #expect(abs(uHv) > 1e-3)
    }

    @Test func perExampleSquaredGradientNormsMatchSingleExampleGradients() {
        let problem = problem(activation: .relu, seed: 8, batch: 4)
        let fast = problem.model.perExampleSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        let reference = problem.model.exampleByExampleSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        #expect(fast.rows == 2 && fast.columns == 4)
        #expect(relativeError(fast.storage, reference.storage) < 1e-10)
        // Independently of either path: example 0's squared norm from its own gradient.
        let single = problem.model.taskGradients(inputs: problem.inputs.rows(0..<1), targets: problem.targets.map { $0.rows(0..<1) })
        for t in 0..<2 {
            let squared = single.gradient(t).reduce(0) { $0 + $1 * $1 }
            #expect(abs(fast[t, 0] - squared) <= 1e-10 * squared)
        }
    }

    @Test func floatAndDoubleAgree() {
        let problem = problem(activation: .relu, seed: 9, batch: 16)
        let single = problem.model.converted(to: Float.self)
        let double = single.converted(to: Double.self)
        let g32 = single.taskGradients(inputs: problem.inputs.converted(to: Float.self),
                                       targets: problem.targets.map { $0.converted(to: Float.self) })
        let g64 = double.taskGradients(inputs: problem.inputs.converted(to: Float.self).converted(to: Double.self),
                                       targets: problem.targets)
        for t in 0..<2 { #expect(relativeError(g32.gradient(t).map(Double.init), g64.gradient(t)) < 1e-4) }
    }
}
