import Foundation

/// The analysis of a study: for every MT variant and task, the generalization gap at matched
/// training loss against the ST run of the same seed (DESIGN.md, "Definitions"), the
/// optimization effect at matched step, gradient conflict in the MT runs, the trajectory
/// factors' MT−ST differences, and the correlations over units (variant x task x seed) of
/// conflict with the optimization effect and with the gap, and of each factor's difference
/// with the gap.
public struct StudyAnalysis: Sendable {
    /// What to compute; each part requires its datasets in the records.
    public enum Component: String, Sendable, CaseIterable { case gaps, conflict, factors }

    /// Where conflict is measured: the probe's big-batch gradients (default) or every step's minibatch gradients.
    public enum ConflictSource: String, Sendable { case probe, minibatch }

    /// One unit: a task of an MT variant, with one seed.
    public struct Unit: Sendable, Equatable {
        public var variant: String
        public var task: String
        public var seed: Int64
        public var label: String { "\(variant)/\(task)/seed \(seed)" }
    }

    /// Everything measured for one variant and task across the seeds.
    public struct TaskResult: Sendable {
        public var variant: String
        public var task: String
        /// Seeds, in the order of the per-seed arrays.
        public var seeds: [Int64]
        /// Validation-loss gap across seeds (nil when the pairs share no training-loss range).
        public var lossGap: GapAcrossSeeds?
        /// Validation-metric gap across seeds.
        public var metricGap: GapAcrossSeeds?
        /// Optimization effect per seed.
        public var optimization: [OptimizationEffect?]
        /// Per seed, the mean cosine of the MT run's task pairs that involve this task (whole run
        /// and windows), and the conflict fraction.
        public var conflict: [Windowed<ConflictSummary>?]
        /// Per factor name, per seed, the MT−ST difference at matched training loss.
        public var factors: [String: [TrajectoryFactorDifference?]]
        /// The metric's name (from the MT record's /tasks attribute, or "metric").
        public var metricName: String
    }

    /// A correlation over units.
    public struct NamedCorrelation: Sendable {
        public var name: String
        public var xLabel: String
        public var yLabel: String
        public var units: [String]
        public var x: [Double]
        public var y: [Double]
        public var pearson: CorrelationEstimate
        public var spearman: CorrelationEstimate
    }

    /// Conflict in one MT run, per task pair.
    public struct RunConflict: Sendable {
        public var variant: String
        public var seed: Int64
        /// Pairs as "i|j" task names.
        public var pairs: [String]
        public var steps: [Double]
        /// Per pair, the cosine per row.
        public var cosines: [[Double]]
        public var statistics: [ConflictStatistics?]
        public var directionalConflict: [Double]?
    }

    public let tasks: [String]
    public let variants: [String]
    public let seeds: [Int64]
    public let conflictSource: ConflictSource
    public let results: [TaskResult]
    public let runConflicts: [RunConflict]
    public let correlations: [NamedCorrelation]

    /// Reads the runs' records and computes `components`.
    /// - Throws: `AnalysisError` (a run without a partner, runs that do not pair, a missing
    ///   dataset), `RecordError` (a file that is not HDF5).
    public init(runs: [StudyRecord], components: Set<Component> = Set(Component.allCases), conflictSource: ConflictSource = .probe,
                levelCount: Int = LossGrid.defaultLevelCount, bootstrap: Bootstrap = Bootstrap(),
                correlation: CorrelationAnalysis = CorrelationAnalysis()) throws {
        guard runs.contains(where: { $0.mode == .mt }) else {
            throw AnalysisError.badStudy(path: runs.first?.file ?? "study", detail: "the study has no MT run to analyse")
        }
        var stParts: Set<RecordedTrajectory.Part> = [.evaluation], mtParts: Set<RecordedTrajectory.Part> = [.evaluation]
        if components.contains(.conflict) { mtParts.insert(conflictSource == .probe ? .probeConflict : .stepConflict) }
        if components.contains(.factors) { stParts.insert(.factors); mtParts.insert(.factors) }
        var singleTask: [String: RecordedTrajectory] = [:]  // "task|seed"
        var multiTask: [(run: StudyRecord, trajectory: RecordedTrajectory)] = []
        for run in runs {
            let trajectory = try RecordedTrajectory(file: run.file, parts: run.mode == .st ? stParts : mtParts)
            switch run.mode {
            case .st:
                guard trajectory.taskNames.count == 1 else {
                    throw AnalysisError.badStudy(path: run.file, detail: "listed as an ST run but trains \(trajectory.taskNames.count) tasks")
                }
                singleTask["\(trajectory.taskNames[0])|\(run.seed)"] = trajectory
            case .mt:
                multiTask.append((run, trajectory))
            }
        }
        let tasks = multiTask[0].trajectory.taskNames
        self.tasks = tasks
        variants = multiTask.map(\.run.variant).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        seeds = Array(Set(multiTask.map(\.run.seed))).sorted()
        self.conflictSource = conflictSource

        // Pair every MT run and task with the ST run of that task and seed.
        for (run, trajectory) in multiTask {
            guard trajectory.taskNames == tasks else {
                throw AnalysisError.mismatch(file: run.file, other: multiTask[0].run.file,
                                             detail: "tasks \(trajectory.taskNames) against \(tasks)")
            }
            for task in tasks {
                guard let partner = singleTask["\(task)|\(run.seed)"] else {
                    throw AnalysisError.badStudy(path: run.file, detail: "no ST run of task \(task) with seed \(run.seed) to pair with")
                }
                if let a = trajectory.datasetDescription, let b = partner.datasetDescription, a != b {
                    throw AnalysisError.mismatch(file: run.file, other: partner.file, detail: "different datasets (\(a) and \(b))")
                }
            }
        }

        var results: [TaskResult] = []
        var runConflicts: [RunConflict] = []
        for variant in variants {
            let members = multiTask.filter { $0.run.variant == variant }.sorted { $0.run.seed < $1.run.seed }
            for (run, trajectory) in members where components.contains(.conflict) {
                runConflicts.append(Self.conflict(of: trajectory, run: run, source: conflictSource))
            }
            for (t, task) in tasks.enumerated() {
                var lossPairs: [RunPair] = [], metricPairs: [RunPair] = []
                var optimization: [OptimizationEffect?] = [], conflict: [Windowed<ConflictSummary>?] = []
                var factors: [String: [TrajectoryFactorDifference?]] = [:]
                for (run, trajectory) in members {
                    let partner = singleTask["\(task)|\(run.seed)"]!
                    let mtEval = trajectory.evaluation!, stEval = partner.evaluation!
                    let stLoss = EvaluationCurve(steps: stEval.steps, trainLoss: stEval.trainLoss[0], values: stEval.validationLoss[0])
                    let mtLoss = EvaluationCurve(steps: mtEval.steps, trainLoss: mtEval.trainLoss[t], values: mtEval.validationLoss[t])
                    lossPairs.append(RunPair(singleTask: stLoss, multiTask: mtLoss))
                    metricPairs.append(RunPair(
                        singleTask: EvaluationCurve(steps: stEval.steps, trainLoss: stEval.trainLoss[0], values: stEval.validationMetric[0]),
                        multiTask: EvaluationCurve(steps: mtEval.steps, trainLoss: mtEval.trainLoss[t], values: mtEval.validationMetric[t])))
                    optimization.append(OptimizationEffect(singleTask: stLoss, multiTask: mtLoss))
                    if components.contains(.conflict) {
                        let runConflict = runConflicts.last { $0.variant == variant && $0.seed == run.seed }!
                        conflict.append(Self.taskConflict(task, in: runConflict))
                    }
                    if components.contains(.factors), let mtFactors = trajectory.factors, let stFactors = partner.factors {
                        for name in RecordedTrajectory.factorNames {
                            factors[name, default: []].append(TrajectoryFactorDifference(
                                singleTaskFactor: Self.definedRows(steps: stFactors.steps, values: stFactors.values[name]![0]),
                                singleTaskEvaluation: stLoss,
                                multiTaskFactor: Self.definedRows(steps: mtFactors.steps, values: mtFactors.values[name]![t]),
                                multiTaskEvaluation: mtLoss, levelCount: levelCount))
                        }
                    }
                }
                results.append(TaskResult(
                    variant: variant, task: task, seeds: members.map(\.run.seed),
                    lossGap: GapAcrossSeeds(pairs: lossPairs, levelCount: levelCount, bootstrap: bootstrap),
                    metricGap: GapAcrossSeeds(pairs: metricPairs, levelCount: levelCount, bootstrap: bootstrap),
                    optimization: optimization, conflict: conflict, factors: factors,
                    metricName: members[0].trajectory.metricNames[t]))
            }
        }
        self.results = results
        self.runConflicts = runConflicts
        correlations = Self.correlations(results, correlation: correlation, components: components)
    }

    /// A factor's probe rows without the undefined ones (a noise scale is NaN when the
    /// estimate of |G|^2 is not positive).
    static func definedRows(steps: [Double], values: [Double]) -> FactorSeries {
        let kept = values.indices.filter { values[$0].isFinite }
        return FactorSeries(steps: kept.map { steps[$0] }, values: kept.map { values[$0] })
    }

    /// Conflict of every task pair of one MT run.
    static func conflict(of trajectory: RecordedTrajectory, run: StudyRecord, source: ConflictSource) -> RunConflict {
        let rows = (source == .probe ? trajectory.probeConflict : trajectory.stepConflict)!
        let t = trajectory.taskNames.count
        var pairs: [String] = [], cosines: [[Double]] = [], statistics: [ConflictStatistics?] = []
        for i in 0..<t {
            for j in (i + 1)..<max(i + 1, t) {
                pairs.append("\(trajectory.taskNames[i])|\(trajectory.taskNames[j])")
                let cosine = rows.cosine.map { $0[i * t + j] }
                cosines.append(cosine)
                statistics.append(ConflictStatistics(ConflictSeries(
                    steps: rows.steps, cosines: cosine, gramianII: rows.gramian.map { $0[i * t + i] },
                    gramianJJ: rows.gramian.map { $0[j * t + j] }, directionalConflict: rows.directionalConflict)))
            }
        }
        return RunConflict(variant: run.variant, seed: run.seed, pairs: pairs, steps: rows.steps, cosines: cosines,
                           statistics: statistics, directionalConflict: rows.directionalConflict)
    }

    /// The conflict summary of a task: the mean over the pairs that involve it.
    static func taskConflict(_ task: String, in conflict: RunConflict) -> Windowed<ConflictSummary>? {
        let involved = conflict.pairs.indices.filter { conflict.pairs[$0].split(separator: "|").contains(Substring(task)) }
            .compactMap { conflict.statistics[$0]?.summary }
        guard let first = involved.first else { return nil }
        if involved.count == 1 { return first }
        func mean(_ pick: (Windowed<ConflictSummary>) -> ConflictSummary) -> ConflictSummary {
            let summaries = involved.map(pick)
            return ConflictSummary(
                rowCount: summaries.map(\.rowCount).reduce(0, +),
                meanCosine: sampleMean(summaries.map(\.meanCosine)), conflictFraction: sampleMean(summaries.map(\.conflictFraction)),
                meanMagnitudeSimilarity: sampleMean(summaries.map(\.meanMagnitudeSimilarity)),
                meanDirectionalConflict: sampleMean(summaries.map(\.meanDirectionalConflict)))
        }
        return Windowed(whole: mean { $0.whole }, early: mean { $0.early }, middle: mean { $0.middle }, late: mean { $0.late })
    }

    /// Correlations over units (variant x task x seed).
    static func correlations(_ results: [TaskResult], correlation: CorrelationAnalysis,
                             components: Set<Component>) -> [NamedCorrelation] {
        var units: [String] = [], conflict: [Double] = [], optimization: [Double] = [], gap: [Double] = []
        var factorDifferences: [String: [Double]] = [:]
        for result in results {
            for (s, seed) in result.seeds.enumerated() {
                units.append(Unit(variant: result.variant, task: result.task, seed: seed).label)
                conflict.append(result.conflict.isEmpty ? .nan : result.conflict[s]?.whole.meanCosine ?? .nan)
                optimization.append(result.optimization[s]?.mean.whole ?? .nan)
                gap.append(result.lossGap.map { s < $0.seedCurves.count ? $0.seedCurves[s].meanGap : .nan } ?? .nan)
                for name in RecordedTrajectory.factorNames {
                    factorDifferences[name, default: []].append(result.factors[name]?[s]?.meanDifference ?? .nan)
                }
            }
        }
        func named(_ name: String, _ xLabel: String, _ x: [Double], _ yLabel: String, _ y: [Double]) -> NamedCorrelation {
            NamedCorrelation(name: name, xLabel: xLabel, yLabel: yLabel, units: units, x: x, y: y,
                             pearson: correlation.pearson(x, y), spearman: correlation.spearman(x, y))
        }
        var result: [NamedCorrelation] = []
        if components.contains(.conflict) {
            result.append(named("conflict_vs_optimization", "mean task-gradient cosine", conflict,
                                "optimization effect (MT - ST train loss at matched step)", optimization))
            result.append(named("conflict_vs_gap", "mean task-gradient cosine", conflict,
                                "mean gap (MT - ST val loss at matched train loss)", gap))
        }
        if components.contains(.factors) {
            for name in RecordedTrajectory.factorNames {
                result.append(named("\(name)_difference_vs_gap", "\(name): MT - ST at matched train loss", factorDifferences[name]!,
                                    "mean gap (MT - ST val loss at matched train loss)", gap))
            }
        }
        return result
    }
}
