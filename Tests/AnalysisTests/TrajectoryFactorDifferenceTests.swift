import Foundation
import Testing
@testable import Analysis

@Suite struct TrajectoryFactorDifferenceTests {
    @Test func differenceAtMatchedTrainLossOnAHandMadeCase() throws {
        // ST: eval losses 1, 0.5, 0.25 at steps 0, 100, 200; probes every 50 steps map to
        // losses 1, 0.75, 0.5, 0.375, 0.25 with factor 10, 20, 30, 40, 50.
        let stEval = EvaluationCurve(steps: [0, 100, 200], trainLoss: [1.0, 0.5, 0.25], values: [0, 0, 0])
        let stFactor = FactorSeries(steps: [0, 50, 100, 150, 200], values: [10, 20, 30, 40, 50])
        // MT: eval losses 1, 1.2, 0.25 (envelope 1, 1, 0.25); probes at 0, 100, 150, 200 map
        // to 1, 1, 0.625, 0.25 with factor 10, 99, 30, 60.
        let mtEval = EvaluationCurve(steps: [0, 100, 200], trainLoss: [1.0, 1.2, 0.25], values: [0, 0, 0])
        let mtFactor = FactorSeries(steps: [0, 100, 150, 200], values: [10, 99, 30, 60])
        let result = try #require(TrajectoryFactorDifference(
            singleTaskFactor: stFactor, singleTaskEvaluation: stEval,
            multiTaskFactor: mtFactor, multiTaskEvaluation: mtEval, levelCount: 3))
        #expect(result.levels == [1, 0.5, 0.25])
        // At l = 1 both runs start (first rows: 10 - 10); at l = 0.5 ST is 30 and MT lies
        // between 0.625 (30) and 0.25 (60): t = log(1.25) / log(2.5); at l = 0.25, 60 - 50.
        let t = log(1.25) / log(2.5)
        #expect(result.differences[0] == 0)
        #expect(abs(result.differences[1] - 30 * t) < 1e-12)
        #expect(abs(result.differences[2] - 10) < 1e-12)
        // Equal log-spacing: the trapezoid mean is (0 + 2 * 30 t + 10) / 4.
        #expect(abs(result.meanDifference - (60 * t + 10) / 4) < 1e-12)
        #expect(result.difference.multiTaskSteps[1] > 150 && result.difference.multiTaskSteps[1] < 200)
    }

    @Test func nilWhenTheFactorsShareNoTrainLoss() {
        let stEval = EvaluationCurve(steps: [0, 100], trainLoss: [1.0, 0.5], values: [0, 0])
        let mtEval = EvaluationCurve(steps: [0, 100], trainLoss: [0.4, 0.2], values: [0, 0])
        let factor = FactorSeries(steps: [0, 100], values: [1, 2])
        #expect(TrajectoryFactorDifference(singleTaskFactor: factor, singleTaskEvaluation: stEval,
                                           multiTaskFactor: factor, multiTaskEvaluation: mtEval) == nil)
        // Probes all after the eval rows: nothing can be placed.
        #expect(TrajectoryFactorDifference(singleTaskFactor: FactorSeries(steps: [500], values: [1]),
                                           singleTaskEvaluation: stEval,
                                           multiTaskFactor: factor, multiTaskEvaluation: stEval) == nil)
    }
}
