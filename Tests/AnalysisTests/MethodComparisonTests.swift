import Testing
@testable import Analysis

@Suite struct MethodComparisonTests {
    /// A run whose early-stopped row has `validationLoss` and test accuracies `accuracy`.
    static func run(_ file: String, validationLoss: Double, accuracy: [Double], steps: Int = 100, wall: Double = 2) -> EarlyStoppedRun {
        EarlyStoppedRun(file: file, taskNames: accuracy.count == 1 ? ["a"] : ["a", "b"],
                        isClassification: accuracy.map { _ in true }, selectedStep: 50, validationLoss: validationLoss,
                        validationMetric: accuracy, testMetric: accuracy, testLoss: accuracy.map { _ in 0 }, steps: steps,
                        wallSeconds: wall, drift: WeightDrift(weights: [[0.5, 0.5]]), status: "complete")
    }

    /// ST: task a tuned at lr 0.1 (accuracy 0.8 both seeds), b at 0.01 (0.5). Method "x" is
    /// best at lr 0.01 with accuracies (0.88, 0.5) in seed 1 and (0.84, 0.55) in seed 2:
    /// Delta_m = 100/2 (0.1 + 0) = 5 and 100/2 (0.05 + 0.1) = 7.5, mean 6.25, and its t interval
    /// 6.25 ± t(0.975, 1) · s / sqrt(2) with s = 2.5 / sqrt(2), i.e. ± 12.706 · 1.25.
    @Test func deltaMAgainstTunedSingleTaskRunsByHand() throws {
        var files: [String: EarlyStoppedRun] = [:]
        var runs: [ComparedRun] = []
        func add(_ variant: String, task: String? = nil, role: ComparedRun.Role = .method, lr: Double, seed: Int64,
                 loss: Double, accuracy: [Double]) {
            let file = "\(variant)-\(task ?? "mt")-\(lr)-\(seed)"
            files[file] = Self.run(file, validationLoss: loss, accuracy: accuracy)
            runs.append(ComparedRun(variant: variant, singleTask: task, role: role, learningRate: lr, seed: seed, file: file))
        }
        for seed: Int64 in [1, 2] {
            add("a", task: "a", lr: 0.1, seed: seed, loss: 0.3, accuracy: [0.8])
            add("a", task: "a", lr: 0.01, seed: seed, loss: 0.4, accuracy: [0.9])  // better test, worse validation: not chosen
            add("b", task: "b", lr: 0.1, seed: seed, loss: 0.9, accuracy: [0.1])
            add("b", task: "b", lr: 0.01, seed: seed, loss: 0.6, accuracy: [0.5])
            add("scalarization", lr: 0.1, seed: seed, loss: 0.5, accuracy: [0.8, 0.5])
            add("scalarization", lr: 0.01, seed: seed, loss: 0.7, accuracy: [0.9, 0.9])
        }
        add("x", lr: 0.1, seed: 1, loss: 0.9, accuracy: [0.99, 0.99])
        add("x", lr: 0.1, seed: 2, loss: 0.9, accuracy: [0.99, 0.99])
        add("x", lr: 0.01, seed: 1, loss: 0.4, accuracy: [0.88, 0.5])
        add("x", lr: 0.01, seed: 2, loss: 0.4, accuracy: [0.84, 0.55])
        let comparison = try MethodComparison(runs: runs) { files[$0]! }

        #expect(comparison.singleTaskLearningRates == [0.1, 0.01])
        #expect(comparison.tunedScalarization == "scalarization")
        let x = try #require(comparison.results.first { $0.variant == "x" })
        #expect(x.learningRate == 0.01 && x.rank == 1)
        #expect(abs(x.deltaM.estimate - 6.25) < 1e-12)
        // Sample sd of (5, 7.5) is 2.5 / sqrt(2); half width 12.706 * sd / sqrt(2) = 12.706 * 1.25.
        #expect(abs(x.deltaM.upper - (6.25 + 12.706 * 1.25)) < 1e-9)
        #expect(abs(x.testMetric[0].estimate - 0.86) < 1e-12)
        // Scalarization at lr 0.1 equals ST exactly: Delta_m 0; x - scalarization paired = (5, 7.5).
        let scalarization = try #require(comparison.results.first { $0.variant == "scalarization" })
        #expect(scalarization.learningRate == 0.1 && scalarization.deltaM.estimate == 0 && scalarization.rank == 2)
        #expect(abs(x.versusTunedScalarization!.estimate - 6.25) < 1e-12)
        #expect(comparison.verdict(x) == "within interval")
        #expect(comparison.verdict(scalarization) == "tuned scalarization")
        #expect(x.stepsPerSecond == 50)
    }

    /// A seed without a finite validation loss, or whose record diverged (even with a finite
    /// early-stopped row), disqualifies its learning rate.
    @Test(arguments: [false, true])
    func aDivergedSeedDisqualifiesItsLearningRate(finiteBeforeDiverging: Bool) throws {
        var files: [String: EarlyStoppedRun] = [:]
        var runs: [ComparedRun] = []
        for (lr, losses) in [(0.1, [0.1, finiteBeforeDiverging ? 0.1 : Double.nan]), (0.01, [0.5, 0.5])] {
            for (seed, loss) in zip([Int64(1), 2], losses) {
                let file = "m-\(lr)-\(seed)"
                var record = Self.run(file, validationLoss: loss, accuracy: [0.5, 0.5])
                if lr == 0.1 && seed == 2 { record.status = "diverged" }
                files[file] = record
                runs.append(ComparedRun(variant: "m", learningRate: lr, seed: seed, file: file))
            }
        }
        let comparison = try MethodComparison(runs: runs) { files[$0]! }
        #expect(comparison.results[0].learningRate == 0.01)
        #expect(comparison.results[0].deltaM.estimate.isNaN)  // no ST runs: no reference
    }
}
