import Foundation
import Testing
@testable import Training

@Suite struct StudyManifestTests {
    /// Two seeds, two synthetic tasks, two MT variants: 4 ST and 4 MT runs.
    static let study = StudyConfiguration(
        seeds: [1, 2], out: "runs/tiny",
        base: RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 256), widths: [16], steps: 30, batchSize: 32),
        mt: [StudyVariant(name: "equal"), StudyVariant(name: "heavy", weights: [0.7, 0.3])])

    @Test func planListsTheRunsAndPairsThemBySeedAndTask() throws {
        let manifest = try StudyManifest(planning: Self.study)
        #expect(manifest.schema == "tasktrace-study/1")
        #expect(manifest.tasks == ["t0", "t1"])
        #expect(manifest.runs.map(\.file) == [
            "st-t0-seed1.h5", "st-t1-seed1.h5", "mt-equal-seed1.h5", "mt-heavy-seed1.h5",
            "st-t0-seed2.h5", "st-t1-seed2.h5", "mt-equal-seed2.h5", "mt-heavy-seed2.h5",
        ])
        let first = try #require(manifest.runs.first)
        #expect(first == StudyRun(name: "st-t0-seed1", mode: .st, task: "t0", variant: nil, weights: nil, seed: 1))
        #expect(first.configFile == "configs/st-t0-seed1.json")
        let heavy = try #require(manifest.run(named: "mt-heavy-seed2"))
        #expect(heavy.mode == .mt && heavy.variant == "heavy" && heavy.task == nil && heavy.seed == 2)
        #expect(heavy.weights == [0.7, 0.3])
        #expect(manifest.run(named: "mt-equal-seed1")?.weights == [0.5, 0.5])

        let expectedPairs: [StudyPair] = [1, 2].flatMap { (seed: UInt64) in
            ["equal", "heavy"].flatMap { variant in
                ["t0", "t1"].map {
                    StudyPair(task: $0, seed: seed, variant: variant, singleTaskFile: "st-\($0)-seed\(seed).h5",
                              multiTaskFile: "mt-\(variant)-seed\(seed).h5")
                }
            }
        }
        #expect(manifest.pairs == expectedPairs)
    }

    @Test func queriesFindRunsAndPairs() throws {
        let manifest = try StudyManifest(planning: Self.study)
        #expect(manifest.singleTaskRuns.count == 4 && manifest.multiTaskRuns.count == 4)
        #expect(manifest.singleTaskRun(task: "t1", seed: 2)?.file == "st-t1-seed2.h5")
        #expect(manifest.singleTaskRun(task: "t2", seed: 2) == nil)
        #expect(manifest.multiTaskRun(variant: "heavy", seed: 1)?.file == "mt-heavy-seed1.h5")
        #expect(manifest.run(file: "st-t0-seed1.h5")?.task == "t0")
        #expect(manifest.pairs(variant: "equal").count == 4)
        #expect(manifest.pairs(variant: "heavy", task: "t0").map(\.seed) == [1, 2])
        #expect(manifest.pairs(task: "t1", seed: 2).map(\.multiTaskFile) == ["mt-equal-seed2.h5", "mt-heavy-seed2.h5"])
        let mt = try #require(manifest.multiTaskRun(variant: "equal", seed: 2))
        #expect(manifest.pairedSingleTaskRuns(of: mt).mapValues(\.file) == ["t0": "st-t0-seed2.h5", "t1": "st-t1-seed2.h5"])
    }

    @Test func eachRunsConfigurationIsTheBaseWithItsTaskSeedAndWeights() throws {
        let manifest = try StudyManifest(planning: Self.study)
        var expected = Self.study.base
        expected.task = "t1"
        expected.seed = 2
        #expect(manifest.configuration(of: manifest.singleTaskRun(task: "t1", seed: 2)!) == expected)
        expected.task = nil
        expected.seed = 1
        expected.weights = [0.7, 0.3]
        #expect(manifest.configuration(of: manifest.multiTaskRun(variant: "heavy", seed: 1)!) == expected)
        expected.weights = nil
        #expect(manifest.configuration(of: manifest.multiTaskRun(variant: "equal", seed: 1)!) == expected)
        for run in manifest.runs { try manifest.configuration(of: run).validate() }
    }

    @Test func multiFashionPlansLeftAndRight() throws {
        var study = Self.study
        study.base.dataset = DatasetConfiguration(name: .multifashion)
        study.seeds = [7]
        study.mt = [StudyVariant(name: "left-heavy", weights: [0.7, 0.3])]
        let manifest = try StudyManifest(planning: study)
        #expect(manifest.runs.map(\.name) == ["st-left-seed7", "st-right-seed7", "mt-left-heavy-seed7"])
        #expect(manifest.pairs.map(\.singleTaskFile) == ["st-left-seed7.h5", "st-right-seed7.h5"])
    }

    @Test func planningValidatesTheStudy() {
        var study = Self.study
        study.seeds = []
        #expect(hyperparameterError { _ = try StudyManifest(planning: study) }?.field == "seeds")
    }

    @Test func studyJSONRoundTripsAndIsReadFromTheFolder() throws {
        let manifest = try StudyManifest(planning: Self.study)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("StudyManifestTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try manifest.encoded().write(to: folder.appendingPathComponent("study.json"))
        #expect(try StudyManifest(reading: folder) == manifest)
        #expect(try StudyManifest(reading: folder.appendingPathComponent("study.json")) == manifest)

        // The layout other tools read: keys of the document, a run and a pair.
        let json = try #require(try JSONSerialization.jsonObject(with: manifest.encoded()) as? [String: Any])
        #expect(Set(json.keys) == ["schema", "study", "tasks", "runs", "pairs"])
        let st = try #require((json["runs"] as? [[String: Any]])?.first)
        #expect(Set(st.keys) == ["name", "file", "configFile", "mode", "task", "seed"])
        let mt = try #require((json["runs"] as? [[String: Any]])?[2])
        #expect(Set(mt.keys) == ["name", "file", "configFile", "mode", "variant", "weights", "seed"])
        let pair = try #require((json["pairs"] as? [[String: Any]])?.first)
        #expect(pair["st"] as? String == "st-t0-seed1.h5" && pair["mt"] as? String == "mt-equal-seed1.h5")
        #expect(Set(pair.keys) == ["task", "seed", "variant", "st", "mt"])
    }

    @Test func unreadableManifestsNameTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("StudyManifestTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("study.json")
        func readError() -> StudyFileError? {
            do {
                _ = try StudyManifest(reading: folder)
                return nil
            } catch {
                return error as? StudyFileError
            }
        }
        #expect(readError()?.file == file.path)  // missing
        var json = try #require(try JSONSerialization.jsonObject(with: StudyManifest(planning: Self.study).encoded()) as? [String: Any])
        json["schema"] = "tasktrace-study/0"
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        #expect(readError()?.message.contains("schema") == true)
        json["schema"] = "tasktrace-study/1"
        json["pairs"] = [["task": "t0", "seed": 1, "variant": "equal", "st": "st-t0-seed1.h5", "mt": "mt-x-seed1.h5"]]
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        #expect(readError()?.message.contains("pairs[0]") == true)
        json["runs"] = 5
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        #expect(readError()?.message.contains("runs") == true)
    }
}
