import ArgumentParser
import Foundation
import Linalg
import Records
import Training

/// `tasktrace aggregate`: applies one aggregator to a given matrix of task gradients.
struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply one aggregator (scalarization or an MTO method) to a matrix of task gradients from a file.",
        discussion: """
        So that any implementation can be checked against TaskTrace's. Input J.h5:
          /jacobian   [T, P] float32 or float64: row t is task t's gradient
          /losses     [T] float64, optional (loss-based methods)
          attribute shared_count on /jacobian (optional, default P): the first shared_count
          columns are the shared parameters; the rest belong to task heads
          attribute step on /jacobian (optional, default 0)
        Output D.h5 (float64, every dataset with description and units):
          /direction  [P]: the update direction (descend along it)
          /weights    [T]: effective task weights, direction = sum_t w_t g_t
          /gramian    [T, T]: g_i . g_j over the shared columns
          root attributes: method, seed, task_count, parameter_count, shared_count
        Methods: \(AggregatorChoice.allNames.joined(separator: ", ")).
        """)

    @Option(help: "The aggregator: \(AggregatorChoice.allNames.joined(separator: ", ")).")
    var method: String

    @Option(help: "Input file with /jacobian [T, P].")
    var jacobian: String

    @Option(help: "Output file.")
    var out: String

    @Flag(help: "Overwrite an existing output file.")
    var force = false

    @Option(help: "Seed of randomised methods (pcgrad's order, rlw, graddrop).")
    var seed: UInt64 = 0

    @Option(help: "Scalarization weights, comma-separated (default: equal).", transform: parseNumbers("weights"))
    var weights: [Double]?

    func run() throws {
        try reportingErrors {
            if FileManager.default.fileExists(atPath: out) && !force { throw ValidationError("\(out) exists; pass --force to overwrite it") }
            let reader = try RecordReader(jacobian)
            defer { reader.close() }
            guard reader.isDataset("/jacobian") else { throw ValidationError("\(jacobian): missing dataset /jacobian [T, P]") }
            let shape = try reader.shape("/jacobian")
            guard shape.count == 2, shape[0] >= 1, shape[1] >= 1 else {
                throw ValidationError("\(jacobian): /jacobian must be [T, P] with T, P >= 1 (shape \(shape))")
            }
            let (t, p) = (shape[0], shape[1])
            let shared = (try? reader.intAttribute("shared_count", of: "/jacobian")).map(Int.init) ?? p
            guard shared >= 0 && shared <= p else { throw ValidationError("\(jacobian): shared_count \(shared) outside 0...\(p)") }
            let step = (try? reader.intAttribute("step", of: "/jacobian")).map(Int.init) ?? 0
            let values = try reader.readDoubles("/jacobian")
            guard values.allSatisfy(\.isFinite) else { throw ValidationError("\(jacobian): /jacobian holds non-finite values") }
            var losses = [Double](repeating: 1, count: t)
            if reader.isDataset("/losses") {
                losses = try reader.readDoubles("/losses")
                guard losses.count == t else { throw ValidationError("\(jacobian): /losses has \(losses.count) values for \(t) tasks") }
            }
            var aggregator = try AggregatorChoice.make(method, taskCount: t, weights: weights)
            var generator = RandomGenerator(seed: seed, stream: 0xA66)
            let input = AggregationInput(gradients: Matrix(rows: t, columns: p, storage: values), sharedCount: shared,
                                         losses: losses, step: step)
            let result = aggregator.aggregate(input, generator: &generator)
            let layout = RecordLayout(
                rootAttributes: ["schema": .string("tasktrace-aggregate/1"), "method": .string(aggregator.name),
                                 "seed": .int(Int64(bitPattern: seed)), "task_count": .int(Int64(t)),
                                 "parameter_count": .int(Int64(p)), "shared_count": .int(Int64(shared)),
                                 "jacobian": .string(jacobian)],
                datasets: [
                    .fixed("/direction", .float64, shape: [p], description: "update direction (descend along it)", units: "gradient units"),
                    .fixed("/weights", .float64, shape: [t], description: "effective task weights: direction = sum_t w_t g_t", units: "1"),
                    .fixed("/gramian", .float64, shape: [t, t], description: "g_i . g_j over the shared columns", units: "squared gradient units"),
                ])
            let writer = try RecordWriter(creating: out, layout: layout, overwrite: force)
            try writer.writeFixed("/direction", values: result.direction)
            try writer.writeFixed("/weights", values: result.weights)
            try writer.writeFixed("/gramian", values: input.gramian.storage)
            try writer.finish(status: "complete")
            print("\(aggregator.name): weights \(result.weights.map { String(format: "%.6g", $0) }.joined(separator: ", ")) -> \(out)")
        }
    }
}
