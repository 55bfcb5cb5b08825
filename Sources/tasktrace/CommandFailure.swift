import ArgumentParser
import Foundation

/// Prints `message` as one line on standard error and returns the exit code to throw:
/// 2 for bad input (flags, configurations, data files, records), as the CLI promises.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
    FileHandle.standardError.write(Data("tasktrace: \(message)\n".utf8))
    return ExitCode(code)
}

/// Runs `body`, turning any error other than an exit code into a one-line message and exit 2.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw fail(String(describing: error))
    }
}
