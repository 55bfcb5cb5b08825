/// One run of a method comparison: which variant (or which task alone), at which learning
/// rate and seed, and where its record is.
public struct ComparedRun: Sendable, Equatable {
    /// What a multi-task run's variant is to the comparison.
    public enum Role: String, Sendable, Equatable {
        /// An MTO method (or equal-weight scalarization, the usual baseline).
        case method
        /// A scalarization whose weights are a candidate for the tuned scalarization.
        case scalarization
        /// Scalarization with another trunk, the compute-matched alternative.
        case computeMatched
    }

    /// The MT variant's name, or the task's name for a single-task run.
    public var variant: String
    /// The task of a single-task run; nil for multi-task runs.
    public var singleTask: String?
    public var role: Role
    public var learningRate: Double
    public var seed: Int64
    public var file: String

    public init(variant: String, singleTask: String? = nil, role: Role = .method, learningRate: Double, seed: Int64, file: String) {
        self.variant = variant
        self.singleTask = singleTask
        self.role = role
        self.learningRate = learningRate
        self.seed = seed
        self.file = file
    }
}

/// MTO methods against scalarization, each at its best learning rate (Xin et al. 2022's
/// protocol, see PAPERS.md): every run is early-stopped on its mean validation loss and
/// reported on the test split; a variant's learning rate is the one with the lowest mean
/// (over seeds) selected validation loss; single-task runs, tuned the same way per task,
/// give the reference of Delta_m (Maninis et al. 2019):
/// `Delta_m = 100 / T · Σ_t (s_t - s_ST,t) / |s_ST,t|`, with `s` the test accuracy
/// (classification) or minus the test loss (regression), computed per seed against the ST
/// run of the same seed, then averaged with a Student-t 95% interval over seeds.
/// The tuned scalarization is the scalarization variant (equal weights included) with the
/// best validation score; each other variant's Delta_m is also compared with it, paired by seed.
/// A learning rate at which any seed of a variant diverged is not chosen for that variant.
public struct MethodComparison: Sendable {
    /// One variant at its selected learning rate.
    public struct Result: Sendable {
        public var variant: String
        public var role: ComparedRun.Role
        public var learningRate: Double
        /// Mean over seeds of the selected mean validation loss at that learning rate.
        public var validationLoss: Double
        /// The runs at that learning rate, by seed order.
        public var runs: [EarlyStoppedRun]
        /// Per task, the test metric's mean over seeds and 95% interval.
        public var testMetric: [ConfidenceInterval]
        /// Delta_m in percent against ST, mean over seeds and 95% interval.
        public var deltaM: ConfidenceInterval
        /// Delta_m minus the tuned scalarization's, paired by seed (nil for the tuned one itself).
        public var versusTunedScalarization: ConfidenceInterval?
        /// 1 for the highest mean Delta_m.
        public var rank: Int
        public var stepsPerSecond: Double
        public var wallSeconds: Double
        public var drift: WeightDrift
    }

    /// Task names, in column order.
    public let taskNames: [String]
    /// Seeds, sorted.
    public let seeds: [Int64]
    /// Per task, the ST learning rate chosen on validation.
    public let singleTaskLearningRates: [Double]
    /// Per task, the ST test metric at that learning rate: mean over seeds and 95% interval.
    public let singleTaskTestMetric: [ConfidenceInterval]
    /// The multi-task variants, best Delta_m first.
    public let results: [Result]
    /// The name of the tuned scalarization (nil when the comparison has no scalarization).
    public let tunedScalarization: String?

    /// Compares `runs`, reading each with `load` (injected for tests; normally `EarlyStoppedRun(reading:)`).
    public init(runs: [ComparedRun], load: (String) throws -> EarlyStoppedRun = { try EarlyStoppedRun(reading: $0) }) throws {
        var loaded: [String: EarlyStoppedRun] = [:]
        for run in runs { loaded[run.file] = try load(run.file) }
        let multiTask = runs.filter { $0.singleTask == nil }
        guard let first = multiTask.first.flatMap({ loaded[$0.file] }) else {
            throw AnalysisError.badStudy(path: runs.first?.file ?? "", detail: "the comparison has no multi-task runs")
        }
        let names = first.taskNames
        taskNames = names
        seeds = Array(Set(runs.map(\.seed))).sorted()

        /// Per learning rate, the runs of a group and their mean selected validation loss; the best one.
        func bestLearningRate(_ group: [ComparedRun]) -> (rate: Double, loss: Double, runs: [ComparedRun]) {
            let rates = Array(Set(group.map(\.learningRate))).sorted()
            let scored = rates.map { rate -> (Double, Double, [ComparedRun]) in
                let members = group.filter { $0.learningRate == rate }.sorted { $0.seed < $1.seed }
                let records = members.map { loaded[$0.file]! }
                let losses = records.map(\.validationLoss)
                // A seed that diverged (even one whose early-stopped row is finite) disqualifies the rate.
                let usable = losses.allSatisfy(\.isFinite) && !records.contains { $0.status == "diverged" }
                let mean = usable ? sampleMean(losses) : .infinity
                return (rate, mean, members)
            }
            return scored.min { $0.1 < $1.1 }.map { (rate: $0.0, loss: $0.1, runs: $0.2) }!
        }

        // ST reference per task: the learning rate with the best validation, test score per seed.
        var singleTaskRates: [Double] = [], singleTaskMetric: [ConfidenceInterval] = []
        var singleTaskScore: [[Int64: Double]] = []
        for task in names {
            let group = runs.filter { $0.singleTask == task }
            guard !group.isEmpty else {
                singleTaskRates.append(.nan)
                singleTaskMetric.append(studentInterval([]))
                singleTaskScore.append([:])
                continue
            }
            let best = bestLearningRate(group)
            singleTaskRates.append(best.rate)
            let records = best.runs.map { loaded[$0.file]! }
            singleTaskMetric.append(studentInterval(records.map { $0.testMetric[0] }))
            singleTaskScore.append(Dictionary(uniqueKeysWithValues: zip(best.runs.map(\.seed), records.map { $0.orientedTestScore(0) })))
        }
        singleTaskLearningRates = singleTaskRates
        singleTaskTestMetric = singleTaskMetric

        func deltaM(_ record: EarlyStoppedRun, seed: Int64) -> Double {
            let changes = names.indices.map { t -> Double in
                guard let reference = singleTaskScore[t][seed] else { return .nan }
                return (record.orientedTestScore(t) - reference) / abs(reference)
            }
            return 100 * sampleMean(changes)
        }

        var compared: [Result] = []
        var deltaBySeed: [String: [Int64: Double]] = [:]
        let variants = multiTask.reduce(into: [String]()) { if !$0.contains($1.variant) { $0.append($1.variant) } }
        for variant in variants {
            let group = multiTask.filter { $0.variant == variant }
            let best = bestLearningRate(group)
            let records = best.runs.map { loaded[$0.file]! }
            let deltas = zip(best.runs, records).map { deltaM($1, seed: $0.seed) }
            deltaBySeed[variant] = Dictionary(uniqueKeysWithValues: zip(best.runs.map(\.seed), deltas))
            compared.append(Result(
                variant: variant, role: group[0].role, learningRate: best.rate, validationLoss: best.loss, runs: records,
                testMetric: names.indices.map { t in studentInterval(records.map { $0.testMetric[t] }) },
                deltaM: studentInterval(deltas), versusTunedScalarization: nil, rank: 0,
                stepsPerSecond: sampleMean(records.map(\.stepsPerSecond)), wallSeconds: sampleMean(records.map(\.wallSeconds)),
                drift: WeightDrift(mean: sampleMean(records.map(\.drift.mean)), final: sampleMean(records.map(\.drift.final)),
                                   scale: sampleMean(records.map(\.drift.scale)))))
        }
        let tuned = compared.filter { $0.role == .scalarization || ($0.role == .method && $0.variant == "scalarization") }
            .min { $0.validationLoss < $1.validationLoss }
        tunedScalarization = tuned?.variant
        if let tuned, let reference = deltaBySeed[tuned.variant] {
            for index in compared.indices where compared[index].variant != tuned.variant {
                let mine = deltaBySeed[compared[index].variant] ?? [:]
                let paired = mine.keys.sorted().compactMap { seed in reference[seed].map { mine[seed]! - $0 } }
                compared[index].versusTunedScalarization = studentInterval(paired)
            }
        }
        compared.sort { ($0.deltaM.estimate.isNaN ? -.infinity : $0.deltaM.estimate) > ($1.deltaM.estimate.isNaN ? -.infinity : $1.deltaM.estimate) }
        for index in compared.indices { compared[index].rank = index + 1 }
        self.results = compared
    }
}

extension WeightDrift {
    /// A drift from its parts (averages of several runs' drifts).
    public init(mean: Double, final: Double, scale: Double) {
        self.mean = mean
        self.final = final
        self.scale = scale
    }
}
