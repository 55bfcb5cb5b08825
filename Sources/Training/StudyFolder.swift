import Foundation

/// A study's folder: `study.json`, `configs/<run>.json` and the records `<run>.h5`.
public struct StudyFolder: Sendable {
    /// The folder, absolute.
    public let url: URL
    /// The study's plan.
    public let manifest: StudyManifest

    /// The folder at `path` (relative to the working directory) for `manifest`.
    public init(path: String, manifest: StudyManifest) {
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        self.manifest = manifest
    }

    /// `study.json`'s path.
    public var manifestURL: URL { url.appendingPathComponent(StudyManifest.fileName) }

    /// The absolute path of `relative` (a run's file or config file) in the folder.
    public func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// The state of `run`'s record on disk, checked against its planned configuration.
    public func state(of run: StudyRun) -> StudyRecordState {
        StudyRecordState(checking: path(run.file), planned: manifest.configuration(of: run))
    }

    /// Creates the folder and writes the plan: `study.json` and every run's configuration
    /// (`configs/<run>.json`, pretty JSON with sorted keys). Files whose content is already
    /// the same are left alone. Refuses a folder whose `study.json` plans another study
    /// (`out` aside), or one that cannot be read, so that records of different studies never mix.
    public func writePlan() throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: manifestURL.path) {
            let existing = try StudyManifest(reading: manifestURL)
            var mine = manifest.study, theirs = existing.study
            mine.out = nil
            theirs.out = nil
            guard mine == theirs, existing.runs == manifest.runs else {
                throw StudyFileError(file: manifestURL.path, message: "the folder holds another study (its seeds, base or mt differ); use another folder or remove it")
            }
        }
        try manager.createDirectory(at: url.appendingPathComponent("configs"), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for run in manifest.runs {
            try Self.write(try encoder.encode(manifest.configuration(of: run)) + Data("\n".utf8), to: path(run.configFile))
        }
        try Self.write(try manifest.encoded(), to: manifestURL.path)
    }

    /// Writes `data` to `path` atomically unless the file already holds exactly `data`.
    static func write(_ data: Data, to path: String) throws {
        if FileManager.default.contents(atPath: path) == data { return }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
