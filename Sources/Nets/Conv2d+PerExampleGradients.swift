import Linalg

extension Conv2d {
    /// The backward pass of `perExampleSquaredGradientNorms`: for per-example upstream
    /// gradients (`N x (m * outputWidth)`, block `k` of row `i` the gradient of example `i`'s
    /// own loss number `firstTask + k`), adds the squared norm of example `i`'s weight and bias
    /// gradient to `result[firstTask + k, i]` and returns the `m` input gradients when asked.
    ///
    /// A convolution's per-example weight gradient is a sum over positions, not an outer
    /// product, so it is formed: one GEMM per example, `(m * out) x patch = D_i patches_iᵀ`
    /// over that example's `positions` columns, for all `m` upstreams at once.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func perExampleBackward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity m: Int, firstTask: Int,
        parameters: UnsafeBufferPointer<Scalar>, needsInputGradient: Bool, into result: inout Matrix<Double>
    ) -> Matrix<Scalar>? {
        let n = input.rows, positions = outputShape.area, channels = outputShape.channels, patch = patchWidth
        let upstreamRows = channelRows(upstream, multiplicity: m, taskMajor: true)
        let patches = patchColumns(input)
        let blockRows = m * channels, columns = n * positions
        var weightGradient = Matrix<Scalar>(rows: blockRows, columns: patch)
        upstreamRows.storage.withUnsafeBufferPointer { d in
            patches.storage.withUnsafeBufferPointer { x in
                weightGradient.storage.withUnsafeMutableBufferPointer { g in
                    for i in 0..<n {
                        Scalar.gemm(transposeA: false, transposeB: true, m: blockRows, n: patch, k: positions,
                                    alpha: 1, a: d.baseAddress! + i * positions, lda: columns,
                                    b: x.baseAddress! + i * positions, ldb: columns,
                                    beta: 0, c: g.baseAddress!, ldc: patch)
                        for k in 0..<m {
                            let block = g.baseAddress! + k * channels * patch
                            var squared = Scalar.preciseDot(channels * patch, block, 1, block, 1)
                            for o in 0..<channels {
                                let row = d.baseAddress! + (k * channels + o) * columns + i * positions
                                var bias = 0.0
                                for p in 0..<positions { bias += Double(row[p]) }
                                squared += bias * bias
                            }
                            result[firstTask + k, i] += squared
                        }
                    }
                }
            }
        }
        guard needsInputGradient else { return nil }
        let byChannel = m == 1 ? upstreamRows : channelRows(upstream, multiplicity: m, taskMajor: false)
        return inputGradient(byChannel, examples: n, multiplicity: m, weight: parameters.baseAddress! + weightOffset)
    }
}
