import Foundation
import Training

/// One run of a study and the `tasktrace record` commands that make its record, with
/// absolute paths (the same from any working directory, any machine sharing the folder).
struct StudyJob {
    let run: StudyRun
    let folder: StudyFolder

    /// The record, absolute.
    var recordPath: String { folder.path(run.file) }

    /// `tasktrace record` arguments that record the run from its configuration file;
    /// `overwrite` adds `--force` (replaces an unusable file in place).
    func freshArguments(overwrite: Bool = false) -> [String] {
        ["record", "--config", folder.path(run.configFile), "--out", recordPath, "--quiet"] + (overwrite ? ["--force"] : [])
    }

    /// `tasktrace record` arguments that continue the stopped run in its record.
    var resumeArguments: [String] { ["record", "--resume", recordPath, "--quiet"] }

    /// The log of the run's child processes, `logs/<run>.log`.
    var logPath: String { folder.path("logs/\(run.name).log") }
}

/// `words` as one POSIX shell command line: words made only of safe characters stay as
/// they are, others are single-quoted.
func shellCommand(_ words: [String]) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    return words.map { word in
        !word.isEmpty && word.allSatisfy(safe.contains) ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }.joined(separator: " ")
}
