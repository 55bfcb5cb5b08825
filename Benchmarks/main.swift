// TaskTrace speed benchmarks. Build and run in release: `make bench` (never part of the tests).
// Options: see BenchmarkOptions.
import Foundation
import Linalg

precondition(keepLargeBuffersOnTheHeap(), "the allocator refused the large-buffer settings")
let options: BenchmarkOptions
do {
    options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("Benchmarks: \(error)\n".utf8))
    exit(2)
}
if let folder = options.sameWorkFolder {
    for bench in try comparisonModels() {
        try exportSameWork(bench, to: URL(fileURLWithPath: folder))
    }
}
if options.comparison {
    try runComparison(sink: ResultSink(path: options.jsonPath))
}
if options.recordingCost {
    if options.comparison { print() }
    try benchmarkRecordingCost()
}
