import Testing
@testable import Analysis

@Suite struct StepInterpolationTests {
    @Test func linearBetweenRowsExactOnRows() {
        let steps: [Double] = [0, 100, 300], values: [Double] = [2, 1, 0]
        #expect(interpolatedInStep(steps, values, at: 0) == 2)
        #expect(interpolatedInStep(steps, values, at: 50) == 1.5)
        #expect(interpolatedInStep(steps, values, at: 100) == 1)
        #expect(interpolatedInStep(steps, values, at: 250) == 0.25)
        #expect(interpolatedInStep(steps, values, at: 300) == 0)
    }

    @Test func outsideTheRangeOrEmptyIsNil() {
        #expect(interpolatedInStep([0, 10], [1, 2], at: -1) == nil)
        #expect(interpolatedInStep([0, 10], [1, 2], at: 10.5) == nil)
        #expect(interpolatedInStep([0, 10], [1, 2], at: .nan) == nil)
        #expect(interpolatedInStep([], [], at: 0) == nil)
    }

    @Test func theLastRowAtARepeatedStepCounts() {
        let steps: [Double] = [0, 10, 10, 20], values: [Double] = [0, 5, 7, 9]
        #expect(interpolatedInStep(steps, values, at: 10) == 7)
        #expect(interpolatedInStep(steps, values, at: 15) == 8)
        #expect(interpolatedInStep(steps, values, at: 5) == 2.5)
        #expect(interpolatedInStep([4], [3], at: 4) == 3)
    }
}
