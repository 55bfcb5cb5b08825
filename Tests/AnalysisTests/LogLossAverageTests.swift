import Foundation
import Testing
@testable import Analysis

@Suite struct LogLossAverageTests {
    @Test func aFunctionLinearInLogLossAveragesToItsMidpointValue() {
        // v = log(1/l) over l from 1 to 0.01 (uneven levels): the trapezoid is exact for a
        // linear function, and its average over [log 0.01, log 1] is log(100)/2.
        let levels = [1, 0.5, 0.3, 0.05, 0.01]
        let values = levels.map { log(1 / $0) }
        #expect(abs(logLossAverage(of: values, over: levels) - log(100) / 2) < 1e-12)
        #expect(abs(logLossAverage(of: values.reversed(), over: levels.reversed()) - log(100) / 2) < 1e-12)
    }

    @Test func weightsIntervalsByTheirWidthInLogLoss() {
        // Levels 1, 0.1, 0.001: the second interval is twice as wide in log l as the first.
        let average = logLossAverage(of: [0, 3, 3], over: [1, 0.1, 0.001])
        #expect(abs(average - (1.5 * 1 + 3 * 2) / 3) < 1e-12)
    }

    @Test func degenerateLevels() {
        #expect(logLossAverage(of: [4], over: [0.5]) == 4)
        #expect(logLossAverage(of: [1, 3], over: [0.5, 0.5]) == 2)
        #expect(logLossAverage(of: [], over: []).isNaN)
    }
}
