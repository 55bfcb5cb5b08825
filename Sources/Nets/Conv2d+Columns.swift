import Linalg

/// The data movements around Conv2d's GEMMs: unfolding input patches into rows (im2col),
/// folding patch gradients back onto the input (col2im), and reordering between the layer's
/// channel-major activations (`N x (channels * positions)`) and the position-major matrices
/// the GEMMs work on (`(N * positions) x channels`).
extension Conv2d {
    /// im2col: `(N * positions) x patchWidth`, row `e * positions + p` holding the input patch
    /// under output position `p` of example `e`, columns in weight order `(channel, ki, kj)`;
    /// taps that fall into the padding are 0. Every element is written once (no zero fill
    /// first), and a patch row's valid taps are contiguous runs of the input row.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func patchRows<Scalar: BLASScalar>(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(input.columns == inputWidth, "\(self) got \(input.columns) features")
        let n = input.rows, positions = outputShape.area, patch = patchWidth
        let channels = inputShape.channels, height = inputShape.height, width = inputShape.width
        let outputHeight = outputShape.height, outputWidthInPixels = outputShape.width
        let k = kernelSize, stride = self.stride, padding = self.padding
        let storage = input.storage.withUnsafeBufferPointer { xs in
            [Scalar](unsafeUninitializedCapacity: n * positions * patch) { rs, initialized in
                for e in 0..<n {
                    let x = xs.baseAddress! + e * inputWidth
                    for oi in 0..<outputHeight {
                        for oj in 0..<outputWidthInPixels {
                            let row = rs.baseAddress! + (e * positions + oi * outputWidthInPixels + oj) * patch
                            let left = oj * stride - padding
                            // Taps kj in first..<last fall inside the map; the rest are padding.
                            let first = min(k, max(0, -left)), last = max(first, min(k, width - left))
                            for c in 0..<channels {
                                for ki in 0..<k {
                                    let i = oi * stride - padding + ki
                                    let target = row + (c * k + ki) * k
                                    guard i >= 0 && i < height else {
                                        for kj in 0..<k { target[kj] = 0 }
                                        continue
                                    }
                                    let source = x + (c * height + i) * width + left
                                    for kj in 0..<first { target[kj] = 0 }
                                    for kj in first..<last { target[kj] = source[kj] }
                                    for kj in last..<k { target[kj] = 0 }
                                }
                            }
                        }
                    }
                }
                initialized = n * positions * patch
            }
        }
        return Matrix(rows: n * positions, columns: patch, storage: storage)
    }

    /// col2im of `m` patch gradients: `patchGradients` is `(N * positions * m) x patchWidth`,
    /// row `(e * positions + p) * m + k` the gradient of patch `p` of example `e` for the
    /// `k`-th upstream; returns `N x (m * inputWidth)`, each tap added onto the input pixel it
    /// read (pixels under several patches sum their gradients; padding taps are dropped).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func foldPatches<Scalar: BLASScalar>(_ patchGradients: Matrix<Scalar>, examples n: Int, multiplicity m: Int) -> Matrix<Scalar> {
        let positions = outputShape.area, patch = patchWidth
        precondition(patchGradients.rows == n * positions * m && patchGradients.columns == patch, "\(self): patch gradient shape")
        let channels = inputShape.channels, height = inputShape.height, width = inputShape.width
        let outputHeight = outputShape.height, outputWidthInPixels = outputShape.width
        let k = kernelSize, stride = self.stride, padding = self.padding
        var result = Matrix<Scalar>(rows: n, columns: m * inputWidth)
        patchGradients.storage.withUnsafeBufferPointer { gs in
            result.storage.withUnsafeMutableBufferPointer { dxs in
                for e in 0..<n {
                    for oi in 0..<outputHeight {
                        for oj in 0..<outputWidthInPixels {
                            let p = oi * outputWidthInPixels + oj
                            let left = oj * stride - padding
                            let first = min(k, max(0, -left)), last = max(first, min(k, width - left))
                            for copy in 0..<m {
                                let row = gs.baseAddress! + ((e * positions + p) * m + copy) * patch
                                let dx = dxs.baseAddress! + (e * m + copy) * inputWidth
                                for c in 0..<channels {
                                    for ki in 0..<k {
                                        let i = oi * stride - padding + ki
                                        guard i >= 0 && i < height else { continue }
                                        let target = dx + (c * height + i) * width + left
                                        let source = row + (c * k + ki) * k
                                        for kj in first..<last { target[kj] += source[kj] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// `N x (m * outputWidth)` channel-major upstream gradients (block `k` of row `e` holding
    /// `[channel, position]`) as the position-major `(N * positions) x (m * outputChannels)`,
    /// row `e * positions + p` holding `[k, channel]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func positionMajor<Scalar: BLASScalar>(_ upstream: Matrix<Scalar>, multiplicity m: Int) -> Matrix<Scalar> {
        let n = upstream.rows, positions = outputShape.area, blockRows = m * outputShape.channels
        precondition(upstream.columns == m * outputWidth, "\(self): upstream has \(upstream.columns) columns, expected \(m * outputWidth)")
        var result = Matrix<Scalar>(rows: n * positions, columns: blockRows)
        upstream.storage.withUnsafeBufferPointer { us in
            result.storage.withUnsafeMutableBufferPointer { rs in
                for e in 0..<n {
                    // Per example a transpose of (m * channels) x positions.
                    let source = us.baseAddress! + e * m * outputWidth
                    let target = rs.baseAddress! + e * positions * blockRows
                    for r in 0..<blockRows {
                        let sourceRow = source + r * positions
                        for p in 0..<positions { target[p * blockRows + r] = sourceRow[p] }
                    }
                }
            }
        }
        return result
    }

    /// The position-major `(N * positions) x outputChannels` matrix `z` as the channel-major
    /// `N x outputWidth`, adding `bias[channel]` to every position.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func channelMajor<Scalar: BLASScalar>(_ z: Matrix<Scalar>, examples n: Int, bias: UnsafePointer<Scalar>) -> Matrix<Scalar> {
        let positions = outputShape.area, channels = outputShape.channels
        var result = Matrix<Scalar>(rows: n, columns: outputWidth)
        z.storage.withUnsafeBufferPointer { zs in
            result.storage.withUnsafeMutableBufferPointer { ys in
                for e in 0..<n {
                    let source = zs.baseAddress! + e * positions * channels
                    let target = ys.baseAddress! + e * outputWidth
                    for o in 0..<channels {
                        let b = bias[o]
                        let targetRow = target + o * positions
                        for p in 0..<positions { targetRow[p] = source[p * channels + o] + b }
                    }
                }
            }
        }
        return result
    }
}
