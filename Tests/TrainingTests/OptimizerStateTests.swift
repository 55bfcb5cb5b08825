import Foundation
import Testing
import Training

/// Checkpointing: saving an optimizer's state mid-run and continuing from it in a fresh
/// optimizer must give the same bits as never stopping.
@Suite struct OptimizerStateTests {
    static let configurations: [OptimizerConfiguration] = [
        .sgd(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
        .sgd(learningRate: 0.05, momentum: 0.8, dampening: 0.3),
        .sgd(learningRate: 0.05),
        .adam(learningRate: 0.01, weightDecay: 1e-3),
        .adamw(learningRate: 0.01, weightDecay: 0.05),
    ]

    /// A deterministic gradient that depends on the parameters and the step (a quadratic's
    /// gradient plus a step-dependent perturbation), so buffers and parameters interact.
    static func gradient(_ p: [Float], step: Int) -> [Float] {
        p.indices.map { i in Float(i % 5 + 1) * 0.3 * p[i] + Float(sin(Double(3 * step + i))) }
    }

    static func initialParameters(_ n: Int) -> [Float] {
        (0..<n).map { Float(cos(Double($0))) }
    }

    static func learningRate(_ step: Int) -> Double {
        LearningRateSchedule.cosine(totalSteps: 8, minimum: 0.001, warmupSteps: 2).learningRate(atStep: step, base: 0.05)
    }

    @Test(arguments: configurations)
    func resumingFromSavedStateIsBitIdentical(configuration: OptimizerConfiguration) throws {
        let n = 37, total = 12, stop = 5
        // Uninterrupted run.
        var straight = try configuration.makeOptimizer(parameterCount: n, scalar: Float.self)
        var p = Self.initialParameters(n)
        for step in 0..<total {
            straight.update(parameters: &p, gradient: Self.gradient(p, step: step), learningRate: Self.learningRate(step))
        }

        // Interrupted run: stop after `stop` steps, checkpoint through JSON, resume in a new optimizer.
        var first = try configuration.makeOptimizer(parameterCount: n, scalar: Float.self)
        var q = Self.initialParameters(n)
        for step in 0..<stop {
            first.update(parameters: &q, gradient: Self.gradient(q, step: step), learningRate: Self.learningRate(step))
        }
        let saved = first.state
        #expect(saved.step == stop)
        let data = try JSONEncoder().encode(saved)
        let loaded = try JSONDecoder().decode(OptimizerState.self, from: data)
        #expect(loaded == saved)

        var resumed = try configuration.makeOptimizer(parameterCount: n, scalar: Float.self)
        try resumed.restore(loaded)
        #expect(resumed.stepCount == stop)
        for step in stop..<total {
            resumed.update(parameters: &q, gradient: Self.gradient(q, step: step), learningRate: Self.learningRate(step))
        }
        #expect(q.map(\.bitPattern) == p.map(\.bitPattern))
        #expect(resumed.state == straight.state)
    }

    @Test func stateNamesBuffersLikePyTorch() throws {
        let sgd = try StochasticGradientDescent<Float>(parameterCount: 4, momentum: 0.9)
        #expect(sgd.state.buffers.keys.sorted() == ["momentum_buffer"])
        #expect(sgd.state.scalarType == "float32")
        #expect(sgd.state.parameterCount == 4)
        let adam = try Adam<Double>(parameterCount: 4)
        #expect(adam.state.buffers.keys.sorted() == ["exp_avg", "exp_avg_sq"])
        #expect(adam.state.scalarType == "float64")
        #expect(adam.state.optimizer == "adam")
        #expect(adam.state.step == 0)
    }

    @Test func mismatchedStatesAreRejectedAndLeaveTheOptimizerUnchanged() throws {
        var adam = try Adam<Float>(parameterCount: 3)
        var p: [Float] = [1, 2, 3]
        adam.update(parameters: &p, gradient: [0.1, -0.2, 0.3], learningRate: 0.01)
        let before = adam.state

        let sgdState = try StochasticGradientDescent<Float>(parameterCount: 3, momentum: 0.9).state
        #expect(throws: OptimizerStateError.optimizerMismatch(expected: "adam", found: "sgd")) {
            try adam.restore(sgdState)
        }
        let adamwState = try Adam<Float>(parameterCount: 3, decoupledWeightDecay: true).state
        #expect(throws: OptimizerStateError.optimizerMismatch(expected: "adam", found: "adamw")) {
            try adam.restore(adamwState)
        }
        #expect(throws: OptimizerStateError.scalarTypeMismatch(expected: "float32", found: "float64")) {
            try adam.restore(try Adam<Double>(parameterCount: 3).state)
        }
        #expect(throws: OptimizerStateError.parameterCountMismatch(expected: 3, found: 4)) {
            try adam.restore(try Adam<Float>(parameterCount: 4).state)
        }
        var missing = before
        missing.buffers["exp_avg_sq"] = nil
        #expect(throws: OptimizerStateError.missingBuffer("exp_avg_sq")) { try adam.restore(missing) }
        var extra = before
        extra.buffers["momentum_buffer"] = [0, 0, 0]
        #expect(throws: OptimizerStateError.unexpectedBuffer("momentum_buffer")) { try adam.restore(extra) }
        var short = before
        short.buffers["exp_avg"] = [0, 0]
        #expect(throws: OptimizerStateError.bufferLengthMismatch(name: "exp_avg", expected: 3, found: 2)) {
            try adam.restore(short)
        }
        var negative = before
        negative.step = -1
        #expect(throws: OptimizerStateError.invalidStep(-1)) { try adam.restore(negative) }

        #expect(adam.state == before)
    }

    @Test func momentumFreeSGDRejectsAMomentumBuffer() throws {
        var plain = try StochasticGradientDescent<Float>(parameterCount: 2)
        let withMomentum = try StochasticGradientDescent<Float>(parameterCount: 2, momentum: 0.5).state
        #expect(throws: OptimizerStateError.unexpectedBuffer("momentum_buffer")) { try plain.restore(withMomentum) }
        var heavy = try StochasticGradientDescent<Float>(parameterCount: 2, momentum: 0.5)
        #expect(throws: OptimizerStateError.missingBuffer("momentum_buffer")) { try heavy.restore(plain.state) }
    }

    @Test func errorsDescribeThemselves() {
        #expect(OptimizerStateError.missingBuffer("exp_avg").description == "optimizer state lacks the buffer exp_avg")
        #expect(OptimizerStateError.optimizerMismatch(expected: "adam", found: "sgd").description
            == "optimizer state is for sgd, not adam")
    }
}
