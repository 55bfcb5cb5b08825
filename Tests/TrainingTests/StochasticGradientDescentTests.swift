import Testing
import Linalg
import Training

/// Hand-worked updates of `StochasticGradientDescent` against PyTorch's `torch.optim.SGD` rule,
/// on p0 = [1, -2, 0.5] with the gradient sequence g1, g2, g3 below and learning rate 0.1.
@Suite struct StochasticGradientDescentTests {
    let p0: [Double] = [1, -2, 0.5]
    let gradients: [[Double]] = [[0.5, -1, 2], [1, 0, -0.5], [-0.25, 0.5, 1]]

    /// Applies the first `steps` gradients with learning rate 0.1 and returns each iterate.
    func run<Scalar: BLASScalar>(_ optimizer: inout StochasticGradientDescent<Scalar>, steps: Int) -> [[Scalar]] {
        var p = p0.map { Scalar($0) }
        var iterates: [[Scalar]] = []
        for g in gradients.prefix(steps) {
            optimizer.update(parameters: &p, gradient: g.map { Scalar($0) }, learningRate: 0.1)
            iterates.append(p)
        }
        return iterates
    }

    @Test func plainStepsAreParametersMinusRateTimesGradient() throws {
        // p_t = p_{t-1} - lr * g_t
        // p1 = [1 - 0.05, -2 + 0.1, 0.5 - 0.2]    = [0.95, -1.9, 0.3]
        // p2 = [0.95 - 0.1, -1.9 - 0, 0.3 + 0.05] = [0.85, -1.9, 0.35]
        // p3 = [0.85 + 0.025, -1.9 - 0.05, 0.35 - 0.1] = [0.875, -1.95, 0.25]
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 3)
        let p = run(&sgd, steps: 3)
        expectClose(p[0], [0.95, -1.9, 0.3], tolerance: 1e-12)
        expectClose(p[1], [0.85, -1.9, 0.35], tolerance: 1e-12)
        expectClose(p[2], [0.875, -1.95, 0.25], tolerance: 1e-12)
        #expect(sgd.stepCount == 3)
        #expect(sgd.name == "sgd")
        #expect(sgd.state.buffers.isEmpty)
    }

    @Test func momentumBufferStartsAsTheGradient() throws {
        // b1 = g1;  b_t = 0.9 b_{t-1} + g_t;  p_t = p_{t-1} - 0.1 b_t
        // b1 = [0.5, -1, 2]                          p1 = [0.95, -1.9, 0.3]
        // b2 = [0.45 + 1, -0.9 + 0, 1.8 - 0.5]   = [1.45, -0.9, 1.3]
        //                                            p2 = [0.95 - 0.145, -1.9 + 0.09, 0.3 - 0.13] = [0.805, -1.81, 0.17]
        // b3 = [1.305 - 0.25, -0.81 + 0.5, 1.17 + 1] = [1.055, -0.31, 2.17]
        //                                            p3 = [0.805 - 0.1055, -1.81 + 0.031, 0.17 - 0.217] = [0.6995, -1.779, -0.047]
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 3, momentum: 0.9)
        let p = run(&sgd, steps: 3)
        expectClose(p[0], [0.95, -1.9, 0.3], tolerance: 1e-12)
        expectClose(p[1], [0.805, -1.81, 0.17], tolerance: 1e-12)
        expectClose(p[2], [0.6995, -1.779, -0.047], tolerance: 1e-12)
        expectClose(sgd.state.buffers["momentum_buffer"] ?? [], [1.055, -0.31, 2.17], tolerance: 1e-12)
    }

    @Test func dampeningDoesNotApplyToTheFirstStep() throws {
        // PyTorch: the buffer is a copy of the gradient on the first step, even with dampening;
        // afterwards b_t = 0.9 b_{t-1} + (1 - 0.5) g_t.
        // b1 = g1 = [0.5, -1, 2] (not 0.5 * g1)      p1 = [0.95, -1.9, 0.3]
        // b2 = [0.45 + 0.5, -0.9 + 0, 1.8 - 0.25] = [0.95, -0.9, 1.55]
        //                                             p2 = [0.95 - 0.095, -1.9 + 0.09, 0.3 - 0.155] = [0.855, -1.81, 0.145]
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 3, momentum: 0.9, dampening: 0.5)
        let p1 = run(&sgd, steps: 1)[0]
        expectClose(p1, [0.95, -1.9, 0.3], tolerance: 1e-12)
        expectClose(sgd.state.buffers["momentum_buffer"] ?? [], [0.5, -1, 2], tolerance: 0)
        var again = try StochasticGradientDescent<Double>(parameterCount: 3, momentum: 0.9, dampening: 0.5)
        let p = run(&again, steps: 2)
        expectClose(p[1], [0.855, -1.81, 0.145], tolerance: 1e-12)
    }

    @Test func nesterovStepsAlongGradientPlusMomentumTimesBuffer() throws {
        // b_t as with momentum; d_t = g_t + 0.9 b_t; p_t = p_{t-1} - 0.1 d_t
        // d1 = g1 + 0.9 g1 = [0.95, -1.9, 3.8]                     p1 = [0.905, -1.81, 0.12]
        // b2 = [1.45, -0.9, 1.3]; d2 = [1 + 1.305, 0 - 0.81, -0.5 + 1.17] = [2.305, -0.81, 0.67]
        //                                                          p2 = [0.6745, -1.729, 0.053]
        // b3 = [1.055, -0.31, 2.17]; d3 = [-0.25 + 0.9495, 0.5 - 0.279, 1 + 1.953] = [0.6995, 0.221, 2.953]
        //                                                          p3 = [0.60455, -1.7511, -0.2423]
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 3, momentum: 0.9, nesterov: true)
        let p = run(&sgd, steps: 3)
        expectClose(p[0], [0.905, -1.81, 0.12], tolerance: 1e-12)
        expectClose(p[1], [0.6745, -1.729, 0.053], tolerance: 1e-12)
        expectClose(p[2], [0.60455, -1.7511, -0.2423], tolerance: 1e-12)
    }

    @Test func weightDecayIsAddedToTheGradient() throws {
        // d_t = g_t + 0.1 p_{t-1}; p_t = p_{t-1} - 0.1 d_t
        // d1 = [0.5 + 0.1, -1 - 0.2, 2 + 0.05] = [0.6, -1.2, 2.05]       p1 = [0.94, -1.88, 0.295]
        // d2 = [1 + 0.094, 0 - 0.188, -0.5 + 0.0295] = [1.094, -0.188, -0.4705]
        //                                                                 p2 = [0.8306, -1.8612, 0.34205]
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 3, weightDecay: 0.1)
        let p = run(&sgd, steps: 2)
        expectClose(p[0], [0.94, -1.88, 0.295], tolerance: 1e-12)
        expectClose(p[1], [0.8306, -1.8612, 0.34205], tolerance: 1e-12)
    }

    @Test func weightDecayEntersTheMomentumBuffer() throws {
        // d as above; b1 = d1 = [0.6, -1.2, 2.05]                         p1 = [0.94, -1.88, 0.295]
        // b2 = 0.9 b1 + d2 = [0.54 + 1.094, -1.08 - 0.188, 1.845 - 0.4705] = [1.634, -1.268, 1.3745]
        //                                                                 p2 = [0.7766, -1.7532, 0.15755]
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 3, momentum: 0.9, weightDecay: 0.1)
        let p = run(&sgd, steps: 2)
        expectClose(p[0], [0.94, -1.88, 0.295], tolerance: 1e-12)
        expectClose(p[1], [0.7766, -1.7532, 0.15755], tolerance: 1e-12)
    }

    @Test func floatMatchesTheHandWorkedNesterovSteps() throws {
        var sgd = try StochasticGradientDescent<Float>(parameterCount: 3, momentum: 0.9, nesterov: true)
        let p = run(&sgd, steps: 3)
        expectClose(p[2], [0.60455, -1.7511, -0.2423], tolerance: 1e-6)
    }

    @Test(arguments: [(0.0, false), (0.9, false), (0.9, true)])
    func reachesTheQuadraticsMinimum(momentum: Double, nesterov: Bool) throws {
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 2, momentum: momentum, nesterov: nesterov)
        var x: [Double] = [5, 5]
        for _ in 0..<500 { sgd.update(parameters: &x, gradient: Quadratic.gradient(x), learningRate: 0.1) }
        expectClose(x, Quadratic.minimizer(), tolerance: 1e-9)
    }

    @Test func weightDecayReachesTheRidgeMinimum() throws {
        // minimum of f + 0.5/2 |x|^2 is (A + 0.5 I)^{-1} b
        var sgd = try StochasticGradientDescent<Double>(parameterCount: 2, momentum: 0.5, weightDecay: 0.5)
        var x: [Double] = [-3, 4]
        for _ in 0..<500 { sgd.update(parameters: &x, gradient: Quadratic.gradient(x), learningRate: 0.1) }
        expectClose(x, Quadratic.minimizer(weightDecay: 0.5), tolerance: 1e-9)
    }

    @Test func invalidHyperparametersNameTheField() {
        #expect(hyperparameterError { _ = try StochasticGradientDescent<Float>(parameterCount: 3, momentum: 1) }?
            .description == "momentum must be in [0, 1) (got 1.0)")
        #expect(hyperparameterError { _ = try StochasticGradientDescent<Float>(parameterCount: 3, momentum: -0.1) }?
            .field == "momentum")
        #expect(hyperparameterError { _ = try StochasticGradientDescent<Float>(parameterCount: 3, momentum: .nan) }?
            .field == "momentum")
        #expect(hyperparameterError {
            _ = try StochasticGradientDescent<Float>(parameterCount: 3, momentum: 0.5, dampening: 1.5)
        }?.field == "dampening")
        #expect(hyperparameterError { _ = try StochasticGradientDescent<Float>(parameterCount: 3, weightDecay: -1) }?
            .field == "weightDecay")
        #expect(hyperparameterError {
            _ = try StochasticGradientDescent<Float>(parameterCount: 3, weightDecay: .infinity)
        }?.field == "weightDecay")
        #expect(hyperparameterError { _ = try StochasticGradientDescent<Float>(parameterCount: 3, nesterov: true) }?
            .field == "nesterov")
        #expect(hyperparameterError {
            _ = try StochasticGradientDescent<Float>(parameterCount: 3, momentum: 0.9, dampening: 0.1, nesterov: true)
        }?.field == "nesterov")
    }
}
