import Foundation
import Testing
@testable import Analysis

@Suite struct MatchedLossTests {
    let curve = EvaluationCurve(steps: [0, 100, 200], trainLoss: [2.0, 1.0, 0.25], values: [2.1, 1.5, 1.2])

    @Test func interpolatesInLogLossAtHandComputedPoints() throws {
        // l = 0.5 lies between m_1 = 1 and m_2 = 0.25: t = log(1/0.5) / log(1/0.25) = 1/2.
        let half = try #require(curve.matchedValue(atTrainLoss: 0.5))
        #expect(abs(half.value - 1.35) < 1e-12)
        #expect(abs(half.step - 150) < 1e-9)
        #expect(half.trainLoss == 0.5)
        // l = sqrt(2) lies halfway between 2 and 1 in log-loss.
        let early = try #require(curve.matchedValue(atTrainLoss: 2.0.squareRoot()))
        #expect(abs(early.value - 1.8) < 1e-12)
        #expect(abs(early.step - 50) < 1e-9)
        // l = 2^(3/4): a quarter of the way from 2 to 1 in log-loss, t = 1/4.
        let quarter = try #require(curve.matchedValue(atTrainLoss: pow(2, 0.75)))
        #expect(abs(quarter.value - (2.1 + 0.25 * (1.5 - 2.1))) < 1e-12)
        #expect(abs(quarter.step - 25) < 1e-9)
    }

    @Test func levelsOnEvalRowsGiveThoseRowsExactly() throws {
        let first = try #require(curve.matchedValue(atTrainLoss: 2.0))
        #expect(first == MatchedPoint(trainLoss: 2.0, value: 2.1, step: 0))
        let middle = try #require(curve.matchedValue(atTrainLoss: 1.0))
        #expect(middle.value == 1.5 && middle.step == 100)
        let last = try #require(curve.matchedValue(atTrainLoss: 0.25))
        #expect(last.value == 1.2 && last.step == 200)
    }

    @Test func outOfRangeOrUnusableLevelsGiveNil() {
        #expect(curve.matchedValue(atTrainLoss: 2.0000001) == nil)
        #expect(curve.matchedValue(atTrainLoss: 0.2499999) == nil)
        #expect(curve.matchedValue(atTrainLoss: 0) == nil)
        #expect(curve.matchedValue(atTrainLoss: -1) == nil)
        #expect(curve.matchedValue(atTrainLoss: .nan) == nil)
        #expect(curve.matchedValue(atTrainLoss: .infinity) == nil)
    }

    @Test func theFirstArrivalCountsNotALaterRevisit() throws {
        // Train loss 1.0, 0.5, 0.8, 0.6, 0.25: the envelope is 1, .5, .5, .5, .25.
        let bumpy = EvaluationCurve(steps: [0, 10, 20, 30, 40], trainLoss: [1.0, 0.5, 0.8, 0.6, 0.25],
                                    values: [10, 20, 30, 40, 50])
        // 0.6 is first reached between rows 0 and 1 (not at row 3, which revisits 0.6 later).
        let revisited = try #require(bumpy.matchedValue(atTrainLoss: 0.6))
        let t = log(1.0 / 0.6) / log(1.0 / 0.5)
        #expect(abs(revisited.value - (10 + 10 * t)) < 1e-12)
        #expect(abs(revisited.step - 10 * t) < 1e-9)
        // 0.5 is reached exactly at row 1.
        #expect(bumpy.matchedValue(atTrainLoss: 0.5)?.value == 20)
        // Below 0.5 the moment lies between row 3 (envelope 0.5) and row 4 (0.25): halfway in
        // log-loss at l = 0.5 / sqrt(2).
        let late = try #require(bumpy.matchedValue(atTrainLoss: 0.5 / 2.0.squareRoot()))
        #expect(abs(late.value - 45) < 1e-12)
        #expect(abs(late.step - 35) < 1e-9)
    }

    @Test func aNonFiniteValuePropagatesIntoTheMatchedValue() throws {
        let holed = EvaluationCurve(steps: [0, 1, 2], trainLoss: [1, 0.5, 0.25], values: [1, .nan, 3])
        #expect(try #require(holed.matchedValue(atTrainLoss: 0.7)).value.isNaN)
        #expect(holed.matchedValue(atTrainLoss: 1)?.value == 1)
    }
}
