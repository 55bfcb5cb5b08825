import Testing
@testable import Analysis

@Suite struct ConfidenceIntervalTests {
    @Test func containsAndExcludes() {
        let interval = ConfidenceInterval(estimate: 0.3, lower: 0.1, upper: 0.5, confidence: 0.95)
        #expect(interval.contains(0.1) && interval.contains(0.5) && !interval.contains(0))
        #expect(interval.excludes(0) && interval.excludes(0.6) && !interval.excludes(0.2))
        let straddling = ConfidenceInterval(estimate: 0, lower: -0.1, upper: 0.1, confidence: 0.95)
        #expect(!straddling.excludes(0))
    }
}
