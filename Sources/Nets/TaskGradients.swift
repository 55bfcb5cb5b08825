import Linalg

/// The gradients of each task's loss on one batch.
public struct TaskGradients<Scalar: BLASScalar>: Sendable {
    /// Each task's mean loss over the batch's examples labelled for it (NaN when there is none).
    public var losses: [Double]
    /// `T x P`: row `t` is the gradient of task `t`'s loss over all parameters, zero on the
    /// other tasks' heads. Columns `0..<sharedCount` are the shared (trunk) parameters.
    public var matrix: Matrix<Scalar>
    /// Number of shared parameters (a prefix of every row).
    public var sharedCount: Int

    /// Task `t`'s full gradient as a flat vector.
    public func gradient(_ t: Int) -> [Scalar] { matrix.row(t) }

    /// The weighted sum `sum_t w_t g_t` over all parameters.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func combined(weights: [Scalar]) -> [Scalar] {
        precondition(weights.count == matrix.rows, "one weight per task")
        return matrixVectorProduct(matrix, weights, transposed: true)
    }
}

/// The gradient of a weighted sum of task losses.
public struct WeightedGradient<Scalar: BLASScalar>: Sendable {
    /// Each task's mean loss on the batch (unweighted).
    public var losses: [Double]
    /// Gradient of `sum_t w_t L_t` over all parameters, a flat vector of `P` scalars.
    public var gradient: [Scalar]
}

extension MultiTaskModel {
    /// One forward pass, then the gradient of every task's loss with respect to the shared
    /// trunk and its own head. The T trunk backward passes share one set of GEMMs: the trunk
    /// backward is linear in its upstream gradient, so the T upstream gradients travel side
    /// by side (`Layer`'s multiplicity).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func taskGradients(inputs: Matrix<Scalar>, targets: [Matrix<Scalar>]) -> TaskGradients<Scalar> {
        precondition(targets.count == taskCount, "one target matrix per task")
        let pass = forward(inputs)
        let n = inputs.rows, width = trunk.last!.outputWidth, taskCount = self.taskCount
        // Row t is written by the trunk's and head t's backward passes (each overwrites its
        // parameters' gradients); only the other heads' columns are set here, to zero. The
        // stacked representation gradients are copied in whole below.
        let parameterCount = layout.count, headRanges = layout.headRanges
        var matrix = Matrix<Scalar>(rows: taskCount, columns: parameterCount) { storage in
            for t in 0..<taskCount {
                for (head, range) in headRanges.enumerated() where head != t {
                    (storage.baseAddress! + t * parameterCount + range.lowerBound).initialize(repeating: 0, count: range.count)
                }
            }
        }
        var stacked = Matrix<Scalar>(rows: n, columns: taskCount * width) { _ in }
        var losses = [Double](repeating: 0, count: taskCount)
        parameters.withUnsafeBufferPointer { p in
            matrix.storage.withUnsafeMutableBufferPointer { g in
                for t in 0..<taskCount {
                    let head = heads[t]
                    let (loss, outputGradient) = head.loss.evaluate(
                        outputs: pass.heads[t].last!, targets: targets[t], gradientScale: 1)
                    losses[t] = loss
                    let representationGradient = backward(
                        through: head.layers, activations: pass.headActivations(t), upstream: outputGradient,
                        multiplicity: 1, parameters: p, gradients: g.baseAddress! + t * layout.count,
                        gradientStride: 0, needsInputGradient: true)!
                    representationGradient.storage.withUnsafeBufferPointer { source in
                        stacked.storage.withUnsafeMutableBufferPointer { target in
                            for row in 0..<n {
                                (target.baseAddress! + (row * taskCount + t) * width)
                                    .update(from: source.baseAddress! + row * width, count: width)
                            }
                        }
                    }
                }
                _ = backward(through: trunk, activations: pass.trunk, upstream: stacked, multiplicity: taskCount,
                             parameters: p, gradients: g.baseAddress!, gradientStride: layout.count,
                             needsInputGradient: false)
            }
        }
        return TaskGradients(losses: losses, matrix: matrix, sharedCount: layout.sharedCount)
    }

    /// One forward and one backward pass for the gradient of `sum_t w_t L_t`: the plain
    /// scalarized step, which never forms the task gradients.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func weightedGradient(inputs: Matrix<Scalar>, targets: [Matrix<Scalar>], weights: [Scalar]) -> WeightedGradient<Scalar> {
        precondition(targets.count == taskCount && weights.count == taskCount, "one target matrix and weight per task")
        let pass = forward(inputs)
        var gradient = [Scalar](repeating: 0, count: layout.count)
        var upstream = Matrix<Scalar>(rows: inputs.rows, columns: trunk.last!.outputWidth)
        var losses = [Double](repeating: 0, count: taskCount)
        parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in
                for t in 0..<taskCount {
                    let (loss, outputGradient) = heads[t].loss.evaluate(
                        outputs: pass.heads[t].last!, targets: targets[t], gradientScale: weights[t])
                    losses[t] = loss
                    let representationGradient = backward(
                        through: heads[t].layers, activations: pass.headActivations(t), upstream: outputGradient,
                        multiplicity: 1, parameters: p, gradients: g.baseAddress!, gradientStride: 0,
                        needsInputGradient: true)!
                    upstream.storage.withUnsafeMutableBufferPointer { u in
                        representationGradient.storage.withUnsafeBufferPointer { r in
                            Scalar.axpy(u.count, 1, r.baseAddress!, 1, u.baseAddress!, 1)
                        }
                    }
                }
                _ = backward(through: trunk, activations: pass.trunk, upstream: upstream, multiplicity: 1,
                             parameters: p, gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: false)
            }
        }
        return WeightedGradient(losses: losses, gradient: gradient)
    }
}
