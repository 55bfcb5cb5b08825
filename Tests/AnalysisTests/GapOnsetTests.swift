import Testing
@testable import Analysis

@Suite struct GapOnsetTests {
    func interval(_ lower: Double, _ upper: Double) -> ConfidenceInterval {
        ConfidenceInterval(estimate: (lower + upper) / 2, lower: lower, upper: upper, confidence: 0.95)
    }

    @Test func theFirstOfTwoConsecutiveLevelsExcludingZeroOnOneSide() {
        let zero = interval(-0.1, 0.1), above = interval(0.05, 0.2), below = interval(-0.2, -0.05)
        #expect(gapOnsetIndex([zero, above, above, above]) == 1)
        #expect(gapOnsetIndex([zero, below, below]) == 1)
        // A single stray level is skipped; so is a flip from one side to the other.
        #expect(gapOnsetIndex([above, zero, above, below, zero, below, below]) == 5)
        // The last level alone cannot be confirmed.
        #expect(gapOnsetIndex([zero, zero, above]) == nil)
        #expect(gapOnsetIndex([above]) == nil)
        #expect(gapOnsetIndex([]) == nil)
    }

    @Test func intervalsWithoutBoundsNeverQualify() {
        let none = interval(.nan, .nan)
        #expect(gapOnsetIndex([none, none, none]) == nil)
        #expect(!none.excludes(0) && !none.contains(0))
    }
}
