import Testing
@testable import Analysis

@Suite struct EvaluationCurveTests {
    @Test func envelopeIgnoresALaterHigherLossUntilTheMinimumIsBeaten() {
        let curve = EvaluationCurve(steps: [0, 1, 2, 3, 4, 5],
                                    trainLoss: [1.0, 0.5, 0.8, 0.6, 0.4, 0.45],
                                    values: [0, 0, 0, 0, 0, 0])
        #expect(curve.runningMinimumEnvelope == [1.0, 0.5, 0.5, 0.5, 0.4, 0.4])
        #expect(curve.lossRange == 0.4...1.0)
    }

    @Test func rowsThatCannotBePlacedOnALogLossAxisAreDroppedAndRowsSortedByStep() {
        let curve = EvaluationCurve(steps: [30, 0, 10, 20, .nan, 40, 50],
                                    trainLoss: [0.5, 2.0, .nan, 1.0, 0.9, 0, -1],
                                    values: [3, 0, 1, 2, 9, 9, .nan])
        #expect(curve.steps == [0, 20, 30])
        #expect(curve.trainLoss == [2.0, 1.0, 0.5])
        #expect(curve.values == [0, 2, 3])
        #expect(curve.droppedRowCount == 4)
        #expect(curve.count == 3)
    }

    @Test func rowsRecordedTwiceAtOneStepKeepTheirOrder() {
        let curve = EvaluationCurve(steps: [0, 10, 10], trainLoss: [2, 1.5, 1.4], values: [0, 1, 2])
        #expect(curve.trainLoss == [2, 1.5, 1.4])
        #expect(curve.values == [0, 1, 2])
    }

    @Test func aCurveWithoutUsableRowsHasNoRange() {
        let curve = EvaluationCurve(steps: [0, 1], trainLoss: [.infinity, 0], values: [1, 2])
        #expect(curve.count == 0 && curve.droppedRowCount == 2)
        #expect(curve.lossRange == nil)
        #expect(curve.runningMinimumEnvelope.isEmpty)
        #expect(curve.matchedValue(atTrainLoss: 1) == nil)
    }
}
