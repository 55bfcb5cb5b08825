import Linalg

/// The data movements around Conv2d's GEMMs, all in runs of contiguous memory:
/// - im2col as patch COLUMNS `K x (N * positions)` (`K = patchWidth`, rows in weight order
///   `(channel, ki, kj)`, columns `(example, position)`): for a stride of 1 one output row of
///   one tap is a contiguous run of an input row;
/// - col2im, its adjoint, for `m` patch gradients side by side;
/// - channel-major activations (`N x (channels * positions)`) to and from channel rows
///   `channels x (N * positions)` by blocks of `positions` scalars.
extension Conv2d {
    /// For kernel tap `kj` (or `ki`), the output columns `first..<last` (or rows) whose input
    /// pixel `o * stride - padding + tap` lies inside a side of `side` pixels; outside it the
    /// tap reads padding.
    @inline(__always)
    func validOutputs(tap: Int, side: Int, outputSide: Int) -> (first: Int, last: Int) {
        let low = padding - tap  // o * stride >= low
        let first = low <= 0 ? 0 : min(outputSide, (low + stride - 1) / stride)
        let high = side - 1 + padding - tap  // o * stride <= high
        let last = high < 0 ? 0 : min(outputSide, high / stride + 1)
        return (first, max(first, last))
    }

    /// im2col: `patchWidth x (N * positions)`; entry `((c, ki, kj), (e, oi, oj))` is example
    /// `e`'s input pixel `(c, oi * stride - padding + ki, oj * stride - padding + kj)`, 0 in the
    /// padding. Every entry is written once, in storage order.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func patchColumns<Scalar: BLASScalar>(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(input.columns == inputWidth, "\(self) got \(input.columns) features")
        let n = input.rows, positions = outputShape.area, columns = n * positions
        let height = inputShape.height, width = inputShape.width
        let outputHeight = outputShape.height, outputWidthInPixels = outputShape.width
        let k = kernelSize, stride = self.stride, padding = self.padding
        let storage = input.storage.withUnsafeBufferPointer { xs in
            [Scalar](unsafeUninitializedCapacity: patchWidth * columns) { ps, initialized in
                for c in 0..<inputShape.channels {
                    for ki in 0..<k {
                        let rows = validOutputs(tap: ki, side: height, outputSide: outputHeight)
                        for kj in 0..<k {
                            let (first, last) = validOutputs(tap: kj, side: width, outputSide: outputWidthInPixels)
                            let row = ps.baseAddress! + ((c * k + ki) * k + kj) * columns
                            for e in 0..<n {
                                let map = xs.baseAddress! + e * inputWidth + c * height * width
                                for oi in 0..<outputHeight {
                                    let target = row + e * positions + oi * outputWidthInPixels
                                    guard oi >= rows.first && oi < rows.last else {
                                        target.update(repeating: 0, count: outputWidthInPixels)
                                        continue
                                    }
                                    let source = map + (oi * stride - padding + ki) * width - padding + kj
                                    for oj in 0..<first { target[oj] = 0 }
                                    if stride == 1 {
                                        for oj in first..<last { target[oj] = source[oj] }
                                    } else {
                                        for oj in first..<last { target[oj] = source[oj * stride] }
                                    }
                                    for oj in last..<outputWidthInPixels { target[oj] = 0 }
                                }
                            }
                        }
                    }
                }
                initialized = patchWidth * columns
            }
        }
        return Matrix(rows: patchWidth, columns: columns, storage: storage)
    }

    /// col2im of `m` patch gradients `patchWidth x (m * N * positions)`, columns `(k, example,
    /// position)`: returns `N x (m * inputWidth)`, each tap added onto the input pixel it read
    /// (pixels under several patches sum their gradients; padding taps are dropped).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func foldPatchColumns<Scalar: BLASScalar>(_ patchGradients: Matrix<Scalar>, examples n: Int, multiplicity m: Int) -> Matrix<Scalar> {
        let positions = outputShape.area, columns = n * positions
        precondition(patchGradients.rows == patchWidth && patchGradients.columns == m * columns, "\(self): patch gradient shape")
        let height = inputShape.height, width = inputShape.width
        let outputHeight = outputShape.height, outputWidthInPixels = outputShape.width
        let k = kernelSize, stride = self.stride, padding = self.padding
        var result = Matrix<Scalar>(rows: n, columns: m * inputWidth)
        patchGradients.storage.withUnsafeBufferPointer { gs in
            result.storage.withUnsafeMutableBufferPointer { dxs in
                for c in 0..<inputShape.channels {
                    for ki in 0..<k {
                        let rows = validOutputs(tap: ki, side: height, outputSide: outputHeight)
                        for kj in 0..<k {
                            let (first, last) = validOutputs(tap: kj, side: width, outputSide: outputWidthInPixels)
                            let row = gs.baseAddress! + ((c * k + ki) * k + kj) * m * columns
                            for copy in 0..<m {
                                for e in 0..<n {
                                    let map = dxs.baseAddress! + (e * m + copy) * inputWidth + c * height * width
                                    for oi in rows.first..<rows.last {
                                        let source = row + copy * columns + e * positions + oi * outputWidthInPixels
                                        let target = map + (oi * stride - padding + ki) * width - padding + kj
                                        if stride == 1 {
                                            for oj in first..<last { target[oj] += source[oj] }
                                        } else {
                                            for oj in first..<last { target[oj * stride] += source[oj] }
                                        }
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

    /// The `m` channel-major upstream gradients `N x (m * outputWidth)` (block `k` of row `e`
    /// holding `[channel, position]`) as channel rows. `taskMajor`: `(m * out) x (N *
    /// positions)`, row `k * out + o` (the weight-gradient GEMM's operand); otherwise
    /// `out x (m * N * positions)`, row `o` holding column blocks `k` (the input-gradient
    /// GEMM's operand). Identical when `m` is 1.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func channelRows<Scalar: BLASScalar>(_ upstream: Matrix<Scalar>, multiplicity m: Int, taskMajor: Bool) -> Matrix<Scalar> {
        let n = upstream.rows, positions = outputShape.area, channels = outputShape.channels, columns = n * positions
        precondition(upstream.columns == m * outputWidth, "\(self): upstream has \(upstream.columns) columns, expected \(m * outputWidth)")
        let storage = upstream.storage.withUnsafeBufferPointer { us in
            [Scalar](unsafeUninitializedCapacity: m * channels * columns) { rs, initialized in
                for e in 0..<n {
                    for k in 0..<m {
                        for o in 0..<channels {
                            let source = us.baseAddress! + ((e * m + k) * channels + o) * positions
                            let block = taskMajor ? (k * channels + o) * columns : (o * m + k) * columns
                            (rs.baseAddress! + block + e * positions).initialize(from: source, count: positions)
                        }
                    }
                }
                initialized = m * channels * columns
            }
        }
        return taskMajor ? Matrix(rows: m * channels, columns: columns, storage: storage)
                         : Matrix(rows: channels, columns: m * columns, storage: storage)
    }

    /// Channel rows `out x (N * positions)` as the channel-major `N x outputWidth`, adding
    /// `bias[channel]` to every position.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func channelMajor<Scalar: BLASScalar>(_ rows: Matrix<Scalar>, examples n: Int, bias: UnsafePointer<Scalar>) -> Matrix<Scalar> {
        let positions = outputShape.area, channels = outputShape.channels, columns = n * positions
        let storage = rows.storage.withUnsafeBufferPointer { zs in
            [Scalar](unsafeUninitializedCapacity: n * outputWidth) { ys, initialized in
                for e in 0..<n {
                    for o in 0..<channels {
                        let b = bias[o]
                        let source = zs.baseAddress! + o * columns + e * positions
                        let target = ys.baseAddress! + e * outputWidth + o * positions
                        for p in 0..<positions { target[p] = source[p] + b }
                    }
                }
                initialized = n * outputWidth
            }
        }
        return Matrix(rows: n, columns: outputWidth, storage: storage)
    }
}
