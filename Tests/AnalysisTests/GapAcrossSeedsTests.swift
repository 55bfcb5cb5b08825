import Foundation
import Testing
@testable import Analysis

@Suite struct GapAcrossSeedsTests {
    /// 21 eval rows with train loss 10^(-k/10), k = 0...20, so a 21-level grid over the common
    /// range [0.01, 1] falls on the rows. Seed `s`: MT steps (100 + 10 s) k; the gap is +-0.01
    /// (sign alternating with the seed, mean exactly 0) for k < 8, and 0.2 +- 0.01 from k = 8
    /// on, plus `extra(k)` for every seed.
    static func pairs(seeds: Int, extra: (Int) -> Double = { _ in 0 }) -> [RunPair] {
        let losses = (0...20).map { pow(10, -Double($0) / 10) }
        return (0..<seeds).map { s in
            let noise = s.isMultiple(of: 2) ? 0.01 : -0.01
            let st = EvaluationCurve(steps: losses.indices.map { Double($0) * 90 }, trainLoss: losses,
                                     values: losses.indices.map { 0.5 + 0.02 * Double($0) })
            let mt = EvaluationCurve(steps: losses.indices.map { Double(100 + 10 * s) * Double($0) },
                                     trainLoss: losses,
                                     values: losses.indices.map { k in
                                         0.5 + 0.02 * Double(k) + (k < 8 ? 0 : 0.2) + noise + extra(k)
                                     })
            return RunPair(singleTask: st, multiTask: mt)
        }
    }

    @Test func onsetIsTheMeanMultiTaskStepWhereTheGapOpens() throws {
        let result = try #require(GapAcrossSeeds(pairs: Self.pairs(seeds: 8), levelCount: 21))
        #expect(result.seedCount == 8)
        #expect(result.levels.count == 21)
        for i in 0..<8 { #expect(abs(result.meanGaps[i].estimate) < 1e-12 && result.meanGaps[i].contains(0)) }
        for i in 8..<21 { #expect(abs(result.meanGaps[i].estimate - 0.2) < 1e-12 && result.meanGaps[i].lower > 0) }
        let onset = try #require(result.onset)
        #expect(onset.levelIndex == 8)
        #expect(abs(onset.trainLoss / pow(10, -0.8) - 1) < 1e-12)
        // Mean over seeds s = 0...7 of (100 + 10 s) * 8 = 135 * 8.
        #expect(abs(onset.step - 1080) < 1e-6)
        #expect(abs(result.meanMultiTaskSteps[20] - 2700) < 1e-6)
        // Trapezoid in log l over 20 equal intervals: one half-open interval (0.1), 12 at 0.2.
        #expect(abs(result.meanGap.estimate - 2.5 / 20) < 1e-12)
        #expect(result.meanGap.lower > 0.1 && result.meanGap.upper < 0.15)
        #expect(abs(result.gapAtLowestLoss.estimate - 0.2) < 1e-12)
        #expect(result.gapAtLowestLoss.lower >= 0.19 && result.gapAtLowestLoss.upper <= 0.21)
    }

    @Test func aStrayLevelDoesNotMakeAnOnset() throws {
        let pairs = Self.pairs(seeds: 8) { k in k == 3 ? 0.2 : 0 }
        let result = try #require(GapAcrossSeeds(pairs: pairs, levelCount: 21))
        #expect(result.meanGaps[3].lower > 0)
        #expect(result.onset?.levelIndex == 8)
    }

    @Test func noOnsetWithoutAGapOrWithOneSeed() throws {
        let flat = Self.pairs(seeds: 6) { k in k < 8 ? 0 : -0.2 }
        #expect(try #require(GapAcrossSeeds(pairs: flat, levelCount: 21)).onset == nil)
        let single = try #require(GapAcrossSeeds(pairs: Self.pairs(seeds: 1), levelCount: 21))
        #expect(single.onset == nil)
        #expect(single.meanGaps.allSatisfy { $0.lower.isNaN && $0.upper.isNaN })
        #expect(abs(single.gapAtLowestLoss.estimate - 0.21) < 1e-12)
    }

    @Test func theSharedGridIsTheIntersectionOfTheSeedsRanges() throws {
        func pair(_ stLosses: [Double], _ mtLosses: [Double]) -> RunPair {
            RunPair(singleTask: EvaluationCurve(steps: stLosses.indices.map(Double.init), trainLoss: stLosses,
                                                values: stLosses.map { _ in 1 }),
                    multiTask: EvaluationCurve(steps: mtLosses.indices.map(Double.init), trainLoss: mtLosses,
                                               values: mtLosses.map { _ in 1.5 }))
        }
        let pairs = [pair([2.0, 1.0, 0.2], [1.8, 0.5, 0.3]), pair([2.2, 0.9, 0.1], [1.6, 0.4, 0.25])]
        let result = try #require(GapAcrossSeeds(pairs: pairs, levelCount: 9))
        #expect(result.levels.first == 1.6 && result.levels.last == 0.3)
        #expect(result.seedCurves.allSatisfy { $0.levels == result.levels })
        #expect(GapAcrossSeeds(pairs: []) == nil)
    }

    @Test func deterministicForASeedOfTheBootstrap() throws {
        let pairs = Self.pairs(seeds: 5)
        let a = try #require(GapAcrossSeeds(pairs: pairs, levelCount: 21, bootstrap: Bootstrap(seed: 7)))
        let b = try #require(GapAcrossSeeds(pairs: pairs, levelCount: 21, bootstrap: Bootstrap(seed: 7)))
        #expect(a == b)
    }
}
