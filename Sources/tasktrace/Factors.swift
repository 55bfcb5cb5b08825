import Analysis
import ArgumentParser

/// `tasktrace factors`: trajectory factors of MT against ST runs at matched training loss.
struct Factors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trajectory factors (sharpness, Hessian and Fisher traces, gradient noise, coherence, distance from init) of MT against ST runs, and whether they explain the gap.",
        discussion: """
        Each factor recorded by the probes is compared between the MT and the ST run at the same training loss; the MT - ST difference, averaged over the common range, is correlated over units (variant x task x seed) with the generalization gap. Needs records made with --probe-every.
        """)

    @OptionGroup var input: StudyInput

    func run() throws {
        try reportingErrors {
            let analysis = try StudyAnalysis(runs: try input.runs(), components: [.gaps, .factors])
            try input.emit([analysis.factorTable(), analysis.correlationTable])
        }
    }
}
