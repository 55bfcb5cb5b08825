import Foundation
import Testing

/// Records a small synthetic run with the built binary into `name` inside `scratch`:
/// 40 steps of batch 32 with a checkpoint every 20 steps, plus `extra` flags.
func recordSmallRun(_ name: String, in scratch: ScratchDirectory, extra: [String] = [],
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let result = try tasktrace(["record", "--dataset", "synthetic", "--steps", "40", "--batch-size", "32",
                                "--checkpoint-every", "20", "--quiet", "--out", name] + extra, in: scratch.url)
    #expect(result.status == 0, "record failed: \(result.error)", sourceLocation: sourceLocation)
    return scratch.path(name)
}

/// Runs a Python script (h5py and numpy imported as `h5py`, `np`, `json`) in `scratch` and
/// returns its standard output; a failing script is a test failure with its error output.
@discardableResult
func h5py(_ script: String, in scratch: ScratchDirectory, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let result = try python("import json, h5py, numpy as np\n" + script, in: scratch.url)
    #expect(result.status == 0, "python failed: \(result.error)", sourceLocation: sourceLocation)
    return result.output
}

/// Parses one JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw FixtureError(message: "not a JSON object: \(text)")
    }
    return object
}

/// Expects a failed command: exit 2 and exactly one line on standard error that mentions
/// every string of `naming`.
func expectOneLineFailure(_ result: ProcessResult, naming: [String], _ comment: String = "",
                          sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 2, "\(comment): exit \(result.status), stderr \(result.error)", sourceLocation: sourceLocation)
    let lines = result.error.split(separator: "\n", omittingEmptySubsequences: true)
    #expect(lines.count == 1, "\(comment): \(result.error)", sourceLocation: sourceLocation)
    #expect(result.error.hasPrefix("tasktrace: "), "\(comment): \(result.error)", sourceLocation: sourceLocation)
    for text in naming {
        #expect(result.error.contains(text), "\(comment): '\(text)' not in \(result.error)", sourceLocation: sourceLocation)
    }
}

/// Whether `a` and `b` agree to `tolerance` relative to the larger magnitude (absolute below 1).
func nearlyEqual(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Whether the Fashion-MNIST files are installed (classification tests need them).
let fashionMNISTAvailable = FileManager.default.fileExists(
    atPath: ProcessInfo.processInfo.environment["TASKTRACE_FASHION_MNIST"].flatMap { $0.isEmpty ? nil : $0 }
        ?? "/usr/share/datasets/fashion-mnist")
