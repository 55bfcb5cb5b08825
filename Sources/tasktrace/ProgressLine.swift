import Foundation

/// A single progress line on standard error, rewritten in place: step, per-task loss,
/// steps per second and the estimated time left. Silent when standard error is not a
/// terminal or when asked to be quiet.
struct ProgressLine {
    let total: Int
    let taskNames: [String]
    let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var firstStep: Int?

    init(total: Int, taskNames: [String], quiet: Bool) {
        self.total = total
        self.taskNames = taskNames
        self.enabled = !quiet && isatty(FileHandle.standardError.fileDescriptor) != 0
    }

    /// Redraws the line after `step` steps (at most ten times a second).
    mutating func update(step: Int, losses: [Double]) {
        guard enabled else { return }
        if firstStep == nil { firstStep = step - 1 }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 100_000_000 || step == total else { return }
        lastDraw = now
        let elapsed = Double(now - start) * 1e-9
        let rate = Double(step - (firstStep ?? 0)) / max(elapsed, 1e-9)
        let remaining = rate > 0 ? Double(total - step) / rate : 0
        let lossText = zip(taskNames, losses).map { "\($0) \(String(format: "%.4f", $1))" }.joined(separator: "  ")
        let line = String(format: "step %d/%d  %@  %.1f steps/s  ETA %@", step, total, lossText, rate, duration(remaining))
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    /// Ends the line so that later output starts on a fresh one.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// `m:ss` or `h:mm:ss`.
func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}
