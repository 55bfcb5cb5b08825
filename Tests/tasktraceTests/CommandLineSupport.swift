import Foundation

/// The result of running a program to its end.
struct ProcessResult {
    var status: Int32
    var output: String
    var error: String
}

/// The `tasktrace` executable built beside the test bundle.
let tasktraceExecutable: URL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("tasktrace")

/// Debian's python3, which has h5py (python3-h5py); not a pyenv python on PATH.
let systemPython = URL(fileURLWithPath: "/usr/bin/python3")

/// Starts `executable` with `arguments` in `directory`, with `environment` added to this
/// process's, standard input from `input` (else empty), output captured to files.
func start(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
           input: URL? = nil) throws -> (Process, URL, URL) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let output = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
    let error = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: error.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: error)
    process.standardInput = try input.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
    try process.run()
    return (process, output, error)
}

/// Runs `executable` to its end, as `start` starts it.
func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
         input: URL? = nil) throws -> ProcessResult {
    let (process, output, error) = try start(executable, arguments, in: directory, environment: environment, input: input)
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         output: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
                         error: (try? String(contentsOf: error, encoding: .utf8)) ?? "")
}

/// Runs `tasktrace` with `arguments`.
func tasktrace(_ arguments: [String], in directory: URL) throws -> ProcessResult {
    try run(tasktraceExecutable, arguments, in: directory)
}

/// Runs a Python script with Debian's python3 and h5py; its standard output is returned.
func python(_ script: String, in directory: URL) throws -> ProcessResult {
    try run(systemPython, ["-c", script], in: directory)
}

/// A fresh temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tasktrace-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
