import Foundation
import Testing
@testable import Training

@Suite struct StudyFolderTests {
    @Test func writesTheManifestAndEveryRunsConfiguration() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("StudyFolderTests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let manifest = try StudyManifest(planning: StudyManifestTests.study)
        let folder = StudyFolder(path: path, manifest: manifest)
        try folder.writePlan()
        #expect(try StudyManifest(reading: folder.url) == manifest)
        for run in manifest.runs {
            let data = try #require(FileManager.default.contents(atPath: folder.path(run.configFile)))
            #expect(try JSONDecoder().decode(RunConfiguration.self, from: data) == manifest.configuration(of: run))
        }

        // Writing the same plan again leaves the files alone; another out is fine.
        let configFile = folder.path(manifest.runs[0].configFile)
        let before = try FileManager.default.attributesOfItem(atPath: configFile)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.01)
        var moved = manifest.study
        moved.out = "elsewhere"
        try StudyFolder(path: path, manifest: StudyManifest(planning: moved)).writePlan()
        #expect(try FileManager.default.attributesOfItem(atPath: configFile)[.modificationDate] as? Date == before)

        // Another study in the same folder is refused, naming study.json.
        var other = manifest.study
        other.seeds = [1, 2, 3]
        do {
            try StudyFolder(path: path, manifest: StudyManifest(planning: other)).writePlan()
            Issue.record("another study was accepted")
        } catch let error as StudyFileError {
            #expect(error.file.hasSuffix("study.json"))
        }
    }
}
