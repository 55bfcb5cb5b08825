import Testing
@testable import Analysis

@Suite struct ParetoFrontTests {
    @Test func dominanceNeedsOneStrictImprovement() {
        #expect(dominates([2, 2], [1, 2]))
        #expect(!dominates([2, 2], [2, 2]))
        #expect(!dominates([3, 1], [1, 3]))
        #expect(!dominates([3, .nan], [1, 1]))
    }

    /// (0.8, 0.2), (0.5, 0.5), (0.2, 0.8) trade off; (0.4, 0.4) is beaten by (0.5, 0.5);
    /// a duplicate of a front point stays on the front; a NaN point never is.
    @Test func frontOfATradeOff() {
        let points: [[Double]] = [[0.8, 0.2], [0.4, 0.4], [0.5, 0.5], [0.2, 0.8], [0.5, 0.5], [.nan, 1]]
        #expect(paretoFront(points) == [0, 2, 3, 4])
    }
}
