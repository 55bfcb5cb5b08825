import ArgumentParser
import Foundation
import Linalg

@main
struct TaskTrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasktrace",
        abstract: "Train small multi-task networks on the CPU and study their training dynamics.",
        discussion: """
        A multi-task (MT) run trains one shared trunk with a head per task on a weighted sum of the task losses; a single-task (ST) run trains one task alone. Runs with the same seed share the trunk initialisation and the minibatch order, so ST and MT runs pair.

        Datasets: multifashion (two Fashion-MNIST items per image, tasks left and right), synthetic (regression tasks t0, t1, ... with a chosen relatedness rho) and multidomain (Fashion-MNIST seen through domains such as inverted or rotated images, one task per domain; usually trained with --scalarization sampling). Models: an MLP trunk (--widths, the default) or MultiLeNet (--model multilenet).

        Examples:
          tasktrace record --dataset synthetic --steps 300 --seed 1 --out mt.h5
          tasktrace record --dataset synthetic --steps 300 --task t0 --out st0.h5
          tasktrace study --config studies/multifashion-demo.toml
          tasktrace record --dataset multifashion --model multilenet --out mln.h5
          tasktrace compare --config studies/multifashion-compare.toml
          tasktrace sweep --config studies/multifashion-sweep.toml
          tasktrace pbt --config studies/pbt-synthetic-6.toml
          tasktrace report runs/multifashion-study
        """,
        subcommands: [Record.self, Study.self, Compare.self, Sweep.self, PBT.self, Inspect.self, Gap.self, Correlate.self, Factors.self, Report.self, Measure.self, Aggregate.self, Train.self])

    /// The version written into every record.
    static let version = "0.1.0"

    /// Parses and runs a command. Bad flags end with one line on standard error and exit
    /// code 2 (not the parser's usage block and 64); help and version print as usual.
    static func main() {
        keepLargeBuffersOnTheHeap()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileHandle.standardError.write(Data("tasktrace: \(message) (see 'tasktrace help')\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
