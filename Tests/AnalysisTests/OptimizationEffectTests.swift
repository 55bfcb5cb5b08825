import Testing
@testable import Analysis

@Suite struct OptimizationEffectTests {
    @Test func differencesAtMatchedStepsWithInterpolation() throws {
        // ST evaluates at 0, 100, 200, 300; MT at 0, 150, 300, 400. Matched steps: the union
        // inside 0...300. ST at 150 = 1.25; MT at 100 = 2 - 0.4 * 2/3 = 26/15, at 200 = 43/30.
        let st = EvaluationCurve(steps: [0, 100, 200, 300], trainLoss: [2.0, 1.5, 1.0, 0.8], values: [0, 0, 0, 0])
        let mt = EvaluationCurve(steps: [0, 150, 300, 400], trainLoss: [2.0, 1.6, 1.1, 0.9], values: [0, 0, 0, 0])
        let effect = try #require(OptimizationEffect(singleTask: st, multiTask: mt))
        #expect(effect.steps == [0, 100, 150, 200, 300])
        let expected = [0, 26.0 / 15 - 1.5, 1.6 - 1.25, 43.0 / 30 - 1, 1.1 - 0.8]
        for (d, want) in zip(effect.differences, expected) { #expect(abs(d - want) < 1e-12) }
        #expect(abs(effect.mean.whole - expected.reduce(0, +) / 5) < 1e-12)
        // Thirds of 0...300: early {0}, middle {100, 150}, late {200, 300}.
        #expect(effect.mean.early == 0)
        #expect(abs(effect.mean.middle - (expected[1] + expected[2]) / 2) < 1e-12)
        #expect(abs(effect.mean.late - (expected[3] + expected[4]) / 2) < 1e-12)
    }

    @Test func sameStepsNeedNoInterpolation() throws {
        let st = EvaluationCurve(steps: [0, 10, 20], trainLoss: [1.0, 0.8, 0.5], values: [0, 0, 0])
        let mt = EvaluationCurve(steps: [0, 10, 20], trainLoss: [1.0, 0.9, 0.7], values: [0, 0, 0])
        let effect = try #require(OptimizationEffect(RunPair(singleTask: st, multiTask: mt)))
        #expect(effect.steps == [0, 10, 20])
        #expect(abs(effect.differences[1] - 0.1) < 1e-12 && abs(effect.differences[2] - 0.2) < 1e-12)
    }

    @Test func nilWithoutOverlappingSteps() {
        let st = EvaluationCurve(steps: [0, 10], trainLoss: [1, 0.5], values: [0, 0])
        let mt = EvaluationCurve(steps: [20, 30], trainLoss: [1, 0.5], values: [0, 0])
        #expect(OptimizationEffect(singleTask: st, multiTask: mt) == nil)
        #expect(OptimizationEffect(singleTask: st, multiTask: EvaluationCurve(steps: [], trainLoss: [], values: [])) == nil)
    }
}
