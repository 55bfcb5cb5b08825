import Analysis
import ArgumentParser

/// `tasktrace gap`: the generalization gap between MT and ST runs at matched training loss.
struct Gap: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The generalization gap of each MT variant and task against its ST runs, at matched training loss.",
        discussion: """
        For each seed, the validation loss (and metric) of the MT and the ST run are compared at the same training loss: the first moment the running minimum of each run's train-eval loss reaches a level, interpolated in log loss. The gap MT - ST is summarised over the common range (mean in log loss, and at the lowest common loss), aggregated over seeds with bootstrap 95% intervals; the onset is the MT step where the interval of the mean gap first excludes zero at two consecutive levels. The optimization effect is MT - ST train loss at the same step, averaged over the run.
        """)

    @OptionGroup var input: StudyInput

    func run() throws {
        try reportingErrors {
            let analysis = try StudyAnalysis(runs: try input.runs(), components: [.gaps])
            try input.emit([analysis.gapTable])
        }
    }
}
