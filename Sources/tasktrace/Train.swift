import ArgumentParser
import Foundation
import Training

/// `tasktrace train`: trains one run and prints its evaluations, writing no record.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one run and print per-task train and validation results (no record is written).",
        discussion: """
        Every --eval-every steps and at the end, prints per-task loss on the fixed train-eval subset and loss and metric (accuracy, or R^2 for regression) on the validation split.
        """)

    @OptionGroup var runOptions: RunOptions

    @Flag(help: "No progress line.")
    var quiet = false

    func run() throws {
        var trainer = try reportingErrors { () -> Trainer in
            let configuration = try runOptions.configuration()
            try configuration.validate()
            return try Trainer(configuration: configuration, dataset: configuration.dataset.make())
        }
        let mode = trainer.tasks.count == 1 && trainer.configuration.task != nil ? "ST" : "MT"
        print("\(mode) run on \(trainer.dataset.name): tasks \(trainer.taskNames.joined(separator: ", ")), " +
              "\(trainer.totalSteps) steps, batch \(trainer.configuration.batchSize), seed \(trainer.configuration.seed), " +
              "\(trainer.model.layout.count) parameters")
        let start = Date()
        var progress = ProgressLine(total: trainer.totalSteps, taskNames: trainer.taskNames, quiet: quiet)
        while !trainer.isFinished {
            let measurement = trainer.takeStep()
            if measurement.diverged {
                progress.finish()
                throw fail("run diverged at step \(measurement.step): a loss or gradient is not finite", code: 3)
            }
            progress.update(step: trainer.step, losses: measurement.losses)
            if trainer.step % trainer.configuration.evalEvery == 0 && !trainer.isFinished {
                progress.finish()
                report(trainer, final: false)
            }
        }
        progress.finish()
        report(trainer, final: true)
        print(String(format: "wall time %.1f s", Date().timeIntervalSince(start)))
    }

    func report(_ trainer: Trainer, final: Bool) {
        let train = trainer.evaluateTrain(), validation = trainer.evaluateValidation()
        let metricName = trainer.model.heads[0].loss.metricName
        let parts = trainer.taskNames.indices.map { t in
            "\(trainer.taskNames[t]): train loss \(String(format: "%.4f", train.losses[t])), " +
            "val loss \(String(format: "%.4f", validation.losses[t])), val \(metricName) \(String(format: "%.4f", validation.metrics[t]))"
        }
        print("\(final ? "final" : "step \(trainer.step)")  " + parts.joined(separator: "  |  "))
    }
}
