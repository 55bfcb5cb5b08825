import Testing
@testable import Analysis

@Suite struct WeightDriftTests {
    /// Shares (0.5, 0.5) -> 0, (0.75, 0.25) -> 0.25, (1, 0) -> 0.5; sums 2, 4, 1.
    @Test func totalVariationFromEqualShares() {
        let drift = WeightDrift(weights: [[1, 1], [3, 1], [1, 0], [0, 0]])
        #expect(abs(drift.mean - 0.25) < 1e-15)
        #expect(abs(drift.final - 0.5) < 1e-15)  // the last tenth: the last counted step
        #expect(abs(drift.scale - 7.0 / 3) < 1e-15)
    }

    @Test func equalWeightsDoNotDrift() {
        let drift = WeightDrift(weights: Array(repeating: [0.25, 0.25, 0.25, 0.25], count: 20))
        #expect(drift.mean == 0 && drift.final == 0 && drift.scale == 1)
    }
}
