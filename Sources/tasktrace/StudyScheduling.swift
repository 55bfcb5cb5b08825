import ArgumentParser
import Foundation

/// How the commands that plan studies (study, compare, sweep) run them: how many at a time,
/// or written as a job list for another scheduler, and whether to draw a progress line.
struct StudyScheduling: ParsableArguments {
    @Option(help: "Runs at a time (default: the number of cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Write the runs as a job list for GNU parallel or a Slurm job array instead of running them.",
                               valueName: "parallel|slurm"))
    var emitJobs: JobListFormat?

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
    }

    /// Runs at a time: --jobs, else one per core.
    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }
}
