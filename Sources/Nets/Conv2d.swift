import Linalg

/// A 2-D convolution (cross-correlation, as PyTorch's `nn.Conv2d`) with a square kernel,
/// stride and zero padding, computed as im2col followed by one GEMM.
///
/// Each example's input `[inChannels, height, width]` and output `[outChannels, outHeight,
/// outWidth]` are stored channel-major in one matrix row (PyTorch's `flatten(1)`), with
/// `outSide = (side + 2 padding - kernel) / stride + 1`. Parameters in PyTorch layout: weight
/// `[out, in, kernel, kernel]`, then bias `[out]`, so a checkpoint maps one-to-one onto
/// `nn.Conv2d`.
///
/// Every pass unfolds the input into patch rows (`(N * positions) x (in * kernel²)`) and works
/// on position-major matrices `(N * positions) x channels`; a backward pass with multiplicity
/// `m` puts the `m` upstream gradients side by side in those rows, so the weight gradients of
/// all `m` are ONE GEMM (`(m * out) x (in * kernel²)`), the bias gradients one GEMV and the
/// input gradients one GEMM followed by one col2im.
public struct Conv2d: Layer {
    /// Shape of one example's input maps.
    public let inputShape: FeatureMapShape
    /// Shape of one example's output maps.
    public let outputShape: FeatureMapShape
    /// Side of the square kernel, in pixels.
    public let kernelSize: Int
    /// Step between neighbouring output positions, in input pixels.
    public let stride: Int
    /// Zeros added on every side of each input map, in pixels.
    public let padding: Int
    public var parameterOffset: Int = 0

    public init(input: FeatureMapShape, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0) {
        precondition(outputChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
                     "Conv2d needs positive output channels, kernel and stride and a non-negative padding")
        precondition(input.height + 2 * padding >= kernelSize && input.width + 2 * padding >= kernelSize,
                     "Conv2d: kernel \(kernelSize) exceeds the padded \(input) input")
        inputShape = input
        outputShape = FeatureMapShape(
            channels: outputChannels,
            height: FeatureMapShape.slidingOutputSide(input.height, kernel: kernelSize, stride: stride, padding: padding),
            width: FeatureMapShape.slidingOutputSide(input.width, kernel: kernelSize, stride: stride, padding: padding))
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    public var inputWidth: Int { inputShape.count }
    public var outputWidth: Int { outputShape.count }
    /// Scalars of one input patch, `inChannels * kernel²`: the fan-in of an output unit.
    public var patchWidth: Int { inputShape.channels * kernelSize * kernelSize }

    public var description: String {
        "Conv2d(\(inputShape) -> \(outputShape), kernel \(kernelSize), stride \(stride), padding \(padding))"
    }

    public var parameterShapes: [ParameterShape] {
        [ParameterShape(name: "weight", shape: [outputShape.channels, inputShape.channels, kernelSize, kernelSize]),
         ParameterShape(name: "bias", shape: [outputShape.channels])]
    }

    var weightOffset: Int { parameterOffset }
    var biasOffset: Int { parameterOffset + outputShape.channels * patchWidth }

    /// Kaiming/He uniform weights as `Linear`, U(-sqrt(6 / fan_in), +sqrt(6 / fan_in)) with
    /// fan_in = `inChannels * kernel²`, and zero biases.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {
        let bound = (6.0 / Double(patchWidth)).squareRoot()
        for i in 0..<(outputShape.channels * patchWidth) {
            parameters[weightOffset + i] = Scalar(generator.uniform(-bound, bound))
        }
        for i in 0..<outputShape.channels { parameters[biasOffset + i] = 0 }
    }

    /// `Y = patches W^T + b`, one GEMM over all examples and positions.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        let patches = patchRows(input)
        var z = Matrix<Scalar>(rows: patches.rows, columns: outputShape.channels)
        multiplyByWeightTransposed(patches, parameters.baseAddress! + weightOffset, into: &z, accumulate: false)
        return channelMajor(z, examples: input.rows, bias: parameters.baseAddress! + biasOffset)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity m: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>? {
        let n = input.rows
        precondition(upstream.rows == n, "\(self): upstream has \(upstream.rows) rows, the input \(n)")
        let upstreamRows = positionMajor(upstream, multiplicity: m)
        let patches = patchRows(input)
        let channels = outputShape.channels, weightCount = channels * patchWidth
        // All m weight gradients in one GEMM: dW = D^T patches, (m * out) x patch.
        var weightGradients = Matrix<Scalar>(rows: m * channels, columns: patchWidth)
        multiplyTransposed(upstreamRows, patches, into: &weightGradients, accumulate: false)
        let biasGradients = columnSums(upstreamRows)
        weightGradients.storage.withUnsafeBufferPointer { w in
            biasGradients.withUnsafeBufferPointer { b in
                for k in 0..<m {
                    let g = gradients + k * gradientStride
                    (g + weightOffset).update(from: w.baseAddress! + k * weightCount, count: weightCount)
                    (g + biasOffset).update(from: b.baseAddress! + k * channels, count: channels)
                }
            }
        }
        guard needsInputGradient else { return nil }
        return inputGradient(upstreamRows, examples: n, multiplicity: m, weight: parameters.baseAddress! + weightOffset)
    }

    /// R{Y} = patches(x) V_W^T + patches(R{x}) W^T + V_b.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        let patches = patchRows(input)
        var z = Matrix<Scalar>(rows: patches.rows, columns: outputShape.channels)
        multiplyByWeightTransposed(patches, direction.baseAddress! + weightOffset, into: &z, accumulate: false)
        if let inputR {
            multiplyByWeightTransposed(patchRows(inputR), parameters.baseAddress! + weightOffset, into: &z, accumulate: true)
        }
        return channelMajor(z, examples: input.rows, bias: direction.baseAddress! + biasOffset)
    }

    /// R{dW} = R{D}^T patches(x) + D^T patches(R{x}), R{db} = column sums of R{D},
    /// R{dx} = col2im(R{D} W + D V_W), with D the position-major upstream gradient.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        let n = input.rows, channels = outputShape.channels
        let upstreamRows = positionMajor(upstream, multiplicity: 1)
        let upstreamRRows = positionMajor(upstreamR, multiplicity: 1)
        var weightProduct = Matrix<Scalar>(rows: channels, columns: patchWidth)
        multiplyTransposed(upstreamRRows, patchRows(input), into: &weightProduct, accumulate: false)
        if let inputR {
            multiplyTransposed(upstreamRows, patchRows(inputR), into: &weightProduct, accumulate: true)
        }
        weightProduct.storage.withUnsafeBufferPointer { (hessianProduct + weightOffset).update(from: $0.baseAddress!, count: $0.count) }
        columnSums(upstreamRRows).withUnsafeBufferPointer { (hessianProduct + biasOffset).update(from: $0.baseAddress!, count: channels) }
        guard needsInputGradient else { return nil }
        let w = parameters.baseAddress! + weightOffset, vw = direction.baseAddress! + weightOffset
        var patchGradients = Matrix<Scalar>(rows: upstreamRows.rows, columns: patchWidth)
        multiplyByWeight(upstreamRows, w, into: &patchGradients, accumulate: false)
        var patchGradientsR = Matrix<Scalar>(rows: upstreamRows.rows, columns: patchWidth)
        multiplyByWeight(upstreamRRows, w, into: &patchGradientsR, accumulate: false)
        multiplyByWeight(upstreamRows, vw, into: &patchGradientsR, accumulate: true)
        return (foldPatches(patchGradients, examples: n, multiplicity: 1),
                foldPatches(patchGradientsR, examples: n, multiplicity: 1))
    }

    /// The `m` input gradients `col2im(D W)` from the position-major upstream `D`
    /// (`(N * positions) x (m * out)`, viewed as `(N * positions * m) x out`): one GEMM.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func inputGradient<Scalar: BLASScalar>(
        _ upstreamRows: Matrix<Scalar>, examples n: Int, multiplicity m: Int, weight: UnsafePointer<Scalar>
    ) -> Matrix<Scalar> {
        let stacked = Matrix(rows: upstreamRows.rows * m, columns: outputShape.channels, storage: upstreamRows.storage)
        var patchGradients = Matrix<Scalar>(rows: stacked.rows, columns: patchWidth)
        multiplyByWeight(stacked, weight, into: &patchGradients, accumulate: false)
        return foldPatches(patchGradients, examples: n, multiplicity: m)
    }

    /// `c (+)= a W^T` for `a` of shape `R x patch` and the weight `W` (`out x patch`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func multiplyByWeightTransposed<Scalar: BLASScalar>(
        _ a: Matrix<Scalar>, _ weight: UnsafePointer<Scalar>, into c: inout Matrix<Scalar>, accumulate: Bool
    ) {
        let channels = outputShape.channels, patch = patchWidth
        a.storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar.gemm(transposeA: false, transposeB: true, m: a.rows, n: channels, k: patch,
                            alpha: 1, a: pa.baseAddress!, lda: patch, b: weight, ldb: patch,
                            beta: accumulate ? 1 : 0, c: pc.baseAddress!, ldc: channels)
            }
        }
    }

    /// `c (+)= a W` for `a` of shape `R x out` and the weight `W` (`out x patch`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func multiplyByWeight<Scalar: BLASScalar>(
        _ a: Matrix<Scalar>, _ weight: UnsafePointer<Scalar>, into c: inout Matrix<Scalar>, accumulate: Bool
    ) {
        let channels = outputShape.channels, patch = patchWidth
        a.storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar.gemm(transposeA: false, transposeB: false, m: a.rows, n: patch, k: channels,
                            alpha: 1, a: pa.baseAddress!, lda: channels, b: weight, ldb: patch,
                            beta: accumulate ? 1 : 0, c: pc.baseAddress!, ldc: patch)
            }
        }
    }

    /// `c (+)= a^T b` for `a` of shape `R x c.rows` and `b` of shape `R x c.columns`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func multiplyTransposed<Scalar: BLASScalar>(
        _ a: Matrix<Scalar>, _ b: Matrix<Scalar>, into c: inout Matrix<Scalar>, accumulate: Bool
    ) {
        precondition(a.rows == b.rows && a.columns == c.rows && b.columns == c.columns, "\(self): product shapes")
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transposeA: true, transposeB: false, m: c.rows, n: c.columns, k: a.rows,
                                alpha: 1, a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns,
                                beta: accumulate ? 1 : 0, c: pc.baseAddress!, ldc: c.columns)
                }
            }
        }
    }

    /// The sum of each column of `a` (`1^T a`), one GEMV.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func columnSums<Scalar: BLASScalar>(_ a: Matrix<Scalar>) -> [Scalar] {
        let ones = [Scalar](repeating: 1, count: a.rows)
        var result = [Scalar](repeating: 0, count: a.columns)
        a.storage.withUnsafeBufferPointer { pa in
            ones.withUnsafeBufferPointer { one in
                result.withUnsafeMutableBufferPointer { y in
                    Scalar.gemv(transpose: true, m: a.rows, n: a.columns, alpha: 1, a: pa.baseAddress!, lda: a.columns,
                                x: one.baseAddress!, incx: 1, beta: 0, y: y.baseAddress!, incy: 1)
                }
            }
        }
        return result
    }
}
