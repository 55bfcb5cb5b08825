import Foundation

/// A study's one progress line on standard error, rewritten in place: runs done of the
/// total, runs going on, failures and the estimated time left (from the pace of the runs
/// finished so far). Silent when standard error is not a terminal or when asked to be quiet.
struct StudyProgressLine {
    let total: Int
    let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var shown = false

    init(total: Int, quiet: Bool) {
        self.total = total
        self.enabled = !quiet && isatty(FileHandle.standardError.fileDescriptor) != 0
    }

    /// Redraws the line: `done` runs of `total` (skipped ones included), `finishedHere` of
    /// them run by this command (they set the pace), `running` going on, `failed` failed.
    mutating func draw(done: Int, finishedHere: Int, running: Int, failed: Int) {
        guard enabled else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let eta = finishedHere > 0 ? duration(Double(total - done) * elapsed / Double(finishedHere)) : "?"
        var line = "runs \(done)/\(total) done, \(running) running"
        if failed > 0 { line += ", \(failed) failed" }
        line += ", elapsed \(duration(elapsed)), ETA \(eta)"
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        shown = true
    }

    /// Erases the line, so that a message can be printed in its place (then draw again).
    mutating func clear() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
