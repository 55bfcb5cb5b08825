import Testing
@testable import Analysis

@Suite struct EarlyStoppingTests {
    /// Row means 1.5, 0.75, 1.0 (NaN row skipped): row 1.
    @Test func picksTheLowestMeanValidationLoss() {
        #expect(earlyStoppingRow(validationLoss: [[1, 2], [1, 0.5], [.nan, 0], [0.5, 1.5]]) == 1)
        #expect(earlyStoppingRow(validationLoss: [[2], [1], [1]]) == 1)  // the first on ties
        #expect(earlyStoppingRow(validationLoss: [[.nan]]) == nil)
    }
}
