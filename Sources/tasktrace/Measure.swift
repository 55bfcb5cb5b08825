import ArgumentParser
import Foundation
import Linalg
import Nets
import Training

/// `tasktrace measure`: losses, task gradients, gradient conflict, Hessian-vector products and
/// sharpness of a recorded checkpoint on a given batch.
struct Measure: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a record's checkpoint on a batch: losses, task gradients, cosines, HVPs, top Hessian eigenvalues.",
        discussion: """
        Rebuilds the run's model from the checkpoint in RECORD.h5 (the MLP of its
        config, parameters from /checkpoint/parameters; the run's data is not
        loaded), reads a batch from BATCH.h5 and writes OUT.h5. T tasks in head
        order, N examples, D inputs, P parameters.

        BATCH.h5 (e.g. written with h5py):
          /inputs          [N, D] float32 or float64, D = the model's input width
          /targets/<task>  one per task of the record (others are ignored):
                           classification: [N] or [N, 1] class indices in
                           0..<classes; regression: [N, k] values ([N] if k = 1)
          /vector          optional [P]: direction v of the Hessian-vector
                           products, flat parameter layout; without it, no /hvp

        OUT.h5 (schema tasktrace-measure/1; Float64 datasets, each with description
        and units; rows of /hvp and /eigenvalues: each task's loss, then the
        weighted total sum_t w_t L_t with the run's weights):
          /losses [T]         each task's mean loss on the batch
          /gradients [T, P]   each task's gradient, flat layout (zero on the other
                              tasks' heads)
          /gramian [T, T]     g_i.g_j over the shared parameters (flat prefix
                              0..<shared_count)
          /cosine [T, T]      cosines of the task gradients over those parameters
          /hvp [T+1, P]       H_t v per task, then H v of the total
          /eigenvalues [T+1]  top Hessian eigenvalues (Lanczos); attributes
                              iterations and converged [T+1]
          /parameters         attribute names [V]: PyTorch names, storage order;
                              Int64 datasets offsets [V], ranks [V], shapes [V, R]
                              (-1 padded): tensor v is flat[offsets[v] :
                              offsets[v] + prod(shape)] reshaped, row-major
          root attributes     schema, tool_version, created, status, record, data,
                              checkpoint_step, precision, tasks, kinds, weights,
                              parameter_count, shared_count, batch_size,
                              lanczos_iterations

        --precision double (default) computes in Float64 from the Float32
        checkpoint; float computes in Float32 as training does. Lanczos stops after
        --lanczos-iterations Hessian-vector products per eigenvalue, or earlier
        when its estimate changes by less than 1e-8 relative.

        Bad input (missing file, not HDF5, not a record, no checkpoint yet, a
        missing or mis-shaped tensor or dataset, wrong input width, unequal row
        counts, a class index out of range, a vector of the wrong length) gives one
        line naming the file and the dataset, and exit 2.

        Example:
          tasktrace measure --checkpoint run.h5 --data batch.h5 --out measured.h5
        """)

    /// The precision of the computation.
    enum Precision: String, ExpressibleByArgument, CaseIterable {
        case double, float
    }

    @Option(name: .customLong("checkpoint"),
            help: ArgumentHelp("The record whose checkpoint to measure.", valueName: "record.h5"))
    var record: String

    @Option(help: ArgumentHelp("The batch: /inputs, /targets/<task>, optional /vector.", valueName: "batch.h5"))
    var data: String

    @Option(help: ArgumentHelp("Path of the measurement file to write.", valueName: "out.h5"))
    var out: String

    @Flag(help: "Overwrite an existing file at --out.")
    var force = false

    @Option(help: "Precision of the computation.")
    var precision: Precision = .double

    @Option(help: ArgumentHelp("Most Hessian-vector products per Lanczos eigenvalue estimate.",
                              valueName: "n"))
    var lanczosIterations = 20

    func validate() throws {
        guard lanczosIterations >= 1 else {
            throw ValidationError("--lanczos-iterations must be at least 1 (got \(lanczosIterations))")
        }
    }

    func run() throws {
        let (recorded, measurement) = try reportingErrors { () -> (RecordedModel, CheckpointMeasurement) in
            try checkOutput()
            let recorded = try RecordedModel(file: record)
            let measurement: (CheckpointMeasurement, Int)
            switch precision {
            case .double: measurement = try measure(recorded.model.converted(to: Double.self), weights: recorded.weights)
            case .float: measurement = try measure(recorded.model, weights: recorded.weights)
            }
            let context = MeasurementFile.Context(record: record, data: data, recorded: recorded,
                                                  precision: precision.rawValue, batchSize: measurement.1,
                                                  lanczosIterations: lanczosIterations)
            try MeasurementFile.write(measurement.0, context: context, to: out, overwrite: force)
            return (recorded, measurement.0)
        }
        let names = recorded.tasks.map(\.name)
        print("measured checkpoint step \(recorded.checkpointStep) of \(record) on \(data) (\(precision.rawValue)): "
              + "losses " + zip(names, measurement.losses).map { "\($0) \(number($1))" }.joined(separator: ", ")
              + "; top eigenvalues " + zip(names + ["total"], measurement.eigenvalues).map { "\($0) \(number($1.value))" }
                .joined(separator: ", ")
              + "; wrote \(out)")
    }

    /// The measurement of `model` on the batch, and the batch size.
    func measure<Scalar: BLASScalar>(_ model: MultiTaskModel<Scalar>, weights: [Double]) throws -> (CheckpointMeasurement, Int) {
        let batch = try MeasurementBatch(file: data, model: model)
        let measurement = CheckpointMeasurement(
            model: model, inputs: batch.inputs.converted(to: Scalar.self),
            targets: batch.targets.map { $0.converted(to: Scalar.self) }, weights: weights,
            vector: batch.vector, lanczosIterations: lanczosIterations)
        return (measurement, batch.inputs.rows)
    }

    /// Refuses an existing --out without --force, and an --out that is one of the inputs.
    func checkOutput() throws {
        func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        for (input, flag) in [(record, "--checkpoint"), (data, "--data")] where resolved(input) == resolved(out) {
            throw ValidationError("--out \(out) is the \(flag) file; choose another path")
        }
        if FileManager.default.fileExists(atPath: out) && !force {
            throw ValidationError("\(out) exists; pass --force to overwrite it")
        }
    }
}
