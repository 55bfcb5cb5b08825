import Linalg

extension Conv2d {
    /// The backward pass of `perExampleSquaredGradientNorms`: for per-example upstream
    /// gradients (`N x (m * outputWidth)`, block `k` of row `i` the gradient of example `i`'s
    /// own loss number `firstTask + k`), adds the squared norm of example `i`'s weight and bias
    /// gradient to `result[firstTask + k, i]` and returns the `m` input gradients when asked.
    ///
    /// A convolution's per-example weight gradient is a sum over positions, not an outer
    /// product, so it is formed: one GEMM per example, `(m * out) x patch = D_iᵀ patches_i`
    /// over that example's `positions` rows, for all `m` upstreams at once.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func perExampleBackward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity m: Int, firstTask: Int,
        parameters: UnsafeBufferPointer<Scalar>, needsInputGradient: Bool, into result: inout Matrix<Double>
    ) -> Matrix<Scalar>? {
        let n = input.rows, positions = outputShape.area, channels = outputShape.channels, patch = patchWidth
        let upstreamRows = positionMajor(upstream, multiplicity: m)
        let patches = patchRows(input)
        let blockRows = m * channels
        var weightGradient = Matrix<Scalar>(rows: blockRows, columns: patch)
        var biasGradient = [Double](repeating: 0, count: blockRows)
        upstreamRows.storage.withUnsafeBufferPointer { d in
            patches.storage.withUnsafeBufferPointer { x in
                weightGradient.storage.withUnsafeMutableBufferPointer { g in
                    for i in 0..<n {
                        let exampleUpstream = d.baseAddress! + i * positions * blockRows
                        Scalar.gemm(transposeA: true, transposeB: false, m: blockRows, n: patch, k: positions,
                                    alpha: 1, a: exampleUpstream, lda: blockRows,
                                    b: x.baseAddress! + i * positions * patch, ldb: patch,
                                    beta: 0, c: g.baseAddress!, ldc: patch)
                        for r in 0..<blockRows { biasGradient[r] = 0 }
                        for p in 0..<positions {
                            let row = exampleUpstream + p * blockRows
                            for r in 0..<blockRows { biasGradient[r] += Double(row[r]) }
                        }
                        for k in 0..<m {
                            let block = g.baseAddress! + k * channels * patch
                            var squared = Scalar.preciseDot(channels * patch, block, 1, block, 1)
                            for o in 0..<channels { squared += biasGradient[k * channels + o] * biasGradient[k * channels + o] }
                            result[firstTask + k, i] += squared
                        }
                    }
                }
            }
        }
        guard needsInputGradient else { return nil }
        return inputGradient(upstreamRows, examples: n, multiplicity: m, weight: parameters.baseAddress! + weightOffset)
    }
}
