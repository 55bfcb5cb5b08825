import Linalg

extension MultiTaskModel {
    /// The squared norm of every task's per-example gradient: entry `(t, i)` of the `T x N`
    /// result is `|∇_θ ℓ_t(x_i)|²`, the gradient of task `t`'s loss on example `i` alone over
    /// ALL parameters (the shared trunk and task `t`'s head; the other heads get nothing), in
    /// squared loss-per-parameter units, accumulated in Double. Averaged over examples this is
    /// the trace of the empirical Fisher information. An example without a label for task `t`
    /// (`LossKind.missingLabel`) has a zero gradient: entry `(t, i)` is 0.
    ///
    /// When every layer that owns parameters is a `Linear`, one forward and one batched
    /// backward pass suffice (Goodfellow 2015, "Efficient per-example gradient computations"):
    /// a Linear layer's gradient on example `i` is the outer product `dy_i x_iᵀ` (weight) and
    /// `dy_i` (bias), so its squared norm is `|dy_i|² (|x_i|² + 1)`, where `x_i` is the layer's
    /// input and `dy_i` the per-example upstream gradient: `N_t` times row `i` of the mean-loss
    /// upstream gradient, which undoes the mean's `1/N_t` (N_t the examples labelled for task t). The `T` tasks' upstream gradients
    /// travel through the trunk side by side (`Layer`'s multiplicity), as in `taskGradients`.
    /// A Conv2d layer's per-example gradient is a sum over output positions, so it is formed
    /// per example (one GEMM each, all `T` tasks at once; see `Conv2d.perExampleBackward`).
    /// Any other parameterised layer falls back to one `taskGradients` pass per example.
    ///
    /// - Parameters:
    ///   - inputs: `N x inputWidth`, one example per row.
    ///   - targets: one matrix per task, row `i` belonging to example `i` (see `LossKind`).
    /// - Returns: `T x N` squared norms.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func perExampleSquaredGradientNorms(inputs: Matrix<Scalar>, targets: [Matrix<Scalar>]) -> Matrix<Double> {
        precondition(targets.count == taskCount, "one target matrix per task")
        let supported = (trunk + heads.flatMap(\.layers)).allSatisfy { $0.parameterCount == 0 || $0 is Linear || $0 is Conv2d }
        return supported
            ? outerProductSquaredGradientNorms(inputs: inputs, targets: targets)
            : exampleByExampleSquaredGradientNorms(inputs: inputs, targets: targets)
    }

    /// The fallback: one `taskGradients` pass per example (a batch of one).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func exampleByExampleSquaredGradientNorms(inputs: Matrix<Scalar>, targets: [Matrix<Scalar>]) -> Matrix<Double> {
        let n = inputs.rows
        var result = Matrix<Double>(rows: taskCount, columns: n)
        for i in 0..<n {
            let gradients = taskGradients(inputs: inputs.rows(i..<(i + 1)), targets: targets.map { $0.rows(i..<(i + 1)) })
            let squaredNorms = gramian(ofRows: gradients.matrix)
            for t in 0..<taskCount { result[t, i] = squaredNorms[t, t] }
        }
        return result
    }

    /// One batched backward pass over a network whose parameterised layers are all Linear or
    /// Conv2d.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func outerProductSquaredGradientNorms(inputs: Matrix<Scalar>, targets: [Matrix<Scalar>]) -> Matrix<Double> {
        let pass = forward(inputs)
        let n = inputs.rows, width = trunk.last!.outputWidth, taskCount = self.taskCount
        var result = Matrix<Double>(rows: taskCount, columns: n)
        var stacked = Matrix<Scalar>(rows: n, columns: taskCount * width)
        parameters.withUnsafeBufferPointer { p in
            for t in 0..<taskCount {
                // Scale N_labelled (the mean's divisor): row i becomes the gradient of example i's
                // own loss, zero for an example without a label.
                let labelled = max(1, heads[t].loss.labelledCount(targets: targets[t]))
                let outputGradient = heads[t].loss.evaluate(
                    outputs: pass.heads[t].last!, targets: targets[t], gradientScale: Scalar(labelled)).gradient
                let representationGradient = perExampleBackward(
                    through: heads[t].layers, activations: pass.headActivations(t), upstream: outputGradient,
                    multiplicity: 1, firstTask: t, parameters: p, needsInputGradient: true, into: &result)!
                representationGradient.storage.withUnsafeBufferPointer { source in
                    stacked.storage.withUnsafeMutableBufferPointer { target in
                        for row in 0..<n {
                            (target.baseAddress! + (row * taskCount + t) * width)
                                .update(from: source.baseAddress! + row * width, count: width)
                        }
                    }
                }
            }
            _ = perExampleBackward(
                through: trunk, activations: pass.trunk, upstream: stacked, multiplicity: taskCount,
                firstTask: 0, parameters: p, needsInputGradient: false, into: &result)
        }
        return result
    }

    /// Backward through `layers` with per-example upstream gradients (`N x (m * width)`, block
    /// `k` of row `i` belonging to task `firstTask + k`), adding each Linear layer's per-example
    /// squared gradient norms `|dy|² (|x|² + 1)` (and each Conv2d layer's, formed per example)
    /// to `result[firstTask + k, i]`. Parameter
    /// gradients are never formed; returns the input gradient when asked.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func perExampleBackward(
        through layers: [any Layer], activations: [Matrix<Scalar>], upstream: Matrix<Scalar>, multiplicity m: Int,
        firstTask: Int, parameters: UnsafeBufferPointer<Scalar>, needsInputGradient: Bool,
        into result: inout Matrix<Double>
    ) -> Matrix<Scalar>? {
        var current = upstream
        for index in layers.indices.reversed() {
            let wantsInput = index > 0 || needsInputGradient
            let input = activations[index]
            let n = input.rows
            if let linear = layers[index] as? Linear {
                let inWidth = linear.inputWidth, outWidth = linear.outputWidth
                input.storage.withUnsafeBufferPointer { x in
                    current.storage.withUnsafeBufferPointer { dy in
                        for i in 0..<n {
                            let row = x.baseAddress! + i * inWidth
                            let inputSquared = Scalar.preciseDot(inWidth, row, 1, row, 1)
                            for k in 0..<m {
                                let block = dy.baseAddress! + (i * m + k) * outWidth
                                result[firstTask + k, i] += Scalar.preciseDot(outWidth, block, 1, block, 1) * (inputSquared + 1)
                            }
                        }
                    }
                }
                guard wantsInput else { return nil }
                // dX = dY W, viewing dY as (N m) x out: the N x (m in) layout of m input gradients.
                var downstream = Matrix<Scalar>(rows: n, columns: m * inWidth)
                current.storage.withUnsafeBufferPointer { dy in
                    downstream.storage.withUnsafeMutableBufferPointer { dx in
                        Scalar.gemm(transposeA: false, transposeB: false, m: n * m, n: inWidth, k: outWidth,
                                    alpha: 1, a: dy.baseAddress!, lda: outWidth,
                                    b: parameters.baseAddress! + linear.weightOffset, ldb: inWidth,
                                    beta: 0, c: dx.baseAddress!, ldc: inWidth)
                    }
                }
                current = downstream
            } else if let convolution = layers[index] as? Conv2d {
                guard let downstream = convolution.perExampleBackward(
                    input: input, upstream: current, multiplicity: m, firstTask: firstTask, parameters: parameters,
                    needsInputGradient: wantsInput, into: &result) else { return nil }
                current = downstream
            } else {
                precondition(layers[index].parameterCount == 0, "\(layers[index]) owns parameters but is neither Linear nor Conv2d")
                guard wantsInput else { return nil }
                // A parameter-free layer writes no gradients; the pointer is never used.
                var unused = Scalar.zero
                current = withUnsafeMutablePointer(to: &unused) { scratch in
                    layers[index].backward(
                        input: input, output: activations[index + 1], upstream: current, multiplicity: m,
                        parameters: parameters, gradients: scratch, gradientStride: 0, needsInputGradient: true)!
                }
            }
        }
        return current
    }
}
