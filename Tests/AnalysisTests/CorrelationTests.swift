import Testing
@testable import Analysis

@Suite struct CorrelationTests {
    // Hand table: x = 1...5, y = 2, 4, 5, 4, 5 (two pairs of ties in y).
    let x: [Double] = [1, 2, 3, 4, 5]
    let y: [Double] = [2, 4, 5, 4, 5]

    @Test func pearsonByHand() {
        // Centered x = -2, -1, 0, 1, 2; centered y = -2, 0, 1, 0, 1: sxy = 6, sxx = 10, syy = 6.
        #expect(abs(pearsonCorrelation(x, y) - 6 / 60.0.squareRoot()) < 1e-12)
        #expect(abs(pearsonCorrelation(x, x.map { 3 - 2 * $0 }) + 1) < 1e-12)
    }

    @Test func spearmanByHandWithTies() {
        // Ranks of y: 1, 2.5, 4.5, 2.5, 4.5; centered -2, -0.5, 1.5, -0.5, 1.5: sxy = 7, syy = 9.
        #expect(averageRanks(y) == [1, 2.5, 4.5, 2.5, 4.5])
        #expect(abs(spearmanCorrelation(x, y) - 7 / 90.0.squareRoot()) < 1e-12)
        // Ties in both variables (scipy.stats.spearmanr gives 0.19885368120992467).
        let u: [Double] = [3, 1, 4, 1, 5, 9, 2, 6], v: [Double] = [2, 7, 1, 8, 2, 8, 1, 8]
        #expect(averageRanks(u) == [4, 1.5, 5, 1.5, 6, 8, 3, 7])
        #expect(averageRanks(v) == [3.5, 5, 1.5, 7, 3.5, 7, 1.5, 7])
        #expect(abs(spearmanCorrelation(u, v) - 0.19885368120992467) < 1e-12)
        // Monotone but not linear: rho = 1, r < 1.
        let cubes = x.map { $0 * $0 * $0 }
        #expect(spearmanCorrelation(x, cubes) == 1)
        #expect(pearsonCorrelation(x, cubes) < 1)
    }

    @Test func undefinedCasesAreNaN() {
        #expect(pearsonCorrelation([1, 2], [3, 5]).isNaN)
        #expect(spearmanCorrelation([1, 2], [3, 5]).isNaN)
        #expect(pearsonCorrelation([1, 2, 3], [4, 4, 4]).isNaN)
        #expect(pearsonCorrelation([0.1, 0.1, 0.1], [1, 2, 3]).isNaN)
        #expect(spearmanCorrelation([1, 2, 3], [7, 7, 7]).isNaN)
        #expect(pearsonCorrelation([1, 2, .nan], [1, 2, 3]).isNaN)
        #expect(pearsonCorrelation([], []).isNaN)
        #expect(averageRanks([]).isEmpty)
    }
}
