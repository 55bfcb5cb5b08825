import Linalg
import Nets

/// One pass over a batch in equal microbatches: the big-batch task gradients and the
/// statistics of the microbatch task gradients that the noise and coherence estimates need,
/// without keeping the microbatch gradients.
///
/// The big-batch gradient of the mean loss is the mean of the microbatch gradients (equal
/// sizes), as in Mueller, Dredze and Andrews (TMLR 2024): B = 1024 in microbatches of b = 16.
/// Per-task vectors are each task's full gradient row: the shared trunk and its own head.
struct MicrobatchGradients<Scalar: BLASScalar> {
    /// `T x P`: the big-batch task gradients g_B (row t: task t, zero on the other heads).
    var bigBatch: Matrix<Scalar>
    /// Per task, the mean over microbatches of |g_b|² (Double accumulation).
    var meanSquaredNorms: [Double]
    /// Per task, |Σ_a g_a / |g_a||², the squared norm of the sum of the unit microbatch gradients.
    var unitSumSquaredNorms: [Double]
    /// Per task, how many microbatch gradients were nonzero.
    var nonzeroCounts: [Int]
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
        for a in 0..<m {
            let range = (a * b)..<((a + 1) * b)
            let gradients = model.taskGradients(inputs: inputs.rows(range), targets: targets.map { $0.rows(range) })
            gradients.matrix.storage.withUnsafeBufferPointer { g in
                sum.storage.withUnsafeMutableBufferPointer { s in
                    Scalar.axpy(taskCount * p, 1, g.baseAddress!, 1, s.baseAddress!, 1)
                }
                unitSum.storage.withUnsafeMutableBufferPointer { u in
                    for t in 0..<taskCount {
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
        sum.storage.withUnsafeMutableBufferPointer { Scalar.scal(taskCount * p, 1 / Scalar(m), $0.baseAddress!, 1) }
        bigBatch = sum
        meanSquaredNorms = squaredNormSums.map { $0 / Double(m) }
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

    /// Task t's small/big-batch noise estimates.
    func noise(_ t: Int) -> GradientNoise {
        GradientNoise(bigBatchSquaredNorm: bigBatchSquaredNorm(t), meanSmallBatchSquaredNorm: meanSquaredNorms[t],
                      bigBatchSize: batchSize, smallBatchSize: microbatchSize)
    }

    /// Task t's coherence: the mean pairwise cosine of its microbatch gradients.
    func coherence(_ t: Int) -> Double {
        Training.coherence(squaredNormOfUnitSum: unitSumSquaredNorms[t], nonzeroCount: nonzeroCounts[t],
                           count: microbatchCount)
    }
}
