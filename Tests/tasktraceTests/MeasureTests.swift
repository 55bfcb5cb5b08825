import Foundation
import Linalg
import Nets
import Records
import Testing
import Training

@Suite struct MeasureTests {
    /// A batch as the tests read it back from BATCH.h5, in double precision.
    struct Batch {
        var inputs: Matrix<Double>
        var targets: [Matrix<Double>]
    }

    /// Reads `/inputs` and `/targets/<task>` of `file` for `model` (class indices as N x 1).
    func readBatch(_ file: String, for model: MultiTaskModel<Double>) throws -> Batch {
        let reader = try RecordReader(file)
        defer { reader.close() }
        let shape = try reader.shape("/inputs")
        let inputs = Matrix(rows: shape[0], columns: shape[1], storage: try reader.readDoubles("/inputs"))
        let targets = try model.heads.map { head in
            let values = try reader.readDoubles("/targets/\(head.name)")
            let columns = head.loss == .crossEntropy ? 1 : head.outputWidth
            return Matrix(rows: shape[0], columns: columns, storage: values)
        }
        return Batch(inputs: inputs, targets: targets)
    }

    /// Writes BATCH.h5 files for a synthetic record: the same inputs and targets, each with
    /// its own random `/vector` of `p` values (seeded).
    func writeSyntheticBatches(_ names: [String], parameterCount p: Int, rows n: Int = 40, in scratch: ScratchDirectory) throws {
        try h5py("""
        rng = np.random.default_rng(7)
        inputs = rng.normal(size=(\(n), 100)).astype(np.float32)
        t0 = rng.normal(size=(\(n), 1))
        t1 = rng.normal(size=(\(n),)).astype(np.float32)
        for name in \(names):
            with h5py.File(name, 'w') as f:
                f['inputs'] = inputs
                f['targets/t0'] = t0
                f['targets/t1'] = t1
                f['vector'] = rng.normal(size=(\(p),))
        """, in: scratch)
    }

    /// `weights` of HVP / eigenvalue row `row`: one-hot for a task, the run's for the total.
    func lossWeights(_ row: Int, _ recorded: RecordedModel) -> [Double] {
        let t = recorded.tasks.count
        return row < t ? (0..<t).map { $0 == row ? 1 : 0 } : recorded.weights
    }

    @Test func measureMatchesAnIndependentComputation() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // Tanh: finite differences of gradients are smooth (no ReLU kinks).
        let record = try recordSmallRun("run.h5", in: scratch,
                                        extra: ["--activation", "tanh", "--widths", "24,16", "--weights", "0.7,0.3"])
        let recorded = try RecordedModel(file: record)
        let model = recorded.model.converted(to: Double.self)
        let p = model.layout.count, t = model.taskCount
        try writeSyntheticBatches(["u.h5", "w.h5"], parameterCount: p, in: scratch)
        for (data, out) in [("u.h5", "out-u.h5"), ("w.h5", "out-w.h5")] {
            let result = try tasktrace(["measure", "--checkpoint", "run.h5", "--data", data, "--out", out,
                                        "--lanczos-iterations", "30"], in: scratch.url)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("checkpoint step 40") && result.output.contains("wrote \(out)"))
        }
        let batch = try readBatch(scratch.path("u.h5"), for: model)
        let out = try RecordReader(scratch.path("out-u.h5"))
        defer { out.close() }

        // Header and flat layout.
        #expect(try out.stringAttribute("schema") == "tasktrace-measure/1")
        #expect(try out.stringAttribute("status") == "complete" && out.cleanlyClosed)
        #expect(try out.stringArrayAttribute("tasks") == ["t0", "t1"])
        #expect(try out.stringArrayAttribute("kinds") == ["regression", "regression"])
        #expect(try out.attribute("weights") == .doubles([0.7, 0.3]))
        #expect(try out.intAttribute("parameter_count") == Int64(p))
        #expect(try out.intAttribute("shared_count") == Int64(model.layout.sharedCount))
        #expect(try out.intAttribute("checkpoint_step") == 40 && out.intAttribute("batch_size") == 40)
        #expect(try out.stringAttribute("precision") == "double" && out.stringAttribute("record") == "run.h5")
        let views = model.layout.views
        #expect(try out.stringArrayAttribute("names", of: "/parameters") == views.map(\.name))
        #expect(try out.readInt64s("/parameters/offsets") == views.map { Int64($0.offset) })
        #expect(try out.readInt64s("/parameters/ranks") == views.map { Int64($0.shape.count) })
        let shapes = try out.readInt64s("/parameters/shapes")
        #expect(try out.shape("/parameters/shapes") == [views.count, 2])
        for (v, view) in views.enumerated() {
            #expect(Array(shapes[(2 * v)..<(2 * v + view.shape.count)]) == view.shape.map(Int64.init), "\(view.name)")
        }
        for path in ["/losses", "/gradients", "/gramian", "/cosine", "/hvp", "/eigenvalues",
                     "/parameters/offsets", "/parameters/ranks", "/parameters/shapes"] {
            #expect(try !out.stringAttribute("description", of: path).isEmpty && !out.stringAttribute("units", of: path).isEmpty)
        }
        #expect(try out.shape("/losses") == [t] && out.shape("/gradients") == [t, p] && out.shape("/gramian") == [t, t])
        #expect(try out.shape("/cosine") == [t, t] && out.shape("/hvp") == [t + 1, p] && out.shape("/eigenvalues") == [t + 1])

        // Losses, gradients, Gramian and cosines against the model rebuilt in this process.
        let reference = model.taskGradients(inputs: batch.inputs, targets: batch.targets)
        let losses = try out.readDoubles("/losses")
        for i in 0..<t { #expect(nearlyEqual(losses[i], reference.losses[i], 1e-12), "loss \(i)") }
        let gradients = try out.readDoubles("/gradients")
        let gradientError = zip(gradients, reference.matrix.storage).map { abs($0 - $1) }.max() ?? .infinity
        #expect(gradientError <= 1e-10, "largest gradient difference \(gradientError)")
        let gram = gramian(ofRows: reference.matrix, columns: reference.sharedCount)
        let expectedCosine = cosines(fromGramian: gram)
        let measuredGramian = try out.readDoubles("/gramian"), measuredCosine = try out.readDoubles("/cosine")
        for i in 0..<(t * t) {
            #expect(nearlyEqual(measuredGramian[i], gram.storage[i], 1e-10) && abs(measuredCosine[i] - expectedCosine.storage[i]) <= 1e-10)
        }
        #expect(abs(measuredCosine[1]) < 1, "two distinct tasks")

        // HVP rows against central finite differences of the gradients of each loss.
        let u = try readVector(scratch.path("u.h5")), w = try readVector(scratch.path("w.h5"))
        let hvpU = try out.readDoubles("/hvp")
        let reader2 = try RecordReader(scratch.path("out-w.h5"))
        defer { reader2.close() }
        let hvpW = try reader2.readDoubles("/hvp")
        let h = 1e-4 / norm(u)  // a step of length 1e-4 in parameter space
        for row in 0...t {
            let weights = lossWeights(row, recorded)
            func gradient(at shift: Double) -> [Double] {
                var shifted = model
                axpy(shift, u, &shifted.parameters)
                return shifted.weightedGradient(inputs: batch.inputs, targets: batch.targets, weights: weights).gradient
            }
            var difference = gradient(at: h)
            axpy(-1, gradient(at: -h), &difference)
            scale(&difference, by: 1 / (2 * h))
            let measured = Array(hvpU[(row * p)..<((row + 1) * p)])
            var error = measured
            axpy(-1, difference, &error)
            #expect(norm(error) <= 1e-5 * norm(measured), "row \(row): |Hu - FD| = \(norm(error)), |Hu| = \(norm(measured))")

            // Symmetry: u.(H w) = w.(H u).
            let uHw = dot(u, Array(hvpW[(row * p)..<((row + 1) * p)])), wHu = dot(w, measured)
            #expect(abs(uHw - wHu) <= 1e-10 * max(abs(uHw), norm(u) * norm(w)), "row \(row): \(uHw) vs \(wHu)")

            // Top eigenvalue against power iteration.
            let hessian = HessianVectorProduct(model: model, inputs: batch.inputs, targets: batch.targets, weights: weights)
            let power = topEigenvalueByPowerIteration(dimension: p, tolerance: 1e-10, maxIterations: 5000, seed: 3,
                                                      product: hessian.apply)
            let lanczos = try out.readDoubles("/eigenvalues")[row]
            #expect(abs(lanczos - power.value) <= 1e-3 * abs(power.value), "row \(row): Lanczos \(lanczos), power \(power)")
        }
        let iterations = try out.attribute("iterations", of: "/eigenvalues")
        guard case .ints(let counts) = iterations else { Issue.record("iterations: \(iterations)"); return }
        #expect(counts.count == t + 1 && counts.allSatisfy { $0 >= 1 && $0 <= 30 })
    }

    @Test func floatPrecisionAgreesWithDoubleAndNoVectorMeansNoHVP() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = try recordSmallRun("run.h5", in: scratch, extra: ["--widths", "16"])
        try h5py("""
        rng = np.random.default_rng(1)
        with h5py.File('batch.h5', 'w') as f:
            f['inputs'] = rng.normal(size=(33, 100))
            f['targets/t0'] = rng.normal(size=(33, 1))
            f['targets/t1'] = rng.normal(size=(33, 1))
            f['targets/unrelated'] = np.zeros(5)
        """, in: scratch)
        for (precision, out) in [("double", "double.h5"), ("float", "float.h5")] {
            let result = try tasktrace(["measure", "--checkpoint", "run.h5", "--data", "batch.h5", "--out", out,
                                        "--precision", precision], in: scratch.url)
            #expect(result.status == 0, "\(result.error)")
        }
        let double = try RecordReader(scratch.path("double.h5")), float = try RecordReader(scratch.path("float.h5"))
        defer { double.close(); float.close() }
        #expect(try float.stringAttribute("precision") == "float")
        #expect(!double.exists("/hvp") && !float.exists("/hvp"))
        for path in ["/losses", "/gradients", "/cosine", "/eigenvalues"] {
            let a = try double.readDoubles(path), b = try float.readDoubles(path)
            var difference = a
            axpy(-1, b, &difference)
            #expect(norm(difference) <= 1e-3 * max(norm(a), 1e-3), "\(path): \(norm(difference)) of \(norm(a))")
        }
    }

    @Test func badBatchFilesGiveOneLineNamingTheDataset() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = try recordSmallRun("run.h5", in: scratch, extra: ["--widths", "8"])
        let p = try RecordedModel(file: scratch.path("run.h5")).model.layout.count
        try h5py("""
        rng = np.random.default_rng(2)
        def batch(name, inputs=(20, 100), t0=(20, 1), t1=(20,), vector=None, drop=()):
            with h5py.File(name, 'w') as f:
                if 'inputs' not in drop: f['inputs'] = rng.normal(size=inputs)
                if 't0' not in drop: f['targets/t0'] = rng.normal(size=t0)
                if 't1' not in drop: f['targets/t1'] = rng.normal(size=t1)
                if vector: f['vector'] = rng.normal(size=vector)
        batch('no-inputs.h5', drop=('inputs',))
        batch('no-t1.h5', drop=('t1',))
        batch('narrow.h5', inputs=(20, 99))
        batch('flat-inputs.h5', inputs=(100,))
        batch('short-t0.h5', t0=(19, 1))
        batch('wide-t1.h5', t1=(20, 2))
        batch('long-vector.h5', vector=(\(p + 1),))
        batch('matrix-vector.h5', vector=(\(p), 1))
        batch('nan.h5')
        with h5py.File('nan.h5', 'r+') as f: f['inputs'][3, 4] = np.nan
        batch('empty.h5', inputs=(0, 100), t0=(0, 1), t1=(0,))
        with h5py.File('text-targets.h5', 'w') as f:
            f['inputs'] = rng.normal(size=(20, 100))
            f['targets/t0'] = rng.normal(size=(20, 1))
            f['targets/t1'] = np.array([b'x'] * 20)
        batch('good.h5', vector=(\(p),))
        """, in: scratch)
        let cases: [(String, String)] = [
            ("no-inputs.h5", "/inputs"), ("no-t1.h5", "/targets/t1"), ("narrow.h5", "/inputs"),
            ("flat-inputs.h5", "/inputs"), ("short-t0.h5", "/targets/t0"), ("wide-t1.h5", "/targets/t1"),
            ("long-vector.h5", "/vector"), ("matrix-vector.h5", "/vector"), ("nan.h5", "/inputs"),
            ("empty.h5", "/inputs"), ("text-targets.h5", "/targets/t1"), ("missing.h5", "missing.h5"),
        ]
        for (file, dataset) in cases {
            let result = try tasktrace(["measure", "--checkpoint", "run.h5", "--data", file, "--out", "out.h5"], in: scratch.url)
            expectOneLineFailure(result, naming: [file, dataset], "batch \(file)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("out.h5")), "no output for \(file)")
        }
        let good = try tasktrace(["measure", "--checkpoint", "run.h5", "--data", "good.h5", "--out", "out.h5"], in: scratch.url)
        #expect(good.status == 0, "\(good.error)")
        expectOneLineFailure(try tasktrace(["measure", "--checkpoint", "run.h5", "--data", "good.h5", "--out", "out.h5"],
                                           in: scratch.url), naming: ["out.h5", "--force"], "existing output")
        #expect(try tasktrace(["measure", "--checkpoint", "run.h5", "--data", "good.h5", "--out", "out.h5", "--force"],
                              in: scratch.url).status == 0)
        expectOneLineFailure(try tasktrace(["measure", "--checkpoint", "run.h5", "--data", "good.h5", "--out", "run.h5",
                                            "--force"], in: scratch.url), naming: ["--checkpoint"], "output over the record")
        expectOneLineFailure(try tasktrace(["measure", "--checkpoint", "run.h5", "--data", "good.h5", "--out", "x.h5",
                                            "--lanczos-iterations", "0"], in: scratch.url), naming: ["--lanczos-iterations"],
                             "no Lanczos iterations")
        expectOneLineFailure(try tasktrace(["measure", "--checkpoint", "run.h5", "--data", "good.h5", "--out", "x.h5",
                                            "--precision", "half"], in: scratch.url), naming: ["half"], "bad precision")
        expectOneLineFailure(try tasktrace(["measure", "--data", "good.h5", "--out", "x.h5"], in: scratch.url),
                             naming: ["--checkpoint"], "no record")
    }

    @Test func badRecordsGiveOneLineNamingTheTensor() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = try recordSmallRun("run.h5", in: scratch, extra: ["--widths", "8"])
        for name in ["early.h5", "no-tensor.h5", "reshaped.h5", "extra.h5", "bad-config.h5"] {
            try FileManager.default.copyItem(atPath: scratch.path("run.h5"), toPath: scratch.path(name))
        }
        try h5py("""
        with h5py.File('early.h5', 'r+') as f: f['checkpoint/step'][0] = -1
        with h5py.File('no-tensor.h5', 'r+') as f: del f['checkpoint/parameters/trunk.0.bias']
        with h5py.File('reshaped.h5', 'r+') as f:
            del f['checkpoint/parameters/heads.t1.0.weight']
            f['checkpoint/parameters/heads.t1.0.weight'] = np.zeros((1, 7), dtype=np.float32)
        with h5py.File('extra.h5', 'r+') as f: f['checkpoint/parameters/trunk.2.weight'] = np.zeros((3, 8), dtype=np.float32)
        with h5py.File('bad-config.h5', 'r+') as f: f.attrs['config'] = '{"dataset": {"name": "synthetic"}, "widths": "wide"}'
        with h5py.File('batch.h5', 'w') as f:
            f['inputs'] = np.zeros((4, 100))
            f['targets/t0'] = np.zeros((4, 1))
            f['targets/t1'] = np.zeros((4, 1))
        with h5py.File('plain.h5', 'w') as f: f['x'] = np.zeros(3)
        """, in: scratch)
        let cases: [(String, [String])] = [
            ("early.h5", ["no checkpoint", "/checkpoint/step"]),
            ("no-tensor.h5", ["/checkpoint/parameters/trunk.0.bias"]),
            ("reshaped.h5", ["/checkpoint/parameters/heads.t1.0.weight", "[1, 7]"]),
            ("extra.h5", ["/checkpoint/parameters/trunk.2.weight"]),
            ("bad-config.h5", ["config", "widths"]),
            ("plain.h5", ["schema"]),
            ("missing.h5", ["no such file"]),
        ]
        for (file, naming) in cases {
            let result = try tasktrace(["measure", "--checkpoint", file, "--data", "batch.h5", "--out", "out.h5"], in: scratch.url)
            expectOneLineFailure(result, naming: [file] + naming, "record \(file)")
        }
    }

    @Test(.enabled(if: fashionMNISTAvailable, "needs the Fashion-MNIST files"))
    func classificationTargetsAreClassIndices() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let run = try tasktrace(["record", "--dataset", "multifashion", "--train-count", "300", "--validation-count", "100",
                                 "--widths", "12", "--steps", "10", "--batch-size", "32", "--quiet", "--out", "mf.h5"],
                                in: scratch.url)
        #expect(run.status == 0, "\(run.error)")
        let recorded = try RecordedModel(file: scratch.path("mf.h5"))
        let model = recorded.model.converted(to: Double.self)
        let d = model.inputWidth
        try h5py("""
        rng = np.random.default_rng(4)
        inputs = rng.random(size=(30, \(d))).astype(np.float32)
        left = rng.integers(0, 10, size=30)
        right = rng.integers(0, 10, size=(30, 1)).astype(np.float64)
        def batch(name, left=left, right=right):
            with h5py.File(name, 'w') as f:
                f['inputs'] = inputs
                f['targets/left'] = left
                f['targets/right'] = right
        batch('good.h5')
        batch('too-big.h5', left=np.where(np.arange(30) == 5, 10, left))
        batch('negative.h5', right=np.where(np.arange(30)[:, None] == 2, -1.0, right))
        batch('fraction.h5', right=right + 0.5)
        batch('regression-shaped.h5', left=np.zeros((30, 10)))
        """, in: scratch)
        let result = try tasktrace(["measure", "--checkpoint", "mf.h5", "--data", "good.h5", "--out", "out.h5"], in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        let batch = try readBatch(scratch.path("good.h5"), for: model)
        let expected = model.taskGradients(inputs: batch.inputs, targets: batch.targets)
        let out = try RecordReader(scratch.path("out.h5"))
        defer { out.close() }
        #expect(try out.stringArrayAttribute("kinds") == ["classification", "classification"])
        let losses = try out.readDoubles("/losses")
        for i in 0..<2 { #expect(nearlyEqual(losses[i], expected.losses[i], 1e-12)) }
        let gradients = try out.readDoubles("/gradients")
        #expect((zip(gradients, expected.matrix.storage).map { abs($0 - $1) }.max() ?? .infinity) <= 1e-10)

        for (file, dataset, detail) in [("too-big.h5", "/targets/left", "row 5"), ("negative.h5", "/targets/right", "row 2"),
                                        ("fraction.h5", "/targets/right", "0..<10"),
                                        ("regression-shaped.h5", "/targets/left", "[30, 10]")] {
            let bad = try tasktrace(["measure", "--checkpoint", "mf.h5", "--data", file, "--out", "bad.h5"], in: scratch.url)
            expectOneLineFailure(bad, naming: [file, dataset, detail], "batch \(file)")
        }
    }

    func readVector(_ file: String) throws -> [Double] {
        let reader = try RecordReader(file)
        defer { reader.close() }
        return try reader.readDoubles("/vector")
    }
}
