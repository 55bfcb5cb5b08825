import Foundation
import Testing
import Records
@testable import Analysis

@Suite struct StudyAnalysisTests {
    @Test func aGapOfExactlyOneTenthIsReportedAsOneTenth() throws {
        let folder = try StudyFixtures.Folder()
        defer { folder.remove() }
        let analysis = try StudyAnalysis(runs: try StudyFixtures.study(in: folder), components: [.gaps])
        #expect(analysis.tasks == ["a", "b"] && analysis.variants == ["equal"] && analysis.seeds == [1, 2, 3])
        #expect(analysis.results.count == 2)
        for result in analysis.results {
            let gap = try #require(result.lossGap)
            #expect(abs(gap.meanGap.estimate - 0.1) < 1e-12)
            #expect(abs(gap.gapAtLowestLoss.estimate - 0.1) < 1e-12)
            #expect(gap.meanGaps.allSatisfy { abs($0.estimate - 0.1) < 1e-12 })
            // Identical gaps in every seed: the interval collapses onto 0.1 and excludes 0 from the start.
            #expect(abs(gap.meanGap.lower - 0.1) < 1e-12 && abs(gap.meanGap.upper - 0.1) < 1e-12)
            #expect(gap.onset?.levelIndex == 0)
            // The metric was recorded without a gap.
            #expect(abs(try #require(result.metricGap).meanGap.estimate) < 1e-12)
            // MT trains faster (smaller decay constant): negative optimization effect at matched step.
            #expect(result.optimization.allSatisfy { ($0?.mean.whole ?? 0) < 0 })
        }
        let table = analysis.gapTable
        #expect(table.rows.count == 2)
        #expect(table.rows[0][3] == .number(analysis.results[0].lossGap!.meanGap.estimate))
    }

    @Test func conflictAndFactorsFromProbeRows() throws {
        let folder = try StudyFixtures.Folder()
        defer { folder.remove() }
        let analysis = try StudyAnalysis(runs: try StudyFixtures.study(in: folder, probe: true))
        #expect(analysis.runConflicts.count == 3 && analysis.runConflicts[0].pairs == ["a|b"])
        // The cosine falls linearly from 0.5 to -0.5 at steps 0, 50, ..., 500: mean 0, and
        // the rows with cosine < 0 are steps 300..500 (5 of 11).
        let statistics = try #require(analysis.runConflicts[0].statistics[0])
        #expect(abs(statistics.summary.whole.meanCosine) < 1e-12)
        #expect(abs(statistics.summary.whole.conflictFraction - 5.0 / 11) < 1e-12)
        #expect(abs(statistics.summary.whole.meanMagnitudeSimilarity - 1) < 1e-12)
        #expect(abs(statistics.summary.whole.meanDirectionalConflict - 0.8) < 1e-12)
        // Sharpness of the MT runs is the ST one plus 1 at the same step; the hand-made Hessian
        // trace is 50 everywhere, so its difference is 0.
        let result = analysis.results[0]
        #expect(result.factors["hessian_trace"]!.allSatisfy { abs($0!.meanDifference) < 1e-12 })
        #expect(result.factors["sharpness"]!.allSatisfy { $0 != nil })
        #expect(analysis.correlations.map(\.name).contains("conflict_vs_gap"))
        #expect(analysis.correlations.first { $0.name == "conflict_vs_gap" }!.x.count == 6)
    }

    @Test func aMissingDatasetIsNamed() throws {
        let folder = try StudyFixtures.Folder()
        defer { folder.remove() }
        var runs = try StudyFixtures.study(in: folder, seeds: [1])
        try StudyFixtures.writeRecord(folder.file("broken.h5"), tasks: ["a", "b"], mode: .mt, seed: 1, decay: [80, 90],
                                      offset: [0, 0], omit: "/eval/val_loss")
        runs[2] = StudyRecord(file: folder.file("broken.h5"), mode: .mt, variant: "equal", seed: 1)
        #expect(throws: AnalysisError.missingDataset(file: folder.file("broken.h5"), path: "/eval/val_loss",
                                                     neededFor: "matched-loss gaps")) {
            try StudyAnalysis(runs: runs, components: [.gaps])
        }
        // Probe rows are required only when conflict is asked for.
        let withoutProbes = try StudyFixtures.study(in: folder, seeds: [2])
        #expect(throws: AnalysisError.self) { try StudyAnalysis(runs: withoutProbes, components: [.gaps, .conflict]) }
        #expect(try StudyAnalysis(runs: withoutProbes, components: [.gaps, .conflict], conflictSource: .minibatch).runConflicts.count == 1)
    }

    @Test func runsThatDoNotPairAreRefusedNamingTheFiles() throws {
        let folder = try StudyFixtures.Folder()
        defer { folder.remove() }
        var runs = try StudyFixtures.study(in: folder, seeds: [1])
        try StudyFixtures.writeRecord(folder.file("other.h5"), tasks: ["a", "b"], mode: .mt, seed: 1, decay: [80, 90], offset: [0, 0],
                                      dataset: #"{"name":"synthetic","rho":0.9}"#)
        runs[2] = StudyRecord(file: folder.file("other.h5"), mode: .mt, variant: "equal", seed: 1)
        do {
            _ = try StudyAnalysis(runs: runs, components: [.gaps])
            Issue.record("runs of different datasets were paired")
        } catch let error as AnalysisError {
            #expect(error.description.contains("other.h5") && error.description.contains("different datasets"))
        }
        // An MT run with no ST partner of its seed.
        let lonely = [StudyRecord(file: folder.file("other.h5"), mode: .mt, variant: "equal", seed: 7)]
        #expect(throws: AnalysisError.self) { try StudyAnalysis(runs: lonely, components: [.gaps]) }
        // A file that is HDF5 but not a record.
        let writer = try RecordWriter(creating: folder.file("plain.h5"), layout: RecordLayout(datasets: [
            .fixed("/x", .float64, shape: [1], description: "x", units: "1")]))
        try writer.finish(status: "complete")
        #expect(throws: AnalysisError.notARecord(file: folder.file("plain.h5"), schema: nil)) {
            try RecordedTrajectory(file: folder.file("plain.h5"), parts: [.evaluation])
        }
    }

    @Test func theAnalysisFileHoldsTheCurvesAndSummaries() throws {
        let folder = try StudyFixtures.Folder()
        defer { folder.remove() }
        let analysis = try StudyAnalysis(runs: try StudyFixtures.study(in: folder, probe: true))
        let path = folder.file("analysis.h5")
        try AnalysisFile.write(analysis, study: folder.path, to: path)
        let reader = try RecordReader(path)
        defer { reader.close() }
        #expect(try reader.stringAttribute("schema") == AnalysisFile.schema)
        #expect(try reader.stringArrayAttribute("variants") == ["equal"])
        let gapMean = try reader.readDoubles("/gap/equal/a/val_loss_gap_mean")
        #expect(!gapMean.isEmpty && gapMean.allSatisfy { abs($0 - 0.1) < 1e-12 })
        #expect(try reader.shape("/gap/equal/a/val_loss_gap") == [3, gapMean.count])
        #expect(abs(try reader.doubleAttribute("mean_gap", of: "/gap/equal/b") - 0.1) < 1e-12)
        #expect(try reader.shape("/conflict/equal/cosine") == [3, 1, 11])
        #expect(try reader.stringArrayAttribute("pairs", of: "/conflict/equal") == ["a|b"])
        #expect(try reader.shape("/factors/equal/a/sharpness/difference").first == 3)
        #expect(try reader.readDoubles("/correlations/conflict_vs_gap/x").count == 6)
        #expect(try reader.stringAttribute("description", of: "/gap/equal/a/loss_grid").isEmpty == false)
    }
}
