import Linalg

/// A fully connected layer `y = x W^T + b`, with `W` stored `[out, in]` then `b` `[out]`
/// like PyTorch's `nn.Linear`, so a checkpoint maps one-to-one onto a PyTorch module.
public struct Linear: Layer {
    public let inputWidth: Int
    public let outputWidth: Int
    public var parameterOffset: Int = 0

    public init(inputWidth: Int, outputWidth: Int) {
        precondition(inputWidth > 0 && outputWidth > 0, "Linear needs positive widths")
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
    }

    public var description: String { "Linear(\(inputWidth) -> \(outputWidth))" }

    public var parameterShapes: [ParameterShape] {
        [ParameterShape(name: "weight", shape: [outputWidth, inputWidth]),
         ParameterShape(name: "bias", shape: [outputWidth])]
    }

    var weightOffset: Int { parameterOffset }
    var biasOffset: Int { parameterOffset + outputWidth * inputWidth }

    /// Kaiming/He uniform weights, U(-sqrt(6 / fan_in), +sqrt(6 / fan_in)) (He et al. 2015),
    /// and zero biases.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {
        let bound = (6.0 / Double(inputWidth)).squareRoot()
        for i in 0..<(outputWidth * inputWidth) {
            parameters[weightOffset + i] = Scalar(generator.uniform(-bound, bound))
        }
        for i in 0..<outputWidth { parameters[biasOffset + i] = 0 }
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        precondition(input.columns == inputWidth, "\(self) got \(input.columns) features")
        let n = input.rows
        var output = Matrix<Scalar>(rows: n, columns: outputWidth)
        let p = parameters.baseAddress!
        output.storage.withUnsafeMutableBufferPointer { y in
            for row in 0..<n {
                (y.baseAddress! + row * outputWidth).update(from: p + biasOffset, count: outputWidth)
            }
            input.storage.withUnsafeBufferPointer { x in
                Scalar.gemm(transposeA: false, transposeB: true, m: n, n: outputWidth, k: inputWidth,
                            alpha: 1, a: x.baseAddress!, lda: inputWidth, b: p + weightOffset, ldb: inputWidth,
                            beta: 1, c: y.baseAddress!, ldc: outputWidth)
            }
        }
        return output
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity m: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>? {
        let n = input.rows
        precondition(upstream.rows == n && upstream.columns == m * outputWidth, "\(self): upstream shape")
        let ones = [Scalar](repeating: 1, count: n)
        upstream.storage.withUnsafeBufferPointer { dy in
            input.storage.withUnsafeBufferPointer { x in
                ones.withUnsafeBufferPointer { one in
                    for k in 0..<m {
                        let g = gradients + k * gradientStride
                        // dW_k = dY_k^T X  (out x in), dY_k the k-th column block of dY.
                        Scalar.gemm(transposeA: true, transposeB: false, m: outputWidth, n: inputWidth, k: n,
                                    alpha: 1, a: dy.baseAddress! + k * outputWidth, lda: m * outputWidth,
                                    b: x.baseAddress!, ldb: inputWidth, beta: 0, c: g + weightOffset, ldc: inputWidth)
                        // db_k = dY_k^T 1
                        Scalar.gemv(transpose: true, m: n, n: outputWidth, alpha: 1,
                                    a: dy.baseAddress! + k * outputWidth, lda: m * outputWidth,
                                    x: one.baseAddress!, incx: 1, beta: 0, y: g + biasOffset, incy: 1)
                    }
                }
            }
        }
        guard needsInputGradient else { return nil }
        // Viewed as (N*m) x out, dY times W gives the (N*m) x in input gradients, which is
        // exactly the N x (m*in) layout.
        var downstream = Matrix<Scalar>(rows: n, columns: m * inputWidth)
        upstream.storage.withUnsafeBufferPointer { dy in
            downstream.storage.withUnsafeMutableBufferPointer { dx in
                Scalar.gemm(transposeA: false, transposeB: false, m: n * m, n: inputWidth, k: outputWidth,
                            alpha: 1, a: dy.baseAddress!, lda: outputWidth,
                            b: parameters.baseAddress! + weightOffset, ldb: inputWidth,
                            beta: 0, c: dx.baseAddress!, ldc: inputWidth)
            }
        }
        return downstream
    }

    /// R{y} = R{x} W^T + x V_W^T + V_b.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        let n = input.rows
        var outputR = Matrix<Scalar>(rows: n, columns: outputWidth)
        let v = direction.baseAddress!
        outputR.storage.withUnsafeMutableBufferPointer { ry in
            for row in 0..<n {
                (ry.baseAddress! + row * outputWidth).update(from: v + biasOffset, count: outputWidth)
            }
            input.storage.withUnsafeBufferPointer { x in
                Scalar.gemm(transposeA: false, transposeB: true, m: n, n: outputWidth, k: inputWidth,
                            alpha: 1, a: x.baseAddress!, lda: inputWidth, b: v + weightOffset, ldb: inputWidth,
                            beta: 1, c: ry.baseAddress!, ldc: outputWidth)
            }
            if let inputR {
                inputR.storage.withUnsafeBufferPointer { rx in
                    Scalar.gemm(transposeA: false, transposeB: true, m: n, n: outputWidth, k: inputWidth,
                                alpha: 1, a: rx.baseAddress!, lda: inputWidth,
                                b: parameters.baseAddress! + weightOffset, ldb: inputWidth,
                                beta: 1, c: ry.baseAddress!, ldc: outputWidth)
                }
            }
        }
        return outputR
    }

    /// R{dW} = R{dY}^T X + dY^T R{X}, R{db} = R{dY}^T 1, R{dX} = R{dY} W + dY V_W.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        let n = input.rows
        let w = parameters.baseAddress! + weightOffset
        let vw = direction.baseAddress! + weightOffset
        let ones = [Scalar](repeating: 1, count: n)
        upstreamR.storage.withUnsafeBufferPointer { rdy in
            input.storage.withUnsafeBufferPointer { x in
                Scalar.gemm(transposeA: true, transposeB: false, m: outputWidth, n: inputWidth, k: n,
                            alpha: 1, a: rdy.baseAddress!, lda: outputWidth, b: x.baseAddress!, ldb: inputWidth,
                            beta: 0, c: hessianProduct + weightOffset, ldc: inputWidth)
            }
            ones.withUnsafeBufferPointer { one in
                Scalar.gemv(transpose: true, m: n, n: outputWidth, alpha: 1, a: rdy.baseAddress!, lda: outputWidth,
                            x: one.baseAddress!, incx: 1, beta: 0, y: hessianProduct + biasOffset, incy: 1)
            }
        }
        if let inputR {
            upstream.storage.withUnsafeBufferPointer { dy in
                inputR.storage.withUnsafeBufferPointer { rx in
                    Scalar.gemm(transposeA: true, transposeB: false, m: outputWidth, n: inputWidth, k: n,
                                alpha: 1, a: dy.baseAddress!, lda: outputWidth, b: rx.baseAddress!, ldb: inputWidth,
                                beta: 1, c: hessianProduct + weightOffset, ldc: inputWidth)
                }
            }
        }
        guard needsInputGradient else { return nil }
        let gradient = matrixTimesWeight(upstream, w)
        var gradientR = matrixTimesWeight(upstreamR, w)
        upstream.storage.withUnsafeBufferPointer { dy in
            gradientR.storage.withUnsafeMutableBufferPointer { rdx in
                Scalar.gemm(transposeA: false, transposeB: false, m: n, n: inputWidth, k: outputWidth,
                            alpha: 1, a: dy.baseAddress!, lda: outputWidth, b: vw, ldb: inputWidth,
                            beta: 1, c: rdx.baseAddress!, ldc: inputWidth)
            }
        }
        return (gradient, gradientR)
    }

    /// `a W` for `a` of shape `N x out`: `N x in`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func matrixTimesWeight<Scalar: BLASScalar>(_ a: Matrix<Scalar>, _ w: UnsafePointer<Scalar>) -> Matrix<Scalar> {
        var result = Matrix<Scalar>(rows: a.rows, columns: inputWidth)
        a.storage.withUnsafeBufferPointer { pa in
            result.storage.withUnsafeMutableBufferPointer { pr in
                Scalar.gemm(transposeA: false, transposeB: false, m: a.rows, n: inputWidth, k: outputWidth,
                            alpha: 1, a: pa.baseAddress!, lda: outputWidth, b: w, ldb: inputWidth,
                            beta: 0, c: pr.baseAddress!, ldc: inputWidth)
            }
        }
        return result
    }
}
