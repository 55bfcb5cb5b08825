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
/// Every pass unfolds the input into patch columns (`(in * kernel²) x (N * positions)`) and
/// works on channel rows `channels x (N * positions)`. A backward pass with multiplicity `m`
/// stacks the `m` upstream gradients as `(m * out) x (N * positions)`, so the weight gradients
/// of all `m` are ONE GEMM (`(m * out) x (in * kernel²)`) and the bias gradients one GEMV; the
/// input gradients of all `m` are ONE GEMM `Wᵀ [D_1 … D_m]` followed by one col2im.
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

    /// `Y = W patches + b`: one GEMM `out x (N * positions)` over all examples and positions.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        let patches = patchColumns(input)
        var z = Matrix<Scalar>(rows: outputShape.channels, columns: patches.columns)
        multiplyByWeight(parameters.baseAddress! + weightOffset, patches, into: &z, accumulate: false)
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
        let upstreamRows = channelRows(upstream, multiplicity: m, taskMajor: true)
        let patches = patchColumns(input)
        let channels = outputShape.channels, weightCount = channels * patchWidth
        // All m weight gradients in one GEMM: dW = D patchesᵀ, (m * out) x patch.
        var weightGradients = Matrix<Scalar>(rows: m * channels, columns: patchWidth)
        multiplyByPatchesTransposed(upstreamRows, patches, into: &weightGradients, accumulate: false)
        let biasGradients = rowSums(upstreamRows)
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
        let byChannel = m == 1 ? upstreamRows : channelRows(upstream, multiplicity: m, taskMajor: false)
        return inputGradient(byChannel, examples: n, multiplicity: m, weight: parameters.baseAddress! + weightOffset)
    }

    /// R{Y} = V_W patches(x) + W patches(R{x}) + V_b.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        let patches = patchColumns(input)
        var z = Matrix<Scalar>(rows: outputShape.channels, columns: patches.columns)
        multiplyByWeight(direction.baseAddress! + weightOffset, patches, into: &z, accumulate: false)
        if let inputR {
            multiplyByWeight(parameters.baseAddress! + weightOffset, patchColumns(inputR), into: &z, accumulate: true)
        }
        return channelMajor(z, examples: input.rows, bias: direction.baseAddress! + biasOffset)
    }

    /// R{dW} = R{D} patches(x)ᵀ + D patches(R{x})ᵀ, R{db} = row sums of R{D},
    /// R{dx} = col2im(Wᵀ R{D} + V_Wᵀ D), with D the upstream gradient as channel rows.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        let n = input.rows, channels = outputShape.channels
        let upstreamRows = channelRows(upstream, multiplicity: 1, taskMajor: true)
        let upstreamRRows = channelRows(upstreamR, multiplicity: 1, taskMajor: true)
        var weightProduct = Matrix<Scalar>(rows: channels, columns: patchWidth)
        multiplyByPatchesTransposed(upstreamRRows, patchColumns(input), into: &weightProduct, accumulate: false)
        if let inputR {
            multiplyByPatchesTransposed(upstreamRows, patchColumns(inputR), into: &weightProduct, accumulate: true)
        }
        weightProduct.storage.withUnsafeBufferPointer { (hessianProduct + weightOffset).update(from: $0.baseAddress!, count: $0.count) }
        rowSums(upstreamRRows).withUnsafeBufferPointer { (hessianProduct + biasOffset).update(from: $0.baseAddress!, count: channels) }
        guard needsInputGradient else { return nil }
        let w = parameters.baseAddress! + weightOffset, vw = direction.baseAddress! + weightOffset
        var patchGradients = Matrix<Scalar>(rows: patchWidth, columns: upstreamRows.columns)
        multiplyByWeightTransposed(w, upstreamRows, into: &patchGradients, accumulate: false)
        var patchGradientsR = Matrix<Scalar>(rows: patchWidth, columns: upstreamRows.columns)
        multiplyByWeightTransposed(w, upstreamRRows, into: &patchGradientsR, accumulate: false)
        multiplyByWeightTransposed(vw, upstreamRows, into: &patchGradientsR, accumulate: true)
        return (foldPatchColumns(patchGradients, examples: n, multiplicity: 1),
                foldPatchColumns(patchGradientsR, examples: n, multiplicity: 1))
    }

    /// The `m` input gradients `col2im(Wᵀ D)` from the upstream as channel rows with column
    /// blocks per upstream (`out x (m * N * positions)`): one GEMM, one col2im.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func inputGradient<Scalar: BLASScalar>(
        _ upstreamByChannel: Matrix<Scalar>, examples n: Int, multiplicity m: Int, weight: UnsafePointer<Scalar>
    ) -> Matrix<Scalar> {
        var patchGradients = Matrix<Scalar>(rows: patchWidth, columns: upstreamByChannel.columns)
        multiplyByWeightTransposed(weight, upstreamByChannel, into: &patchGradients, accumulate: false)
        return foldPatchColumns(patchGradients, examples: n, multiplicity: m)
    }

    /// `c (+)= W b` for the weight `W` (`out x patch`) and `b` of shape `patch x C`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func multiplyByWeight<Scalar: BLASScalar>(
        _ weight: UnsafePointer<Scalar>, _ b: Matrix<Scalar>, into c: inout Matrix<Scalar>, accumulate: Bool
    ) {
        precondition(b.rows == patchWidth && c.rows == outputShape.channels && c.columns == b.columns, "\(self): product shapes")
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar.gemm(transposeA: false, transposeB: false, m: c.rows, n: c.columns, k: patchWidth,
                            alpha: 1, a: weight, lda: patchWidth, b: pb.baseAddress!, ldb: b.columns,
                            beta: accumulate ? 1 : 0, c: pc.baseAddress!, ldc: c.columns)
            }
        }
    }

    /// `c (+)= Wᵀ b` for the weight `W` (`out x patch`) and `b` of shape `out x C`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func multiplyByWeightTransposed<Scalar: BLASScalar>(
        _ weight: UnsafePointer<Scalar>, _ b: Matrix<Scalar>, into c: inout Matrix<Scalar>, accumulate: Bool
    ) {
        precondition(b.rows == outputShape.channels && c.rows == patchWidth && c.columns == b.columns, "\(self): product shapes")
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar.gemm(transposeA: true, transposeB: false, m: patchWidth, n: c.columns, k: b.rows,
                            alpha: 1, a: weight, lda: patchWidth, b: pb.baseAddress!, ldb: b.columns,
                            beta: accumulate ? 1 : 0, c: pc.baseAddress!, ldc: c.columns)
            }
        }
    }

    /// `c (+)= a patchesᵀ` for `a` of shape `R x (N * positions)` and the patch columns.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func multiplyByPatchesTransposed<Scalar: BLASScalar>(
        _ a: Matrix<Scalar>, _ patches: Matrix<Scalar>, into c: inout Matrix<Scalar>, accumulate: Bool
    ) {
        precondition(a.columns == patches.columns && c.rows == a.rows && c.columns == patches.rows, "\(self): product shapes")
        a.storage.withUnsafeBufferPointer { pa in
            patches.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transposeA: false, transposeB: true, m: c.rows, n: c.columns, k: a.columns,
                                alpha: 1, a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: patches.columns,
                                beta: accumulate ? 1 : 0, c: pc.baseAddress!, ldc: c.columns)
                }
            }
        }
    }

    /// The sum of each row of `a` (`a 1`), one GEMV.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func rowSums<Scalar: BLASScalar>(_ a: Matrix<Scalar>) -> [Scalar] {
        let ones = [Scalar](repeating: 1, count: a.columns)
        var result = [Scalar](repeating: 0, count: a.rows)
        a.storage.withUnsafeBufferPointer { pa in
            ones.withUnsafeBufferPointer { one in
                result.withUnsafeMutableBufferPointer { y in
                    Scalar.gemv(transpose: false, m: a.rows, n: a.columns, alpha: 1, a: pa.baseAddress!, lda: a.columns,
                                x: one.baseAddress!, incx: 1, beta: 0, y: y.baseAddress!, incy: 1)
                }
            }
        }
        return result
    }
}
