import ArgumentParser
import Foundation
import Training

/// The best scalarization of a sweep (a study folder written by `tasktrace study` or
/// `tasktrace sweep`): among the MT variants that train by scalarization (method absent or
/// "scalarization"), the one with the highest mean over seeds of the final fitness (the
/// PBT's definition, from each record's last `/eval` row).
struct SweepBestScalarization {
    /// The variant's name.
    var variant: String
    /// Its weights, one per task.
    var weights: [Double]
    /// The seeds whose records entered the mean.
    var seedCount: Int
    /// Per-task validation metric, mean over seeds.
    var validationMetrics: [Double]
    /// Per-task test metric, mean over seeds, when every record has one.
    var testMetrics: [Double]?
    /// Mean over seeds of the final fitness.
    var fitness: Double
    /// Optimizer steps of the whole sweep: the steps of every MT run of the study, summed.
    var cost: Int

    /// Finds the best scalarization in the study folder `folder` for a PBT over `taskNames`.
    /// Runs whose record is missing or has no evaluation are left out (reported through
    /// `skipped`).
    /// - Throws: `StudyFileError` for an unreadable `study.json`, `ValidationError` when the
    ///   sweep's tasks differ or no scalarization record can be read.
    init(folder: URL, taskNames: [String], fitness kind: PBTConfiguration.Fitness, skipped: (String) -> Void) throws {
        let manifest = try StudyManifest(reading: folder)
        guard manifest.tasks == taskNames else {
            throw ValidationError("--sweep \(folder.path): its tasks (\(manifest.tasks.joined(separator: ", "))) differ from the PBT's (\(taskNames.joined(separator: ", ")))")
        }
        var cost = 0
        var best: SweepBestScalarization?
        for variant in manifest.study.mt {
            let runs = manifest.multiTaskRuns.filter { $0.variant == variant.name }
            var results: [RecordFinalResult] = []
            for run in runs {
                let configuration = manifest.configuration(of: run)
                do {
                    let result = try RecordFinalResult(record: folder.appendingPathComponent(run.file).path)
                    cost += result.steps
                    if configuration.method == "scalarization" { results.append(result) }
                } catch {
                    cost += configuration.steps ?? 0
                    skipped("\(run.file): \(error)")
                }
            }
            guard !results.isEmpty else { continue }
            let count = Double(results.count)
            func mean(_ rows: [[Double]]) -> [Double] {
                taskNames.indices.map { t in rows.reduce(0) { $0 + $1[t] } / count }
            }
            let tests = results.compactMap(\.testMetrics)
            let candidate = SweepBestScalarization(
                variant: variant.name, weights: variant.resolvedWeights(taskCount: taskNames.count), seedCount: results.count,
                validationMetrics: mean(results.map(\.validationMetrics)),
                testMetrics: tests.count == results.count ? mean(tests) : nil,
                fitness: results.reduce(0) { $0 + $1.fitness(kind) } / count, cost: 0)
            if best == nil || candidate.fitness > best!.fitness { best = candidate }
        }
        guard var best else {
            throw ValidationError("--sweep \(folder.path): no readable record of a scalarization MT variant")
        }
        best.cost = cost
        self = best
    }

    init(variant: String, weights: [Double], seedCount: Int, validationMetrics: [Double], testMetrics: [Double]?,
         fitness: Double, cost: Int) {
        self.variant = variant
        self.weights = weights
        self.seedCount = seedCount
        self.validationMetrics = validationMetrics
        self.testMetrics = testMetrics
        self.fitness = fitness
        self.cost = cost
    }
}
