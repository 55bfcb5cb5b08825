import Testing
@testable import Analysis

@Suite struct StudentIntervalTests {
    /// Values 1, 2, 3: mean 2, s = 1, half width t(0.975, 2) / sqrt(3) = 4.303 / 1.7321.
    @Test func threeValuesByHand() {
        let interval = studentInterval([1, 2, 3])
        #expect(interval.estimate == 2)
        #expect(abs(interval.upper - (2 + 4.303 / 3.0.squareRoot())) < 1e-12)
        #expect(abs(interval.lower - (2 - 4.303 / 3.0.squareRoot())) < 1e-12)
    }

    @Test func oneValueHasNoIntervalAndNaNIsDropped() {
        let one = studentInterval([5, .nan])
        #expect(one.estimate == 5 && one.lower.isNaN && one.upper.isNaN)
    }

    /// Beyond the table the expansion meets the normal quantile's limit and the table's last entry.
    @Test func largeSamplesApproachTheNormalQuantile() {
        #expect(abs(studentQuantile(degreesOfFreedom: 31, confidence: 0.95) - 2.040) < 2e-3)
        #expect(abs(studentQuantile(degreesOfFreedom: 120, confidence: 0.95) - 1.980) < 1e-3)
        #expect(abs(studentQuantile(degreesOfFreedom: 100_000, confidence: 0.95) - 1.960) < 1e-3)
    }
}
