import Linalg
import Testing
@testable import Analysis

@Suite struct CorrelationInferenceTests {
    @Test func aStrongCorrelationHasTheSmallestPossiblePValue() {
        var generator = RandomGenerator(seed: 11)
        let x = (0..<20).map { _ in generator.normal() }
        let y = x.map { 2 * $0 + 0.1 * generator.normal() }
        let analysis = CorrelationAnalysis()
        for estimate in [analysis.pearson(x, y), analysis.spearman(x, y)] {
            #expect(estimate.count == 20)
            #expect(estimate.coefficient > 0.95)
            #expect(estimate.pValue == 1.0 / 5001)
            #expect(estimate.interval.estimate == estimate.coefficient)
            #expect(estimate.interval.lower > 0.8 && estimate.interval.upper <= 1)
        }
    }

    @Test func independentDataHaveALargePValue() {
        var generator = RandomGenerator(seed: 12)
        let x = (0..<30).map { _ in generator.normal() }
        let y = (0..<30).map { _ in generator.normal() }
        let analysis = CorrelationAnalysis(permutations: 2000)
        let pearson = analysis.pearson(x, y), spearman = analysis.spearman(x, y)
        #expect(pearson.pValue > 0.2, "p = \(pearson.pValue), r = \(pearson.coefficient)")
        #expect(spearman.pValue > 0.2, "p = \(spearman.pValue), rho = \(spearman.coefficient)")
        #expect(pearson.interval.contains(0) && spearman.interval.contains(0))
        // Uncorrelated by construction: r = 0 exactly, every permutation is at least as strong.
        let zero = analysis.pearson([1, 2, 3, 4, 5, 6, 7, 8], [1, -1, -1, 1, 1, -1, -1, 1])
        #expect(abs(zero.coefficient) < 1e-12)
        #expect(zero.pValue == 1)
    }

    @Test func thePermutationPValueMatchesItsDefinitionOnASmallTable() {
        // n = 4: all 24 orderings of y are equally likely; with many permutations the p-value
        // approaches the exact share of orderings with |r| >= |r_obs| (r_obs = 1: 2 of 24).
        let p = CorrelationAnalysis(permutations: 20000).pearson([1, 2, 3, 4], [1, 2, 3, 4]).pValue
        #expect(abs(p - 2.0 / 24) < 0.01, "p = \(p)")
    }

    @Test func nonFinitePairsAreLeftOutAndUndefinedCasesAreNaN() {
        let analysis = CorrelationAnalysis(resamples: 100, permutations: 100)
        let kept = analysis.pearson([1, 2, .nan, 3, 4, 5], [2, 4, 1, 5, .infinity, 4])
        #expect(kept.count == 4)
        #expect(abs(kept.coefficient - pearsonCorrelation([1, 2, 3, 5], [2, 4, 5, 4])) < 1e-15)
        let tooFew = analysis.spearman([1, 2], [2, 1])
        #expect(tooFew.count == 2 && tooFew.coefficient.isNaN && tooFew.pValue.isNaN && tooFew.interval.lower.isNaN)
        let constant = analysis.pearson([1, 2, 3, 4], [0, 0, 0, 0])
        #expect(constant.count == 4 && constant.coefficient.isNaN && constant.pValue.isNaN)
    }

    @Test func deterministicForASeed() {
        let x: [Double] = [1, 3, 2, 5, 4, 6, 8, 7], y: [Double] = [2, 1, 4, 3, 6, 5, 8, 9]
        let a = CorrelationAnalysis(seed: 5).spearman(x, y), b = CorrelationAnalysis(seed: 5).spearman(x, y)
        #expect(a == b)
        #expect(a.pValue > 0 && a.pValue < 0.05)
    }
}
