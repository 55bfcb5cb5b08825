import Foundation
import Testing
@testable import Analysis

@Suite struct LossGridTests {
    func curve(_ losses: [Double]) -> EvaluationCurve {
        EvaluationCurve(steps: losses.indices.map(Double.init), trainLoss: losses,
                        values: [Double](repeating: 0, count: losses.count))
    }

    @Test func commonRangeIsTheHighestLowestLossToTheLowestInitialLoss() {
        let a = curve([2.0, 0.9, 0.3])
        let b = curve([1.5, 0.7, 0.5, 0.6])
        // The initial loss is the first row's, even when a later row is higher.
        let c = curve([1.2, 3.0, 0.1])
        #expect(LossGrid.commonRange([a, b]) == 0.5...1.5)
        #expect(LossGrid.commonRange([a, b, c]) == 0.5...1.2)
        #expect(LossGrid.commonRange([a]) == 0.3...2.0)
    }

    @Test func noCommonRangeWithoutCurvesOverlapOrUsableRows() {
        #expect(LossGrid.commonRange([]) == nil)
        #expect(LossGrid.commonRange([curve([2, 1]), curve([0.5, 0.1])]) == nil)
        #expect(LossGrid.commonRange([curve([2, 1]), curve([.nan, 0])]) == nil)
        // Touching ranges share one loss.
        #expect(LossGrid.commonRange([curve([2, 1]), curve([1, 0.1])]) == 1...1)
    }

    @Test func levelsAreLogSpacedFromHighToLowWithExactEnds() throws {
        let grid = try #require(LossGrid(range: 0.01...1, count: 5))
        let expected = [1, pow(10, -0.5), 0.1, pow(10, -1.5), 0.01]
        #expect(grid.levels.count == 5)
        #expect(grid.levels.first == 1 && grid.levels.last == 0.01)
        for (level, want) in zip(grid.levels, expected) { #expect(abs(level / want - 1) < 1e-12) }
        #expect(zip(grid.levels, grid.levels.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func degenerateGridsAndInvalidRanges() {
        #expect(LossGrid.levels(count: 1, over: 0.1...1) == [1])
        #expect(LossGrid.levels(count: 7, over: 0.5...0.5) == [0.5])
        #expect(LossGrid.levels(count: 0, over: 0.1...1) == nil)
        #expect(LossGrid.levels(count: 3, over: 0...1) == nil)
        #expect(LossGrid.levels(count: 3, over: 1...Double.infinity) == nil)
        #expect(LossGrid(range: 0.1...1, count: 0) == nil)
    }

    @Test func everyCurveHasAMatchedValueAtEveryLevelOfTheCommonGrid() throws {
        let curves = [curve([2.0, 0.9, 0.3]), curve([1.5, 0.7, 0.5, 0.6]), curve([1.7, 0.45])]
        let range = try #require(LossGrid.commonRange(curves))
        let grid = try #require(LossGrid(range: range, count: 50))
        for c in curves { for level in grid.levels { #expect(c.matchedValue(atTrainLoss: level) != nil) } }
    }
}
