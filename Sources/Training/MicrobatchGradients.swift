import Linalg
import Nets

/// One pass over a batch in equal microbatches: the big-batch task gradients and the
/// statistics of the microbatch task gradients that the noise and coherence estimates need,
/// without keeping the microbatch gradients.
///
/// The big-batch gradient of the mean loss is the mean of the microbatch gradients (equal
/// sizes), as in Mueller, Dredze and Andrews (TMLR 2024): B = 1024 in microbatches of b = 16.
/// Per-task vectors are each task's full gradient row: the shared trunk and its own head.
///
/// Examples without a label for a task (`LossKind.missingLabel`) do not count for it: its
/// big-batch gradient is the mean over its labelled examples, `sum_a n_a g_a / N` with `n_a`
/// its labelled examples in microbatch a and `N = sum_a n_a`; its small-batch statistics run
/// over the microbatches with at least one label, whose mean labelled count (rounded) is its
/// effective b, and N its effective B. With every example labelled these are the plain
/// estimates (b, B, mean of m equal-size microbatch gradients).
struct MicrobatchGradients<Scalar: BLASScalar> {
    /// `T x P`: the big-batch task gradients g_B (row t: task t, zero on the other heads).
    var bigBatch: Matrix<Scalar>
    /// Per task, the mean over microbatches of |g_b|² (Double accumulation).
    var meanSquaredNorms: [Double]
    /// Per task, |Σ_a g_a / |g_a||², the squared norm of the sum of the unit microbatch gradients.
    var unitSumSquaredNorms: [Double]
    /// Per task, how many microbatch gradients were nonzero.
    var nonzeroCounts: [Int]
    /// Per task, the examples of the batch labelled for it (N; B when all are).
    var labelledCounts: [Int]
    /// Per task, the microbatches holding at least one of its labels (m when all examples are labelled).
    var labelledMicrobatchCounts: [Int]
    /// B, the batch size.
    var batchSize: Int
    /// b, the microbatch size.
    var microbatchSize: Int

    /// Runs `taskGradients` on each of the `inputs.rows / microbatchSize` consecutive microbatches.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    init(model: MultiTaskModel<Scalar>, inputs: Matrix<Scalar>, targets: [Matrix<Scalar>], microbatchSize b: Int) {
        let batch = inputs.rows
        precondition(b >= 1 && batch % b == 0, "the microbatch size \(b) must divide the batch size \(batch)")
        let m = batch / b, taskCount = model.taskCount, p = model.layout.count
        var sum = Matrix<Scalar>(rows: taskCount, columns: p)
        var unitSum = Matrix<Scalar>(rows: taskCount, columns: p)
        var squaredNormSums = [Double](repeating: 0, count: taskCount)
        var nonzero = [Int](repeating: 0, count: taskCount)
        var labelled = [Int](repeating: 0, count: taskCount)
        var labelledMicrobatches = [Int](repeating: 0, count: taskCount)
        for a in 0..<m {
            let range = (a * b)..<((a + 1) * b)
            let microTargets = targets.map { $0.rows(range) }
            let counts = (0..<taskCount).map { model.heads[$0].loss.labelledCount(targets: microTargets[$0]) }
            let gradients = model.taskGradients(inputs: inputs.rows(range), targets: microTargets)
            gradients.matrix.storage.withUnsafeBufferPointer { g in
                sum.storage.withUnsafeMutableBufferPointer { s in
                    for t in 0..<taskCount where counts[t] > 0 {
                        // Weight n_a / b: 1 for a fully labelled microbatch, as in the plain mean.
                        let weight = Scalar(Double(counts[t]) / Double(b))
                        Scalar.axpy(p, weight, g.baseAddress! + t * p, 1, s.baseAddress! + t * p, 1)
                    }
                }
                unitSum.storage.withUnsafeMutableBufferPointer { u in
                    for t in 0..<taskCount where counts[t] > 0 {
                        labelled[t] += counts[t]
                        labelledMicrobatches[t] += 1
                        let row = g.baseAddress! + t * p
                        let squared = Scalar.preciseDot(p, row, 1, row, 1)
                        squaredNormSums[t] += squared
                        guard squared > 0 else { continue }
                        nonzero[t] += 1
                        Scalar.axpy(p, Scalar(1 / squared.squareRoot()), row, 1, u.baseAddress! + t * p, 1)
                    }
                }
            }
        }
        sum.storage.withUnsafeMutableBufferPointer { s in
            for t in 0..<taskCount where labelled[t] > 0 {
                Scalar.scal(p, 1 / Scalar(Double(labelled[t]) / Double(b)), s.baseAddress! + t * p, 1)
            }
        }
        bigBatch = sum
        meanSquaredNorms = (0..<taskCount).map { squaredNormSums[$0] / Double(labelledMicrobatches[$0]) }
        labelledCounts = labelled
        labelledMicrobatchCounts = labelledMicrobatches
        unitSumSquaredNorms = unitSum.storage.withUnsafeBufferPointer { u in
            (0..<taskCount).map { t in
                let row = u.baseAddress! + t * p
                return Scalar.preciseDot(p, row, 1, row, 1)
            }
        }
        nonzeroCounts = nonzero
        batchSize = batch
        microbatchSize = b
    }

    /// The number of microbatches m = B / b.
    var microbatchCount: Int { batchSize / microbatchSize }

    /// |g_B,t|², the squared norm of task t's big-batch gradient (all parameters).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func bigBatchSquaredNorm(_ t: Int) -> Double {
        bigBatch.storage.withUnsafeBufferPointer { g in
            let row = g.baseAddress! + t * bigBatch.columns
            return Scalar.preciseDot(bigBatch.columns, row, 1, row, 1)
        }
    }

    /// Task t's small/big-batch noise estimates, with its effective sizes: B = its labelled
    /// examples, b = their mean count per microbatch holding any (rounded); NaN estimates when
    /// these sizes do not satisfy 1 <= b < B.
    func noise(_ t: Int) -> GradientNoise {
        let big = labelledCounts[t], microbatches = labelledMicrobatchCounts[t]
        let small = microbatches > 0 ? Int((Double(big) / Double(microbatches)).rounded()) : 0
        guard small >= 1, small < big else { return GradientNoise(squaredGradientNorm: .nan, trace: .nan) }
        return GradientNoise(bigBatchSquaredNorm: bigBatchSquaredNorm(t), meanSmallBatchSquaredNorm: meanSquaredNorms[t],
                             bigBatchSize: big, smallBatchSize: small)
    }

    /// Task t's coherence: the mean pairwise cosine of its gradients on the microbatches that
    /// hold its labels (NaN when fewer than two do).
    func coherence(_ t: Int) -> Double {
        guard labelledMicrobatchCounts[t] >= 2 else { return .nan }
        return Training.coherence(squaredNormOfUnitSum: unitSumSquaredNorms[t], nonzeroCount: nonzeroCounts[t],
                                  count: labelledMicrobatchCounts[t])
    }
}
