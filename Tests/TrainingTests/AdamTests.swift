import Testing
import Linalg
import Training

/// Hand-worked updates of `Adam` / AdamW against the PyTorch rule, on p0 = [1, -2] with the
/// gradients g1 = [0.5, -1], g2 = [1, 0.25], g3 = [-0.5, 0.5], learning rate 0.1 and the
/// defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8. Per element, at step t = 1, 2, 3:
/// ```
/// m_t = 0.9 m_{t-1} + 0.1 g_t
/// v_t = 0.999 v_{t-1} + 0.001 g_t^2
/// p_t = p_{t-1} - 0.1 / (1 - 0.9^t) * m_t / (sqrt(v_t) / sqrt(1 - 0.999^t) + 1e-8)
/// ```
/// (Adam with weight decay wd uses g_t + wd p_{t-1} for g_t; AdamW first sets
/// p_{t-1} <- p_{t-1} (1 - 0.1 wd).)
@Suite struct AdamTests {
    let p0: [Double] = [1, -2]
    let gradients: [[Double]] = [[0.5, -1], [1, 0.25], [-0.5, 0.5]]

    func run<Scalar: BLASScalar>(_ optimizer: inout Adam<Scalar>, gradients: [[Double]]) -> [[Scalar]] {
        var p = p0.map { Scalar($0) }
        var iterates: [[Scalar]] = []
        for g in gradients {
            optimizer.update(parameters: &p, gradient: g.map { Scalar($0) }, learningRate: 0.1)
            iterates.append(p)
        }
        return iterates
    }

    @Test func threeStepsFollowTheBiasCorrectedRule() throws {
        var adam = try Adam<Double>(parameterCount: 2)
        let p = run(&adam, gradients: gradients)

        // Step 1: m1 = 0.1 g1, v1 = 0.001 g1^2, so m1 / (1 - 0.9) = g1 and v1 / (1 - 0.999) = g1^2:
        // p1 = p0 - 0.1 * g1 / (|g1| + 1e-8), i.e. a step of almost exactly lr against sign(g1).
        let m1 = [0.1 * 0.5, 0.1 * -1.0]
        let v1 = [0.001 * 0.25, 0.001 * 1.0]
        let p1 = [1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 - 0.1 * -1 / (1 + 1e-8)]
        expectClose(p[0], p1, tolerance: 1e-12)
        expectClose(p[0], [0.9, -1.9], tolerance: 1e-8)

        // Step 2: 1 - 0.9^2 = 0.19, 1 - 0.999^2 = 0.001999.
        let m2 = [0.9 * m1[0] + 0.1 * 1.0, 0.9 * m1[1] + 0.1 * 0.25]            // [0.145, -0.065]
        let v2 = [0.999 * v1[0] + 0.001 * 1.0, 0.999 * v1[1] + 0.001 * 0.0625]  // [0.00124975, 0.0010615]
        let p2 = (0..<2).map { (i: Int) -> Double in
            p1[i] - 0.1 / 0.19 * m2[i] / (v2[i].squareRoot() / 0.001999.squareRoot() + 1e-8)
        }
        expectClose(p[1], p2, tolerance: 1e-12)
        expectClose(p[1], [0.8034818006, -1.8530531845], tolerance: 1e-9)

        // Step 3: 1 - 0.9^3 = 0.271, 1 - 0.999^3 = 0.002997001.
        let m3 = [0.9 * m2[0] + 0.1 * -0.5, 0.9 * m2[1] + 0.1 * 0.5]
        let v3 = [0.999 * v2[0] + 0.001 * 0.25, 0.999 * v2[1] + 0.001 * 0.25]
        let p3 = (0..<2).map { (i: Int) -> Double in
            p2[i] - 0.1 / 0.271 * m3[i] / (v3[i].squareRoot() / 0.002997001.squareRoot() + 1e-8)
        }
        expectClose(p[2], p3, tolerance: 1e-12)
        expectClose(p[2], [0.7614728709, -1.8483098391], tolerance: 1e-9)

        #expect(adam.stepCount == 3)
        #expect(adam.name == "adam")
        expectClose(adam.state.buffers["exp_avg"] ?? [], m3, tolerance: 1e-15)
        expectClose(adam.state.buffers["exp_avg_sq"] ?? [], v3, tolerance: 1e-15)
    }

    @Test func epsilonIsAddedAfterTheBiasCorrectedRoot() throws {
        // With eps = 0.1, step 1 is p1 = p0 - 0.1 * g1 / (|g1| + 0.1); had eps been added before
        // the bias correction, the denominator would be |g1| + 0.1 / sqrt(0.001).
        var adam = try Adam<Double>(parameterCount: 2, epsilon: 0.1)
        let p = run(&adam, gradients: [gradients[0]])
        expectClose(p[0], [1 - 0.1 * 0.5 / (0.5 + 0.1), -2 + 0.1 * 1 / (1 + 0.1)], tolerance: 1e-12)
    }

    @Test func coupledWeightDecayIsAddedToTheGradient() throws {
        // Adam, wd = 0.1: the gradient is g_t + 0.1 p_{t-1}.
        var adam = try Adam<Double>(parameterCount: 2, weightDecay: 0.1)
        let p = run(&adam, gradients: Array(gradients.prefix(2)))
        let d1 = [0.5 + 0.1 * 1, -1 + 0.1 * -2]                                  // [0.6, -1.2]
        let m1 = d1.map { 0.1 * $0 }
        let v1 = d1.map { 0.001 * $0 * $0 }
        let p1 = [1 - 0.1 * 0.6 / (0.6 + 1e-8), -2 - 0.1 * -1.2 / (1.2 + 1e-8)]
        expectClose(p[0], p1, tolerance: 1e-12)
        let d2 = [1 + 0.1 * p1[0], 0.25 + 0.1 * p1[1]]
        let m2 = (0..<2).map { i in 0.9 * m1[i] + 0.1 * d2[i] }
        let v2 = (0..<2).map { i in 0.999 * v1[i] + 0.001 * d2[i] * d2[i] }
        let p2 = (0..<2).map { (i: Int) -> Double in
            p1[i] - 0.1 / 0.19 * m2[i] / (v2[i].squareRoot() / 0.001999.squareRoot() + 1e-8)
        }
        expectClose(p[1], p2, tolerance: 1e-12)
        expectClose(p[1], [0.8025029703, -1.8367957570], tolerance: 1e-9)
    }

    @Test func decoupledWeightDecayShrinksParametersBeforeTheStep() throws {
        // AdamW, wd = 0.1, lr = 0.1: p <- 0.99 p, then the Adam step with the raw gradient.
        var adamw = try Adam<Double>(parameterCount: 2, weightDecay: 0.1, decoupledWeightDecay: true)
        let p = run(&adamw, gradients: Array(gradients.prefix(2)))
        #expect(adamw.name == "adamw")
        let m1 = [0.1 * 0.5, 0.1 * -1.0]
        let v1 = [0.001 * 0.25, 0.001 * 1.0]
        let p1 = [0.99 * 1 - 0.1 * 0.5 / (0.5 + 1e-8), 0.99 * -2 - 0.1 * -1 / (1 + 1e-8)]   // ~[0.89, -1.88]
        expectClose(p[0], p1, tolerance: 1e-12)
        let m2 = [0.9 * m1[0] + 0.1 * 1.0, 0.9 * m1[1] + 0.1 * 0.25]
        let v2 = [0.999 * v1[0] + 0.001 * 1.0, 0.999 * v1[1] + 0.001 * 0.0625]
        let p2 = (0..<2).map { (i: Int) -> Double in
            0.99 * p1[i] - 0.1 / 0.19 * m2[i] / (v2[i].squareRoot() / 0.001999.squareRoot() + 1e-8)
        }
        expectClose(p[1], p2, tolerance: 1e-12)
        expectClose(p[1], [0.7845818006, -1.8142531845], tolerance: 1e-9)
    }

    @Test func withZeroGradientAdamWOnlyDecaysAndAdamStepsBySign() throws {
        let zero: [[Double]] = Array(repeating: [0, 0], count: 3)
        // AdamW: m = v = 0, so the Adam term is 0 / (0 + eps) = 0 and p_t = 0.99^t p0.
        var adamw = try Adam<Double>(parameterCount: 2, weightDecay: 0.1, decoupledWeightDecay: true)
        let pw = run(&adamw, gradients: zero)
        expectClose(pw[2], [0.970299, -1.940598], tolerance: 1e-12)
        // Adam: the gradient is 0.1 p, normalised: step 1 moves by ~lr against sign(p0).
        var adam = try Adam<Double>(parameterCount: 2, weightDecay: 0.1)
        let pa = run(&adam, gradients: zero)
        expectClose(pa[0], [1 - 0.1 * 0.1 / (0.1 + 1e-8), -2 + 0.1 * 0.2 / (0.2 + 1e-8)], tolerance: 1e-12)
    }

    @Test func floatMatchesTheHandWorkedAdamWSteps() throws {
        var adamw = try Adam<Float>(parameterCount: 2, weightDecay: 0.1, decoupledWeightDecay: true)
        let p = run(&adamw, gradients: gradients)
        expectClose(p[2], [0.7347270528, -1.7913673073], tolerance: 2e-6)
    }

    @Test func longVectorsMatchElementwiseUpdates() throws {
        // More elements than one internal block (512), each with its own gradient; element i
        // must follow the scalar rule exactly as element 0 does in a 1-element run.
        let n = 1500
        var adam = try Adam<Float>(parameterCount: n, weightDecay: 0.01, decoupledWeightDecay: true)
        var p = (0..<n).map { Float($0 % 7) - 3 }
        let g = (0..<n).map { Float($0 % 11) * 0.25 - 1 }
        for _ in 0..<2 { adam.update(parameters: &p, gradient: g, learningRate: 0.01) }
        for i in [0, 511, 512, 1023, 1024, 1499] {
            var single = try Adam<Float>(parameterCount: 1, weightDecay: 0.01, decoupledWeightDecay: true)
            var q = [Float(i % 7) - 3]
            for _ in 0..<2 { single.update(parameters: &q, gradient: [g[i]], learningRate: 0.01) }
            #expect(p[i] == q[0], "element \(i)")
        }
    }

    @Test(arguments: [false, true])
    func reachesTheQuadraticsMinimumWithCosineDecay(decoupled: Bool) throws {
        var adam = try Adam<Double>(parameterCount: 2, decoupledWeightDecay: decoupled)
        let schedule = LearningRateSchedule.cosine(totalSteps: 2000)
        var x: [Double] = [5, 5]
        for step in 0...2000 {
            adam.update(parameters: &x, gradient: Quadratic.gradient(x),
                        learningRate: schedule.learningRate(atStep: step, base: 0.05))
        }
        expectClose(x, Quadratic.minimizer(), tolerance: 1e-6)
    }

    @Test func invalidHyperparametersNameTheField() {
        #expect(hyperparameterError { _ = try Adam<Float>(parameterCount: 2, beta1: 1) }?
            .description == "beta1 must be in [0, 1) (got 1.0)")
        #expect(hyperparameterError { _ = try Adam<Float>(parameterCount: 2, beta2: -0.1) }?.field == "beta2")
        #expect(hyperparameterError { _ = try Adam<Float>(parameterCount: 2, epsilon: 0) }?.field == "epsilon")
        #expect(hyperparameterError { _ = try Adam<Float>(parameterCount: 2, epsilon: .nan) }?.field == "epsilon")
        #expect(hyperparameterError { _ = try Adam<Float>(parameterCount: 2, weightDecay: -0.01) }?
            .field == "weightDecay")
    }
}
