import Foundation
import Records

/// Writes a study's analysis to an HDF5 file (schema "tasktrace-analysis/1") holding every
/// curve the figures and tables are made from, so plotting tools need no re-computation.
/// The layout is documented in notebooks-data/README.md.
public struct AnalysisFile {
    public static let schema = "tasktrace-analysis/1"

    /// Collects datasets and their values, then writes them in one go.
    struct Contents {
        var specs: [DatasetSpec] = []
        var values: [String: [Double]] = [:]
        var groupAttributes: [String: [String: AttributeValue]] = [:]

        mutating func add(_ path: String, shape: [Int], description: String, units: String, _ data: [Double]) {
            precondition(data.count == shape.reduce(1, *), "\(path): \(data.count) values for shape \(shape)")
            specs.append(.fixed(path, .float64, shape: shape, description: description, units: units, fillValue: .nan))
            values[path] = data
        }
    }

    /// Writes `analysis` to `path`, replacing an existing file.
    public static func write(_ analysis: StudyAnalysis, study: String, to path: String) throws {
        var c = Contents()
        let s = analysis.seeds.count
        for result in analysis.results {
            let group = "/gap/\(result.variant)/\(result.task)"
            if let loss = result.lossGap, let metric = result.metricGap {
                let g = loss.levels.count
                c.add("\(group)/loss_grid", shape: [g], description: "training-loss levels of the common range, high to low",
                      units: "loss units", loss.levels)
                func perSeed(_ gap: GapAcrossSeeds, _ pick: (GapCurve) -> [Double]) -> [Double] {
                    result.seeds.indices.flatMap { i in i < gap.seedCurves.count ? pick(gap.seedCurves[i]) : Array(repeating: .nan, count: g) }
                }
                for (name, gap, what) in [("val_loss", loss, "validation loss"), ("val_metric", metric, "validation \(result.metricName)")] {
                    c.add("\(group)/\(name)_st", shape: [s, g], description: "ST \(what) at matched training loss, per seed", units: "as recorded",
                          perSeed(gap) { $0.singleTaskValues })
                    c.add("\(group)/\(name)_mt", shape: [s, g], description: "MT \(what) at matched training loss, per seed", units: "as recorded",
                          perSeed(gap) { $0.multiTaskValues })
                    c.add("\(group)/\(name)_gap", shape: [s, g], description: "MT - ST \(what) at matched training loss, per seed",
                          units: "as recorded", perSeed(gap) { $0.gaps })
                    c.add("\(group)/\(name)_gap_mean", shape: [g], description: "mean over seeds of the \(what) gap", units: "as recorded",
                          gap.meanGaps.map(\.estimate))
                    c.add("\(group)/\(name)_gap_low", shape: [g], description: "lower end of the 95% bootstrap interval of the mean gap",
                          units: "as recorded", gap.meanGaps.map(\.lower))
                    c.add("\(group)/\(name)_gap_high", shape: [g], description: "upper end of the 95% bootstrap interval of the mean gap",
                          units: "as recorded", gap.meanGaps.map(\.upper))
                }
                c.add("\(group)/mt_step", shape: [s, g], description: "step at which the MT run reached each level, per seed",
                      units: "steps", perSeed(loss) { $0.multiTaskSteps })
                c.groupAttributes[group] = [
                    "mean_gap": .double(loss.meanGap.estimate), "mean_gap_low": .double(loss.meanGap.lower),
                    "mean_gap_high": .double(loss.meanGap.upper), "gap_at_lowest": .double(loss.gapAtLowestLoss.estimate),
                    "gap_at_lowest_low": .double(loss.gapAtLowestLoss.lower), "gap_at_lowest_high": .double(loss.gapAtLowestLoss.upper),
                    "onset_step": .double(loss.onset?.step ?? .nan), "metric_mean_gap": .double(metric.meanGap.estimate),
                    "metric_mean_gap_low": .double(metric.meanGap.lower), "metric_mean_gap_high": .double(metric.meanGap.upper),
                ]
            }
            // Optimization effect on the first seed's steps, the others interpolated in step.
            if let reference = result.optimization.compactMap({ $0 }).first {
                let group = "/optimization/\(result.variant)/\(result.task)"
                let steps = reference.steps, k = steps.count
                let effects = result.optimization.map { effect in
                    steps.map { step in effect.flatMap { interpolatedInStep($0.steps, $0.differences, at: step) } ?? .nan }
                }
                c.add("\(group)/step", shape: [k], description: "steps of the comparison", units: "steps", steps)
                c.add("\(group)/effect", shape: [s, k], description: "MT - ST training loss at matched step, per seed",
                      units: "loss units", effects.flatMap { $0 })
                c.add("\(group)/effect_mean", shape: [k], description: "mean over seeds of the optimization effect", units: "loss units",
                      (0..<k).map { i in sampleMean(effects.map { $0[i] }.filter(\.isFinite)) })
            }
            // Factors on one grid shared by the seeds.
            for (name, differences) in result.factors {
                let present = differences.compactMap { $0 }
                guard let range = LossGrid.commonRange(present.flatMap { [$0.singleTask, $0.multiTask] }),
                      let grid = LossGrid(range: range) else { continue }
                let group = "/factors/\(result.variant)/\(result.task)/\(name)"
                let g = grid.levels.count
                func row(_ curve: EvaluationCurve?) -> [Double] { grid.levels.map { curve?.matchedValue(atTrainLoss: $0)?.value ?? .nan } }
                let st = differences.map { row($0?.singleTask) }, mt = differences.map { row($0?.multiTask) }
                c.add("\(group)/loss_grid", shape: [g], description: "training-loss levels, high to low", units: "loss units", grid.levels)
                c.add("\(group)/st", shape: [s, g], description: "ST \(name) at matched training loss, per seed", units: "as recorded", st.flatMap { $0 })
                c.add("\(group)/mt", shape: [s, g], description: "MT \(name) at matched training loss, per seed", units: "as recorded", mt.flatMap { $0 })
                c.add("\(group)/difference", shape: [s, g], description: "MT - ST \(name) at matched training loss, per seed",
                      units: "as recorded", zip(mt, st).flatMap { zip($0, $1).map { $0 - $1 } })
                c.groupAttributes[group] = ["mean_difference": .double(sampleMean(present.map(\.meanDifference).filter(\.isFinite)))]
            }
        }
        for variant in analysis.variants {
            let runs = analysis.runConflicts.filter { $0.variant == variant }
            guard let longest = runs.max(by: { $0.steps.count < $1.steps.count }) else { continue }
            let group = "/conflict/\(variant)", p = longest.pairs.count, k = longest.steps.count
            func padded(_ values: [Double]) -> [Double] { values + Array(repeating: .nan, count: k - values.count) }
            func statistic(_ pick: (ConflictSummary) -> Double) -> [Double] {
                runs.flatMap { run in run.statistics.map { stats in stats.map { pick($0.summary.whole) } ?? .nan } }
            }
            c.add("\(group)/step", shape: [k], description: "steps of the conflict rows", units: "steps", longest.steps)
            c.add("\(group)/cosine", shape: [runs.count, p, k], description: "cosine between the task gradients over the shared parameters",
                  units: "1", runs.flatMap { $0.cosines.flatMap(padded) })
            if runs.allSatisfy({ $0.directionalConflict != nil }) {
                c.add("\(group)/directional_conflict", shape: [runs.count, k], description: "|mean of unit task gradients|", units: "1",
                      runs.flatMap { padded($0.directionalConflict!) })
            }
            c.add("\(group)/mean_cosine", shape: [runs.count, p], description: "mean cosine over the run", units: "1",
                  statistic { $0.meanCosine })
            c.add("\(group)/conflict_fraction", shape: [runs.count, p], description: "share of rows with cosine < 0", units: "1",
                  statistic { $0.conflictFraction })
            c.add("\(group)/magnitude_similarity", shape: [runs.count, p], description: "mean of 2|g_i||g_j| / (|g_i|^2 + |g_j|^2)",
                  units: "1", statistic { $0.meanMagnitudeSimilarity })
            func windows(_ pick: @escaping (ConflictSummary) -> Double) -> [Double] {
                runs.flatMap { run in run.statistics.flatMap { stats in
                    StepWindow.allCases.map { w in stats.map { pick($0.summary[w]) } ?? .nan } } }
            }
            c.add("\(group)/mean_cosine_windows", shape: [runs.count, p, 3], description: "mean cosine in the early, middle and late thirds",
                  units: "1", windows { $0.meanCosine })
            c.add("\(group)/conflict_fraction_windows", shape: [runs.count, p, 3],
                  description: "share of rows with cosine < 0 in the early, middle and late thirds", units: "1", windows { $0.conflictFraction })
            c.groupAttributes[group] = ["pairs": .strings(longest.pairs), "seeds": .ints(runs.map(\.seed))]
        }
        for correlation in analysis.correlations {
            let group = "/correlations/\(correlation.name)", u = correlation.units.count
            c.add("\(group)/x", shape: [u], description: correlation.xLabel, units: "as labelled", correlation.x)
            c.add("\(group)/y", shape: [u], description: correlation.yLabel, units: "as labelled", correlation.y)
            c.groupAttributes[group] = [
                "x_label": .string(correlation.xLabel), "y_label": .string(correlation.yLabel), "units": .strings(correlation.units),
                "pearson": .double(correlation.pearson.coefficient), "pearson_low": .double(correlation.pearson.interval.lower),
                "pearson_high": .double(correlation.pearson.interval.upper), "pearson_p": .double(correlation.pearson.pValue),
                "spearman": .double(correlation.spearman.coefficient), "spearman_low": .double(correlation.spearman.interval.lower),
                "spearman_high": .double(correlation.spearman.interval.upper), "spearman_p": .double(correlation.spearman.pValue),
                "n": .int(Int64(correlation.pearson.count)),
            ]
        }
        let layout = RecordLayout(
            rootAttributes: [
                "schema": .string(schema), "study": .string(study),
                "created": .string(ISO8601DateFormatter().string(from: Date())), "tasks": .strings(analysis.tasks),
                "variants": .strings(analysis.variants), "seeds": .ints(analysis.seeds),
                "metric_names": .strings(analysis.tasks.map { task in analysis.results.first { $0.task == task }?.metricName ?? "metric" }),
                "conflict_source": .string(analysis.conflictSource.rawValue),
            ],
            groupAttributes: c.groupAttributes, datasets: c.specs)
        let writer = try RecordWriter(creating: path, layout: layout, overwrite: true)
        for (path, values) in c.values { try writer.writeFixed(path, values: values) }
        try writer.finish(status: "complete")
    }
}
