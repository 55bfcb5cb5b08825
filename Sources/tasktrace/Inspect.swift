import ArgumentParser
import Foundation
import Records

/// `tasktrace inspect`: a one-screen summary of one record, or the same as JSON.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarize one record: header, status, tasks, configuration, rows, last losses, checkpoint.",
        discussion: """
        Validates the file against the record schema tasktrace/1 and prints one
        screen: file, schema, tool version, creation time, status, mode (ST/MT),
        tasks with kinds and metrics, the key configuration (dataset and its size,
        widths, optimizer and learning rate, batch size, steps or epochs, seed, task
        weights), row counts (train steps, evaluations, probes, snapshots), the last
        step and its minibatch losses, the last evaluation and the checkpoint step.

        A record whose writer was killed or is still running stays marked "open for
        writing"; inspect says so: rows up to the last flush are readable, and
        `tasktrace record --resume FILE` continues the run. Such a record may show
        datasets of one group with unequal row counts (stopped mid-flush); the
        summary then uses the smallest count and adds a warning.

        --json prints one JSON object. Every key is always present (null when it
        does not apply); per-task arrays follow the order of "tasks"; NaN and
        infinite numbers are null.
          file, schema, tool_version, created, status
                           root attributes; status: running | complete | diverged |
                           interrupted
          cleanly_closed   false when the file is still marked open for writing
          warnings         [string]: not closed cleanly, unequal row counts
          mode             "st" or "mt"
          tasks            [{name, kind, metric, loss_units, metric_units}]
          config           null when unreadable, else {dataset: {name, train_count,
                           validation_count, task_count, rho (null unless synthetic
                           with one rho), data_seed}, task (null for MT), widths,
                           activation, optimizer, learning_rate, schedule,
                           batch_size, steps, epochs, total_steps, seed, weights
                           (per task: given or equal)}
          config_error     null, or why the config attribute cannot be read
          rows             {train, eval, probe, snapshots}: rows readable; probe
                           and snapshots are null when not recorded
          last_step        step of the last /train row (0-based), or null
          last_train_loss  per-task minibatch losses of that row, or null
          last_eval        null, or {step, train_loss, val_loss, train_metric,
                           val_metric}; the metric of task i is tasks[i].metric
          checkpoint_step  steps completed at the last checkpoint, null when none

        Bad input (no such file, not HDF5, not a tasktrace/1 record, a missing or
        mis-shaped dataset) gives one line naming the file and the dataset or
        attribute, and exit 2.

        Examples:
          tasktrace inspect run.h5
          tasktrace inspect run.h5 --json | jq .last_eval.val_loss
        """)

    @Argument(help: ArgumentHelp("The record (an HDF5 file of schema tasktrace/1).", valueName: "file"))
    var file: String

    @Flag(help: "Print one JSON object instead of the text summary.")
    var json = false

    func run() throws {
        let output = try reportingErrors { () -> String in
            let reader = try RecordReader(file)
            defer { reader.close() }
            let summary = try RecordSummary(reading: reader)
            return json ? try summary.jsonText() : summary.text
        }
        print(output)
    }
}
