import ArgumentParser
import Foundation
import Training

/// How `tasktrace study --emit-jobs` hands the runs to another scheduler.
enum JobListFormat: String, ExpressibleByArgument, CaseIterable {
    /// `jobs.txt`: one shell command per line, for `parallel < jobs.txt`.
    case parallel
    /// `jobs.txt` and `jobs.slurm`, a Slurm job array running line `$SLURM_ARRAY_TASK_ID + 1`.
    case slurm
}

/// The commands that bring a study's records up to date, one `tasktrace record` per run
/// that needs work, decided from the records on disk like the built-in runner: missing
/// runs are recorded, stopped ones resumed, unusable files overwritten (`--force`);
/// complete and diverged runs are left out, and records of another configuration are
/// reported and left out.
struct StudyJobList {
    /// One shell command per line, absolute paths.
    var lines: [String] = []
    /// Runs left out because their record is complete or diverged.
    var settled = 0
    /// Runs left out because a record of another configuration holds their path (one line each).
    var foreign: [String] = []

    init(folder: StudyFolder, executable: String) {
        for run in folder.manifest.runs {
            let job = StudyJob(run: run, folder: folder)
            let arguments: [String]
            switch folder.state(of: run) {
            case .missing: arguments = job.freshArguments()
            case .resumable: arguments = job.resumeArguments
            case .unusable: arguments = job.freshArguments(overwrite: true)
            case .complete, .diverged:
                settled += 1
                continue
            case .foreign(let reason):
                foreign.append("run \(run.name): \(job.recordPath) exists, \(reason); remove it to record the run")
                continue
            }
            lines.append(shellCommand([executable] + arguments))
        }
    }

    /// The job lists of several studies as one (a comparison's learning rates).
    init(combining lists: [StudyJobList]) {
        lines = lists.flatMap(\.lines)
        settled = lists.reduce(0) { $0 + $1.settled }
        foreign = lists.flatMap(\.foreign)
    }

    /// `jobs.txt`'s text: the lines, each ending in a newline.
    var text: String { lines.map { $0 + "\n" }.joined() }

    /// A Slurm job-array script for `jobsFile` (absolute): array indices 0..<count, task i
    /// runs line i + 1 of the file with one core (and one BLAS thread) per task; Slurm's
    /// output goes to `logDirectory`.
    func slurmScript(jobsFile: String, logDirectory: String) -> String {
        """
        #!/bin/bash
        #SBATCH --job-name=tasktrace-study
        #SBATCH --array=0-\(lines.count - 1)
        #SBATCH --ntasks=1
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(logDirectory)/slurm-%A_%a.out
        # One tasktrace record per array task: line SLURM_ARRAY_TASK_ID + 1 of jobs.txt.
        set -euo pipefail
        export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}"
        line="$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" \(shellCommand([jobsFile])))"
        if [ -z "$line" ]; then
            echo "jobs.slurm: no line $((SLURM_ARRAY_TASK_ID + 1)) in \(jobsFile)" >&2
            exit 1
        fi
        eval "$line"

        """
    }
}
