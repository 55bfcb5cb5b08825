import Analysis
import ArgumentParser

/// `tasktrace correlate`: gradient conflict against the optimization effect and the gap.
struct Correlate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Gradient conflict in the MT runs, and its correlation with the optimization effect and with the gap.",
        discussion: """
        Conflict between tasks i and j is the cosine of their gradients over the shared parameters, by default on the probe's big-batch gradients (--conflict minibatch for every step's minibatch gradients, which are mostly gradient noise). Per MT run: mean cosine, conflict fraction (share of rows with cosine < 0), magnitude similarity and directional conflict, over the run and its thirds. Correlations run over units (variant x task x seed): Pearson and Spearman with bootstrap 95% intervals and permutation p-values.
        """)

    @OptionGroup var input: StudyInput

    func run() throws {
        try reportingErrors {
            let analysis = try StudyAnalysis(runs: try input.runs(), components: [.gaps, .conflict], conflictSource: input.conflict)
            try input.emit([analysis.conflictTable, analysis.correlationTable])
        }
    }
}
