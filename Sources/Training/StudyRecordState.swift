import Foundation
import Records

/// What a study finds at a run's record path, and so what it does with the run.
public enum StudyRecordState: Sendable, Equatable {
    /// No file: run it.
    case missing
    /// Status `complete` and closed cleanly: skip it.
    case complete
    /// Status `diverged`: a result; keep it, report it, do not run it again.
    case diverged
    /// Stopped before its end: status `interrupted`, or not closed cleanly (its writer was
    /// killed), or still `running`. Continue it with `tasktrace record --resume`; if that
    /// fails, delete it and run it again.
    case resumable(reason: String)
    /// Not a readable record (not HDF5, another schema, a header that cannot be read), or
    /// `complete` but not closed cleanly (resume refuses a complete run): delete it and run
    /// it again.
    case unusable(reason: String)
    /// A readable record of another configuration than the planned one: never touched; the
    /// study reports it as a failed run.
    case foreign(reason: String)

    /// Checks the record at `path` (opened in SWMR-read mode: also a killed writer's file)
    /// against `planned`, the configuration the study gives the run. The record's `config`
    /// is the planned one with its defaults resolved, so every field given in `planned`
    /// must appear in it with the same value; a field the record does not name (written by a
    /// version before the field existed) counts with its default.
    public init(checking path: String, planned: RunConfiguration) {
        guard FileManager.default.fileExists(atPath: path) else {
            self = .missing
            return
        }
        let header: TrajectoryHeader, cleanlyClosed: Bool
        do {
            let reader = try RecordReader(path)
            defer { reader.close() }
            header = try TrajectoryHeader(reading: reader)
            cleanlyClosed = reader.cleanlyClosed
        } catch {
            self = .unusable(reason: "not a readable record: \(error)")
            return
        }
        do {
            let recorded = try Self.recordedConfiguration(header.config)
            if let field = try JSONValue(encoding: planned).firstDifference(from: recorded) {
                self = .foreign(reason: "recorded with another configuration (field \(field) differs from the plan)")
                return
            }
        } catch {
            self = .unusable(reason: "its config attribute is not JSON")
            return
        }
        switch (header.status, cleanlyClosed) {
        case (RunStatus.complete.rawValue, true): self = .complete
        case (RunStatus.complete.rawValue, false): self = .unusable(reason: "status complete but not closed cleanly")
        case (RunStatus.diverged.rawValue, _): self = .diverged
        case (RunStatus.interrupted.rawValue, _): self = .resumable(reason: "interrupted")
        case (RunStatus.running.rawValue, false): self = .resumable(reason: "not closed cleanly (its writer was killed or is still running)")
        case (RunStatus.running.rawValue, true): self = .resumable(reason: "status running")
        case (let status, _): self = .unusable(reason: "unknown status '\(status)'")
        }
    }

    /// The record's `config` as written, plus the default of every top-level field it does not
    /// name (a record made before a field such as `model` or `dropout` existed trained with its
    /// default). Values the record gives stay as written, so numbers compare exactly.
    static func recordedConfiguration(_ text: String) throws -> JSONValue {
        let data = Data(text.utf8)
        let written = try JSONDecoder().decode(JSONValue.self, from: data)
        guard case .object(var fields) = written,
              let configuration = try? JSONDecoder().decode(RunConfiguration.self, from: data),
              case .object(let complete) = try JSONValue(encoding: configuration) else { return written }
        for (key, value) in complete where fields[key] == nil { fields[key] = value }
        return .object(fields)
    }
}
