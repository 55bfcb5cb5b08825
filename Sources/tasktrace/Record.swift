import ArgumentParser
import Foundation
import Records
import Training

/// `tasktrace record`: trains one run and records its trajectory into an HDF5 file.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one run and record its whole trajectory into an HDF5 file (schema tasktrace/1).",
        discussion: """
        Every step appends per-task minibatch losses, weights, learning rate, the Gramian and cosines of the task gradients over the shared parameters and the update norm; every --eval-every steps, per-task loss and metric on the train-eval subset and the validation split; every --probe-every steps, the trajectory factors on a fixed probe batch. Rows are flushed every --flush-every steps: h5py reads the file while the run goes on (h5py.File(path, "r", swmr=True)).

        A checkpoint every --checkpoint-every steps lets `--resume FILE` continue a stopped run; rows written after the last checkpoint are dropped and recomputed, so a resumed run writes the same rows, bit for bit, as an uninterrupted one. SIGINT or SIGTERM stop at the next step with a checkpoint (status interrupted, exit 130 or 143). A loss or gradient that becomes NaN or infinite ends the run as diverged (exit 3).

        Examples:
          tasktrace record --dataset synthetic --steps 300 --seed 1 --out mt.h5
          tasktrace record --dataset synthetic --steps 300 --task t0 --out st0.h5
          tasktrace record --dataset multifashion --weights 0.7,0.3 --out mt.h5
          tasktrace record --dataset multifashion --method pcgrad --out pc.h5
          tasktrace record --dataset multidomain --domains original,inverted
                           --scalarization sampling --shared-head --out md.h5
          tasktrace record --config run.toml --seed 2 --out run2.h5
          tasktrace record --resume mt.h5
        """)

    @OptionGroup var runOptions: RunOptions

    @Option(help: "Path of the record to write.")
    var out: String?

    @Flag(help: "Overwrite an existing record at --out.")
    var force = false

    @Option(help: "Continue the stopped run recorded in this file (takes no run flags).")
    var resume: String?

    @Option(help: "Steps between probes of the trajectory factors (0: none; default 0).")
    var probeEvery: Int?

    @Option(help: "Steps between flushes of buffered rows to the file (default 50).")
    var flushEvery: Int?

    @Option(help: "Steps between checkpoints (default 500).")
    var checkpointEvery: Int?

    @Option(help: "Steps between snapshots of the full task gradients, gzip-compressed (0: none; default 0).")
    var snapshotEvery: Int?

    @Flag(help: "No progress line.")
    var quiet = false

    func run() throws {
        StopSignal.install()
        var (trainer, recorder) = try reportingErrors { try open() }
        let total = trainer.totalSteps
        print("recording \(trainer.configuration.task == nil ? "MT" : "ST") run on \(trainer.dataset.name) " +
              "(tasks \(trainer.taskNames.joined(separator: ", ")), \(total) steps) to \(recorder.path)" +
              (trainer.step > 0 ? ", resuming at step \(trainer.step)" : ""))
        var progress = ProgressLine(total: total, taskNames: trainer.taskNames, quiet: quiet)
        let outcome = try reportingErrors {
            try recordRun(trainer: &trainer, recorder: recorder, stopRequested: { StopSignal.received != 0 },
                          progress: { progress.update(step: $0, losses: $1) })
        }
        progress.finish()
        switch outcome {
        case .complete:
            if let (step, train, validation) = recorder.lastEvaluation {
                let metric = trainer.model.heads[0].loss.metricName
                print("final evaluation at step \(step):")
                for (t, name) in trainer.taskNames.enumerated() {
                    print("  \(name): train loss \(train.losses[t]), val loss \(validation.losses[t]), val \(metric) \(validation.metrics[t])")
                }
            }
            print("complete: \(recorder.path)")
        case .diverged(let step):
            throw fail("run diverged at step \(step) (a loss or gradient is not finite); record closed as diverged: \(recorder.path)", code: 3)
        case .interrupted:
            let signal = StopSignal.received
            print("interrupted at step \(trainer.step) by signal \(signal); checkpoint written, resume with: tasktrace record --resume \(recorder.path)")
            throw ExitCode(128 + signal)
        }
    }

    /// The trainer and recorder of a new run, or of the run to resume.
    func open() throws -> (Trainer, RunRecorder) {
        if let resume {
            guard out == nil, !force, probeEvery == nil, flushEvery == nil, checkpointEvery == nil, snapshotEvery == nil,
                  (try? runOptions.configuration()) == RunConfiguration(dataset: DatasetConfiguration(name: .multifashion)) else {
                throw ValidationError("--resume continues a run with the configuration in its record; give no other run flags")
            }
            let configuration = try recordedConfiguration(resume)
            var trainer = try Trainer(configuration: configuration, dataset: configuration.dataset.make())
            let recorder = try RunRecorder(resuming: resume, trainer: &trainer)
            return (trainer, recorder)
        }
        guard let out else { throw ValidationError("--out FILE is required (or --resume FILE)") }
        var configuration = try runOptions.configuration()
        if let probeEvery { configuration.probeEvery = probeEvery }
        if let flushEvery { configuration.flushEvery = flushEvery }
        if let checkpointEvery { configuration.checkpointEvery = checkpointEvery }
        if let snapshotEvery { configuration.snapshotEvery = snapshotEvery }
        if FileManager.default.fileExists(atPath: out) && !force {
            throw ValidationError("\(out) exists; pass --force to overwrite it")
        }
        let trainer = try Trainer(configuration: configuration, dataset: configuration.dataset.make())
        let recorder = try RunRecorder(creating: out, trainer: trainer, overwrite: force, toolVersion: TaskTrace.version)
        return (trainer, recorder)
    }

    /// The configuration stored in a record, checking that the run can be resumed.
    func recordedConfiguration(_ path: String) throws -> RunConfiguration {
        let reader = try RecordReader(path)
        defer { reader.close() }
        let header = try TrajectoryHeader(reading: reader)
        switch header.status {
        case RunStatus.complete.rawValue: throw ValidationError("\(path): the run is complete; nothing to resume")
        case RunStatus.diverged.rawValue: throw ValidationError("\(path): the run diverged; resuming would diverge again")
        default: break
        }
        do {
            return try JSONDecoder().decode(RunConfiguration.self, from: Data(header.config.utf8))
        } catch {
            throw ValidationError("\(path): the recorded configuration cannot be read: \(error)")
        }
    }
}
