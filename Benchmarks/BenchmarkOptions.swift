/// What one run of the Benchmarks executable does, from its command line:
/// ```
/// Benchmarks                            comparison rows and recording cost, printed
/// Benchmarks --comparison               the rows timed against PyTorch
/// Benchmarks --recording-cost           the price of recording every step
/// Benchmarks --same-work FOLDER         write the same-work files (see SameWorkManifest)
/// Benchmarks --comparison --json FILE   also append the comparison rows to FILE as JSON lines
/// ```
struct BenchmarkOptions {
    var comparison = false
    var recordingCost = false
    var sameWorkFolder: String?
    var jsonPath: String?

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    init(arguments: [String]) throws {
        var remaining = arguments[...]
        func value(of flag: String) throws -> String {
            guard let next = remaining.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            return next
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--comparison": comparison = true
            case "--recording-cost": recordingCost = true
            case "--same-work": sameWorkFolder = try value(of: argument)
            case "--json": jsonPath = try value(of: argument)
            default:
                throw UsageError(description: "unknown argument \(argument); use --comparison, --recording-cost, --same-work FOLDER, --json FILE")
            }
        }
        if arguments.isEmpty {
            comparison = true
            recordingCost = true
        }
        if jsonPath != nil && !comparison {
            throw UsageError(description: "--json writes the comparison rows: add --comparison")
        }
    }
}
