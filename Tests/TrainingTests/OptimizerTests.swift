import Testing
import Training

/// Behaviour every `Optimizer` shares, exercised through `any Optimizer<Scalar>` as the trainer uses it.
@Suite struct OptimizerTests {
    @Test(arguments: [
        OptimizerConfiguration.sgd(learningRate: 0.1),
        .sgd(learningRate: 0.1, momentum: 0.9, nesterov: true),
        .adam(learningRate: 0.05),
        .adamw(learningRate: 0.05, weightDecay: 0),
    ])
    func everyKindMinimisesTheQuadratic(configuration: OptimizerConfiguration) throws {
        var optimizer = try configuration.makeOptimizer(parameterCount: 2, scalar: Double.self)
        #expect(optimizer.name == configuration.kind.rawValue)
        #expect(optimizer.parameterCount == 2)
        let schedule = LearningRateSchedule.cosine(totalSteps: 1500)
        var x: [Double] = [5, -5]
        for step in 0...1500 {
            optimizer.update(parameters: &x, gradient: Quadratic.gradient(x),
                             learningRate: schedule.learningRate(atStep: step, base: configuration.learningRate))
        }
        #expect(optimizer.stepCount == 1501)
        expectClose(x, Quadratic.minimizer(), tolerance: 1e-5)
    }

    @Test func floatOptimizersReachTheMinimumToFloatPrecision() throws {
        for configuration in [OptimizerConfiguration.sgd(learningRate: 0.1, momentum: 0.9), .adam(learningRate: 0.05)] {
            var optimizer = try configuration.makeOptimizer(parameterCount: 2, scalar: Float.self)
            let schedule = LearningRateSchedule.cosine(totalSteps: 1500)
            var x: [Float] = [5, -5]
            for step in 0...1500 {
                optimizer.update(parameters: &x, gradient: Quadratic.gradient(x),
                                 learningRate: schedule.learningRate(atStep: step, base: configuration.learningRate))
            }
            expectClose(x, Quadratic.minimizer(), tolerance: 1e-4)
        }
    }

    @Test func emptyParameterVectorsOnlyCountSteps() throws {
        var optimizer = try OptimizerConfiguration.adam(learningRate: 0.1).makeOptimizer(parameterCount: 0, scalar: Float.self)
        var p: [Float] = []
        optimizer.update(parameters: &p, gradient: [], learningRate: 0.1)
        #expect(optimizer.stepCount == 1)
        #expect(p.isEmpty)
    }
}
