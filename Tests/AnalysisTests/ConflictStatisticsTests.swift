import Testing
@testable import Analysis

@Suite struct ConflictStatisticsTests {
    // Steps 0...8: early = 0, 1, 2; middle = 3, 4, 5; late = 6, 7, 8.
    let series = ConflictSeries(
        steps: [0, 1, 2, 3, 4, 5, 6, 7, 8],
        cosines: [0.4, -0.2, 0.1, -0.3, -0.1, 0.1, 0.2, 0.3, .nan],
        gramianII: [1, 4, 1, 1, 9, 1, 4, 1, 0],
        gramianJJ: [1, 1, 4, 4, 1, 1, 1, 16, 0],
        directionalConflict: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    // Row similarities: 1, .8, .8, .8, .6, 1, .8, 8/17, undefined (both norms zero).
    let similarity: [Double] = [1, 0.8, 0.8, 0.8, 0.6, 1, 0.8, 8.0 / 17]

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    @Test func wholeSeries() throws {
        let whole = try #require(ConflictStatistics(series)).summary.whole
        #expect(whole.rowCount == 9)
        // Eight finite cosines summing to 0.5, three of them negative.
        #expect(close(whole.meanCosine, 0.5 / 8))
        #expect(whole.conflictFraction == 3.0 / 8)
        #expect(close(whole.meanMagnitudeSimilarity, similarity.reduce(0, +) / 8))
        #expect(close(whole.meanDirectionalConflict, 0.5))
    }

    @Test func windowsAreThirdsOfTheStepRange() throws {
        let summary = try #require(ConflictStatistics(series)).summary
        #expect(summary.early.rowCount == 3 && summary.middle.rowCount == 3 && summary.late.rowCount == 3)
        #expect(close(summary.early.meanCosine, 0.1) && summary.early.conflictFraction == 1.0 / 3)
        #expect(close(summary.middle.meanCosine, -0.1) && summary.middle.conflictFraction == 2.0 / 3)
        #expect(close(summary.late.meanCosine, 0.25) && summary.late.conflictFraction == 0)
        #expect(close(summary.early.meanMagnitudeSimilarity, 2.6 / 3))
        #expect(close(summary.middle.meanMagnitudeSimilarity, 0.8))
        #expect(close(summary.late.meanMagnitudeSimilarity, (0.8 + 8.0 / 17) / 2))
        #expect(close(summary.early.meanDirectionalConflict, 0.2))
        #expect(close(summary.middle.meanDirectionalConflict, 0.5))
        #expect(close(summary[.late].meanDirectionalConflict, 0.8))
    }

    @Test func windowsFollowStepValuesNotRowCounts() throws {
        // Range 0...150: early is steps < 50, middle < 100, late the rest; nothing is middle.
        let uneven = ConflictSeries(steps: [0, 10, 20, 30, 100, 150], cosines: [-1, -1, 1, 1, -0.5, 0.5])
        let summary = try #require(ConflictStatistics(uneven)).summary
        #expect(summary.early.rowCount == 4 && summary.early.conflictFraction == 0.5)
        #expect(summary.middle.rowCount == 0)
        #expect(summary.middle.meanCosine.isNaN && summary.middle.conflictFraction.isNaN)
        #expect(summary.late.rowCount == 2 && summary.late.meanCosine == 0)
        // Inputs not given are NaN.
        #expect(summary.whole.meanMagnitudeSimilarity.isNaN && summary.whole.meanDirectionalConflict.isNaN)
    }

    @Test func rowsWithoutAFiniteStepAreLeftOut() throws {
        let holed = ConflictSeries(steps: [0, .nan, 3], cosines: [0.5, -0.9, -0.1])
        let statistics = try #require(ConflictStatistics(holed))
        #expect(statistics.summary.whole.rowCount == 2)
        #expect(statistics.summary.whole.conflictFraction == 0.5)
        #expect(ConflictStatistics(ConflictSeries(steps: [], cosines: [])) == nil)
    }
}
