import Linalg

/// Max pooling over square windows of each feature map, as PyTorch's `nn.MaxPool2d` without
/// padding: output side `(side - kernel) / stride + 1`, activations channel-major per row.
///
/// The layer is piecewise linear: its output is the input at each window's argmax (the first
/// maximum in row-major window order on ties, as PyTorch), so gradients and R-derivatives are
/// routed to the argmax and its second derivative is zero. The layer is stateless: backward
/// and R-passes recompute the argmax from the input.
public struct MaxPool2d: Layer {
    /// Shape of one example's input maps.
    public let inputShape: FeatureMapShape
    /// Shape of one example's output maps (same channels).
    public let outputShape: FeatureMapShape
    /// Side of the square window, in pixels.
    public let kernelSize: Int
    /// Step between neighbouring windows, in input pixels.
    public let stride: Int
    public var parameterOffset: Int = 0

    public init(input: FeatureMapShape, kernelSize: Int = 2, stride: Int? = nil) {
        let stride = stride ?? kernelSize
        precondition(kernelSize > 0 && stride > 0, "MaxPool2d needs a positive kernel and stride")
        precondition(input.height >= kernelSize && input.width >= kernelSize, "MaxPool2d: kernel \(kernelSize) exceeds the \(input) input")
        inputShape = input
        outputShape = FeatureMapShape(
            channels: input.channels,
            height: FeatureMapShape.slidingOutputSide(input.height, kernel: kernelSize, stride: stride, padding: 0),
            width: FeatureMapShape.slidingOutputSide(input.width, kernel: kernelSize, stride: stride, padding: 0))
        self.kernelSize = kernelSize
        self.stride = stride
    }

    public var inputWidth: Int { inputShape.count }
    public var outputWidth: Int { outputShape.count }
    public var parameterShapes: [ParameterShape] { [] }
    public var description: String { "MaxPool2d(\(inputShape) -> \(outputShape), kernel \(kernelSize), stride \(stride))" }

    public func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {}

    /// For every output element (row-major `N x outputWidth`), the column of the input row
    /// holding its window's maximum.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func argmaxColumns<Scalar: BLASScalar>(_ input: Matrix<Scalar>) -> [Int32] {
        precondition(input.columns == inputWidth, "\(self) got \(input.columns) features")
        let n = input.rows, height = inputShape.height, width = inputShape.width
        let outputHeight = outputShape.height, outputWidthInPixels = outputShape.width
        let k = kernelSize, stride = self.stride
        var result = [Int32](repeating: 0, count: n * outputWidth)
        input.storage.withUnsafeBufferPointer { xs in
            result.withUnsafeMutableBufferPointer { indices in
                var out = 0
                for e in 0..<n {
                    let x = xs.baseAddress! + e * inputWidth
                    for c in 0..<inputShape.channels {
                        let map = c * height * width
                        for oi in 0..<outputHeight {
                            for oj in 0..<outputWidthInPixels {
                                var best = map + oi * stride * width + oj * stride
                                var maximum = x[best]
                                for ki in 0..<k {
                                    let rowStart = map + (oi * stride + ki) * width + oj * stride
                                    for kj in 0..<k where x[rowStart + kj] > maximum {
                                        maximum = x[rowStart + kj]
                                        best = rowStart + kj
                                    }
                                }
                                indices[out] = Int32(best)
                                out += 1
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// `result[e, j] = values[e, argmax[e, j]]` for `N x inputWidth` values.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func gather<Scalar: BLASScalar>(_ values: Matrix<Scalar>, at argmax: [Int32]) -> Matrix<Scalar> {
        let n = values.rows
        var result = Matrix<Scalar>(rows: n, columns: outputWidth)
        values.storage.withUnsafeBufferPointer { vs in
            argmax.withUnsafeBufferPointer { indices in
                result.storage.withUnsafeMutableBufferPointer { ys in
                    for e in 0..<n {
                        let v = vs.baseAddress! + e * inputWidth
                        for j in 0..<outputWidth { ys[e * outputWidth + j] = v[Int(indices[e * outputWidth + j])] }
                    }
                }
            }
        }
        return result
    }

    /// Routes `m` upstream gradients (`N x (m * outputWidth)`) to the argmax of their windows:
    /// `N x (m * inputWidth)`, overlapping windows adding up.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func scatter<Scalar: BLASScalar>(_ upstream: Matrix<Scalar>, multiplicity m: Int, to argmax: [Int32]) -> Matrix<Scalar> {
        let n = upstream.rows
        precondition(upstream.columns == m * outputWidth, "\(self): upstream has \(upstream.columns) columns, expected \(m * outputWidth)")
        var result = Matrix<Scalar>(rows: n, columns: m * inputWidth)
        upstream.storage.withUnsafeBufferPointer { dys in
            argmax.withUnsafeBufferPointer { indices in
                result.storage.withUnsafeMutableBufferPointer { dxs in
                    for e in 0..<n {
                        let index = indices.baseAddress! + e * outputWidth
                        for k in 0..<m {
                            let dy = dys.baseAddress! + (e * m + k) * outputWidth
                            let dx = dxs.baseAddress! + (e * m + k) * inputWidth
                            for j in 0..<outputWidth { dx[Int(index[j])] += dy[j] }
                        }
                    }
                }
            }
        }
        return result
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        gather(input, at: argmaxColumns(input))
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>? {
        guard needsInputGradient else { return nil }
        return scatter(upstream, multiplicity: multiplicity, to: argmaxColumns(input))
    }

    /// R{y} = R{x} at the argmax.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        guard let inputR else { return Matrix(rows: input.rows, columns: outputWidth) }
        return gather(inputR, at: argmaxColumns(input))
    }

    /// The gradient and its R-derivative both routed to the argmax (the routing does not move
    /// under a small parameter change away from ties).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        guard needsInputGradient else { return nil }
        let argmax = argmaxColumns(input)
        return (scatter(upstream, multiplicity: 1, to: argmax), scatter(upstreamR, multiplicity: 1, to: argmax))
    }
}
