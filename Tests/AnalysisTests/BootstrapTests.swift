import Linalg
import Testing
@testable import Analysis

@Suite struct BootstrapTests {
    @Test func theMeanIntervalCoversTheTrueMeanAtAboutItsNominalRate() {
        // 400 samples of 30 from N(2, 1.5^2); each gets its own bootstrap stream.
        var draws = RandomGenerator(seed: 2024)
        var covered = 0
        for repetition in 0..<400 {
            let sample = (0..<30).map { _ in draws.normal(mean: 2, standardDeviation: 1.5) }
            let interval = Bootstrap(resamples: 1000, seed: UInt64(repetition)).meanInterval(sample)
            if interval.contains(2) { covered += 1 }
        }
        let rate = Double(covered) / 400
        #expect(rate >= 0.91 && rate <= 0.98, "coverage \(rate)")
    }

    @Test func sameSeedSameIntervalAndTheEstimateIsTheStatisticOnTheSample() {
        let sample = [1.0, 4, 2, 8, 5, 7]
        let a = Bootstrap(seed: 3).meanInterval(sample), b = Bootstrap(seed: 3).meanInterval(sample)
        #expect(a == b)
        #expect(a.estimate == 4.5 && a.confidence == 0.95)
        #expect(a.lower < 4.5 && a.upper > 4.5 && a.lower >= 1 && a.upper <= 8)
        // Another seed draws other resamples (a sample with few distinct resample means can
        // still land on the same quantiles, so this one has many).
        let spread = [1.3, 4.1, 2.7, 8.2, 5.9, 7.4, 0.6, 3.3, 9.1, 6.5]
        #expect(Bootstrap(seed: 4).meanInterval(spread) != Bootstrap(seed: 3).meanInterval(spread))
        let median = Bootstrap(seed: 3).interval(of: sample) { s in
            let sorted = s.sorted()
            return (sorted[(s.count - 1) / 2] + sorted[s.count / 2]) / 2
        }
        #expect(median.estimate == 4.5)
    }

    @Test func aConstantSampleHasAPointInterval() {
        let interval = Bootstrap(resamples: 200).meanInterval([3, 3, 3, 3])
        #expect(interval.lower == 3 && interval.upper == 3)
    }

    @Test func fewerThanTwoUnitsGiveNoInterval() {
        let one = Bootstrap().meanInterval([5])
        #expect(one.estimate == 5 && one.lower.isNaN && one.upper.isNaN)
        let none = Bootstrap().meanInterval([])
        #expect(none.estimate.isNaN && none.lower.isNaN)
    }

    @Test func nonFiniteReplicatesAreLeftOut() {
        // The statistic is undefined when a resample has no 1; the rest are means.
        let interval = Bootstrap(resamples: 500).interval(of: [1.0, 2, 3]) { s in
            s.contains(1) ? sampleMean(s) : .nan
        }
        #expect(interval.lower >= 1 && interval.upper <= 3)
        // A statistic undefined on the whole sample has no interval, whatever the resamples.
        let holed = Bootstrap(resamples: 200).meanInterval([1, 2, .nan, 4])
        #expect(holed.estimate.isNaN && holed.lower.isNaN && holed.upper.isNaN)
        let never = Bootstrap(resamples: 50).interval(of: [1.0, 2]) { _ in .nan }
        #expect(never.lower.isNaN && never.upper.isNaN)
    }

    @Test func severalStatisticsShareTheResamples() {
        // The mean and the mean plus one move together on every resample.
        let intervals = Bootstrap(resamples: 300).intervals(of: [1.0, 5, 2, 9], count: 2) { s in
            [sampleMean(s), sampleMean(s) + 1]
        }
        #expect(abs(intervals[1].lower - intervals[0].lower - 1) < 1e-12)
        #expect(abs(intervals[1].upper - intervals[0].upper - 1) < 1e-12)
    }

    @Test func quantilesInterpolateBetweenOrderStatistics() {
        #expect(quantile([1, 2, 3, 4, 5], 0.5) == 3)
        #expect(abs(quantile([1, 2, 3, 4, 5], 0.1) - 1.4) < 1e-12)
        #expect(abs(quantile([10, 20], 0.975) - 19.75) < 1e-12)
        #expect(quantile([7], 0.025) == 7)
        #expect(quantile([], 0.5).isNaN)
    }
}
