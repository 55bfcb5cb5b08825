import Testing
@testable import Analysis

@Suite struct WeightSweepTests {
    static func run(_ file: String, metric: [Double]) -> EarlyStoppedRun {
        EarlyStoppedRun(file: file, taskNames: ["a", "b"], isClassification: [true, true], selectedStep: 0, validationLoss: 1,
                        validationMetric: metric, testMetric: metric, testLoss: [1, 1], steps: 10, wallSeconds: 1,
                        drift: WeightDrift(weights: [[1, 1]]), status: "complete")
    }

    /// Seeds average per task; (0.5, 0.5) is off the front, beaten by (0.6, 0.6); method m at
    /// (0.55, 0.55) is dominated by w-0.5 only, 0.05·sqrt(2) from the nearest front point.
    @Test func frontAndMethodPlacementByHand() throws {
        let metrics: [String: [Double]] = [
            "w1-1": [0.9, 0.1], "w1-2": [0.9, 0.3], "w5-1": [0.5, 0.5], "w5-2": [0.5, 0.5],
            "w6-1": [0.6, 0.7], "w6-2": [0.6, 0.5], "m-1": [0.55, 0.55], "m-2": [0.55, 0.55],
        ]
        let runs = [
            SweptRun(variant: "w-1", weights: [1, 0], seed: 1, file: "w1-1"), SweptRun(variant: "w-1", weights: [1, 0], seed: 2, file: "w1-2"),
            SweptRun(variant: "w-0.5", weights: [0.5, 0.5], seed: 1, file: "w5-1"), SweptRun(variant: "w-0.5", weights: [0.5, 0.5], seed: 2, file: "w5-2"),
            SweptRun(variant: "w-0.6", weights: [0.4, 0.6], seed: 1, file: "w6-1"), SweptRun(variant: "w-0.6", weights: [0.4, 0.6], seed: 2, file: "w6-2"),
            SweptRun(variant: "m", weights: nil, seed: 1, file: "m-1"), SweptRun(variant: "m", weights: nil, seed: 2, file: "m-2"),
        ]
        let sweep = try WeightSweep(runs: runs) { Self.run($0, metric: metrics[$0]!) }
        #expect(sweep.scalarizations.map(\.variant) == ["w-1", "w-0.5", "w-0.6"])
        #expect(sweep.scalarizations.map(\.onFront) == [true, false, true])
        #expect(abs(sweep.scalarizations[0].validationMetric[1] - 0.2) < 1e-12)
        let method = try #require(sweep.methods.first)
        #expect(method.dominatedBy == ["w-0.6"])
        #expect(abs(method.distanceToFront - 0.05 * 2.0.squareRoot()) < 1e-12)
    }
}
