import Foundation
import Testing
@testable import Analysis

@Suite struct GapCurveTests {
    /// Validation loss that is linear in log train loss, so interpolation in log-loss
    /// reproduces it exactly between any two eval rows.
    static func validation(_ trainLoss: Double) -> Double { 0.2 - 0.3 * log(trainLoss) }

    @Test func aConstantOffsetAtEveryTrainLossIsAConstantGap() throws {
        // ST and MT sample the train loss at different points and different steps; MT's
        // validation loss is ST's plus exactly 0.1 at every train loss.
        let stLoss = [2.3, 1.7, 1.1, 0.8, 0.52, 0.31, 0.2, 0.11]
        let mtLoss = [2.1, 1.9, 1.3, 0.9, 0.6, 0.45, 0.25, 0.15, 0.09]
        let st = EvaluationCurve(steps: stLoss.indices.map { Double($0) * 100 }, trainLoss: stLoss,
                                 values: stLoss.map(Self.validation))
        let mt = EvaluationCurve(steps: mtLoss.indices.map { Double($0) * 70 }, trainLoss: mtLoss,
                                 values: mtLoss.map { Self.validation($0) + 0.1 })
        let gap = try #require(GapCurve(singleTask: st, multiTask: mt, levelCount: 40))
        #expect(gap.levels.count == 40)
        #expect(gap.levels.first == 2.1 && gap.levels.last == 0.11)
        for g in gap.gaps { #expect(abs(g - 0.1) < 1e-12) }
        #expect(abs(gap.meanGap - 0.1) < 1e-12)
        #expect(abs(gap.gapAtLowestLoss - 0.1) < 1e-12)
        // ST reaches its own lowest loss 0.11 at its last row; MT reaches 2.1 at its first.
        #expect(gap.singleTaskSteps.last == 700)
        #expect(gap.multiTaskSteps.first == 0)
        #expect(zip(gap.multiTaskSteps, gap.multiTaskSteps.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func aGapLinearInLogLossHasItsMidpointAsMean() throws {
        // Same train losses, ST validation constant 1, MT = 1 + 0.05 log(1/l): the gap grows
        // from 0 at l = 1 to 0.05 log 100 at l = 0.01, and its log-loss mean is half of that.
        let losses = (0...8).map { pow(10, -Double($0) / 4) }
        let st = EvaluationCurve(steps: losses.indices.map(Double.init), trainLoss: losses,
                                 values: losses.map { _ in 1 })
        let mt = EvaluationCurve(steps: losses.indices.map(Double.init), trainLoss: losses,
                                 values: losses.map { 1 + 0.05 * log(1 / $0) })
        let gap = try #require(GapCurve(RunPair(singleTask: st, multiTask: mt), levelCount: 17))
        #expect(abs(gap.gaps[0]) < 1e-12)
        #expect(abs(gap.gapAtLowestLoss - 0.05 * log(100)) < 1e-12)
        #expect(abs(gap.meanGap - 0.025 * log(100)) < 1e-12)
    }

    @Test func theSameCodeMeasuresAMetricGap() throws {
        // Accuracy: MT is 2 points lower at every train loss -> gap -0.02 (MT worse).
        let losses = [1.0, 0.5, 0.25]
        let st = EvaluationCurve(steps: [0, 1, 2], trainLoss: losses, values: [0.5, 0.7, 0.8])
        let mt = EvaluationCurve(steps: [0, 3, 6], trainLoss: losses, values: [0.48, 0.68, 0.78])
        let gap = try #require(GapCurve(singleTask: st, multiTask: mt, levels: [1, 0.5, 0.25]))
        for g in gap.gaps { #expect(abs(g + 0.02) < 1e-12) }
        #expect(gap.multiTaskSteps == [0, 3, 6] && gap.singleTaskSteps == [0, 1, 2])
    }

    @Test func nilWithoutSharedLossOrOnLevelsOutsideARun() {
        let high = EvaluationCurve(steps: [0, 1], trainLoss: [2, 1], values: [0, 0])
        let low = EvaluationCurve(steps: [0, 1], trainLoss: [0.9, 0.1], values: [0, 0])
        #expect(GapCurve(singleTask: high, multiTask: low) == nil)
        #expect(GapCurve(singleTask: high, multiTask: high, levels: [2, 0.5]) == nil)
        #expect(GapCurve(singleTask: high, multiTask: high, levels: []) == nil)
        #expect(GapCurve(singleTask: high, multiTask: high, levels: [1, 2]) == nil)
    }
}
