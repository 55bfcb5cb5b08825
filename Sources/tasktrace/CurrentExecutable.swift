import Foundation

/// The absolute path of the running `tasktrace` executable, which a study launches for its
/// runs: `/proc/self/exe` where it exists (Linux), else `CommandLine.arguments[0]` resolved
/// against the working directory or `PATH`.
func currentExecutablePath() -> String {
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        return target
    }
    let name = CommandLine.arguments[0]
    if name.contains("/") {
        return URL(fileURLWithPath: name).standardizedFileURL.resolvingSymlinksInPath().path
    }
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    for directory in directories {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return name
}
