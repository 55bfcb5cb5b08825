import Foundation

/// One timed row of the comparison, written as one JSON line, e.g.
/// `{"model":"mlp","row":"mt_step","seconds":[0.0061,...],"side":"tasktrace"}`.
/// `Benchmarks/reference/table.py` reads these lines from both sides.
struct TimingResult: Encodable {
    /// `tasktrace` here, `pytorch` on the reference side.
    var side = "tasktrace"
    /// What was timed: `mt_step`, `gradient`, `hvp`, `top_eigenvalue`, `gemm_step`, `gemm_bare`.
    var row: String
    /// The model's name (`mlp`, `tiny`, ...).
    var model: String
    /// Wall time of every timed repetition, in seconds.
    var seconds: [Double]
    /// Floating-point operations per repetition, when counted.
    var flops: Double?
    /// Operator applications per repetition (the eigenvalue rows).
    var iterations: Int?
}

/// Prints each result for a reader and, given a path, appends it as a JSON line.
struct ResultSink {
    /// The JSON-lines file to append to; nil prints only.
    var path: String?

    func emit(_ result: TimingResult, label: String) throws {
        let middle = median(result.seconds)
        var line = "  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(format(middle))  (median of \(result.seconds.count))"
        if let flops = result.flops { line += String(format: "  %6.1f GFLOP/s", flops / middle / 1e9) }
        print(line)
        guard let path else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(result)
        data.append(0x0A)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
    }
}
