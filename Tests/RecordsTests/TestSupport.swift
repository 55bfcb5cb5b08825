import Foundation
import Records

/// A fresh directory under the system temporary directory. Tests remove it with
/// `defer { dir.remove() }` (not in `deinit`: Swift may release an object right after its
/// last use, while files in the directory are still being written).
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("RecordsTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Path of a file `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Deletes the directory and everything in it.
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Result of a finished subprocess.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments`, waits, and returns its exit status and output.
func run(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Debian's Python, which has h5py (the pyenv `python3` first on PATH does not).
let systemPython = "/usr/bin/python3"

/// Whether h5py can be used from the system Python (tests that need it are skipped otherwise).
let h5pyAvailable: Bool = {
    guard FileManager.default.isExecutableFile(atPath: systemPython) else { return false }
    return (try? run(systemPython, ["-c", "import h5py"]).status) == 0
}()

/// Whether h5dump is installed (Debian package hdf5-tools).
let h5dumpAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/h5dump")

/// Runs a Python script with h5py under the system Python; the record path is `sys.argv[1]`.
/// Returns the script's stdout (trimmed); throws when the script fails.
func python(_ script: String, _ file: String) throws -> String {
    let result = try run(systemPython, ["-c", "import sys, json, h5py, numpy as np\n" + script, file])
    guard result.status == 0 else { throw ScriptError(message: result.stderr) }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct ScriptError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A small layout exercising every kind of dataset: scalar, vector and matrix rows of all
/// three appendable types, a compressed big-row dataset and fixed arrays.
func sampleLayout(tasks: Int = 3) -> RecordLayout {
    RecordLayout(
        rootAttributes: ["schema": .string("test/1"), "seed": .int(42), "scale": .double(0.5)],
        groupAttributes: ["/tasks": ["names": .strings(["a", "b", "c"].prefix(tasks).map { $0 }),
                                     "mode": .string("mt")]],
        datasets: [
            .appendable("/train/step", .int64, description: "optimizer step", units: "steps"),
            .appendable("/train/loss", .float64, row: [tasks], description: "per-task minibatch loss", units: "nats"),
            .appendable("/train/lr", .float32, description: "learning rate", units: "1"),
            .appendable("/grads/cosine", .float64, row: [tasks, tasks], description: "cosine", units: "1",
                        chunkRows: 4),
            .appendable("/snapshots/grad", .float32, row: [tasks, 1000], description: "task gradients",
                        units: "nats per parameter unit", gzipLevel: 4),
            .fixed("/checkpoint/parameters", .float32, shape: [2, 5], description: "parameters", units: "1"),
            .fixed("/checkpoint/rng", .uint64, shape: [4], description: "RNG state", units: "1"),
            .fixed("/checkpoint/step", .int64, shape: [1], description: "step of the checkpoint", units: "steps",
                   fillValue: -1),
        ])
}
