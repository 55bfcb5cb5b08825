import Testing
@testable import Analysis

@Suite struct FactorSeriesTests {
    @Test func probeRowsGetTheRunningMinimumTrainLossInterpolatedInStep() {
        // Eval: train loss 1, 1.2 (a bump, envelope stays 1), 0.25 at steps 0, 100, 200.
        let evaluation = EvaluationCurve(steps: [0, 100, 200], trainLoss: [1.0, 1.2, 0.25], values: [0, 0, 0])
        let factor = FactorSeries(steps: [0, 50, 100, 150, 200, 250], values: [10, 15, 99, 30, 60, 70])
        let curve = factor.overTrainLoss(of: evaluation)
        // Step 250 lies after the last eval row and is dropped.
        #expect(curve.steps == [0, 50, 100, 150, 200])
        #expect(curve.trainLoss == [1, 1, 1, 0.625, 0.25])
        #expect(curve.values == [10, 15, 99, 30, 60])
    }
}
