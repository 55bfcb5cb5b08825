import Testing
import Linalg
@testable import Nets

@Suite struct Conv2dTests {
    /// 2 channels in, 3 out, 5x5 maps, kernel 3, stride 2, padding 1: output 3x3.
    func strideAndPaddingCheck(batch: Int = 2, kernel: Int = 3, stride: Int = 2, padding: Int = 1) -> LayerCheck<Conv2d> {
        var layer = Conv2d(input: FeatureMapShape(channels: 2, height: 5, width: 5), outputChannels: 3, kernelSize: kernel,
                           stride: stride, padding: padding)
        layer.parameterOffset = 0
        return LayerCheck(layer: layer, parameters: randomVector(layer.parameterCount, seed: 11),
                          input: randomMatrix(rows: batch, columns: layer.inputWidth, seed: 12),
                          linearTerm: randomMatrix(rows: batch, columns: layer.outputWidth, seed: 13))
    }

    @Test func shapesFollowPyTorch() {
        let layer = Conv2d(input: FeatureMapShape(channels: 2, height: 5, width: 5), outputChannels: 3, kernelSize: 3,
                           stride: 2, padding: 1)
        #expect(layer.outputShape == FeatureMapShape(channels: 3, height: 3, width: 3))
        #expect(layer.parameterShapes == [ParameterShape(name: "weight", shape: [3, 2, 3, 3]), ParameterShape(name: "bias", shape: [3])])
        #expect(layer.inputWidth == 50 && layer.outputWidth == 27)
        let lenet = Conv2d(input: FeatureMapShape(channels: 1, height: 28, width: 28), outputChannels: 10, kernelSize: 5)
        #expect(lenet.outputShape == FeatureMapShape(channels: 10, height: 24, width: 24))
    }

    @Test func handWorkedForwardValues() {
        // Input [[1, 2, 3], [4, 5, 6], [7, 8, 9]].
        let x = Matrix<Double>([[1, 2, 3, 4, 5, 6, 7, 8, 9]])
        // Two output channels, kernel 2: [[1, 2], [3, 4]] with bias 0.5 and [[0, 1], [-1, 0]] with bias -1.
        let layer = Conv2d(input: FeatureMapShape(channels: 1, height: 3, width: 3), outputChannels: 2, kernelSize: 2)
        let parameters: [Double] = [1, 2, 3, 4, 0, 1, -1, 0, 0.5, -1]
        let y = parameters.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        // Channel 0: 1+4+12+20, 2+6+15+24, 4+10+21+32, 5+12+24+36, plus 0.5; channel 1: x01 - x10 - 1, ...
        let expected: [Double] = [37.5, 47.5, 67.5, 77.5, -3, -3, -3, -3]
        #expect(y.storage == expected)

        // Stride 2 and padding 1 with an all-ones kernel: each output sums the pixels its window
        // covers: {1}, {2, 3}, {4, 7}, {5, 6, 8, 9}.
        let padded = Conv2d(input: FeatureMapShape(channels: 1, height: 3, width: 3), outputChannels: 1, kernelSize: 2,
                            stride: 2, padding: 1)
        #expect(padded.outputShape == FeatureMapShape(channels: 1, height: 2, width: 2))
        let ones: [Double] = [1, 1, 1, 1, 0]
        let z = ones.withUnsafeBufferPointer { padded.forward(x, parameters: $0) }
        #expect(z == Matrix([[1, 5, 11, 28]]))
    }

    @Test func forwardMatchesADirectSumOverTheWindow() {
        let check = strideAndPaddingCheck()
        let layer = check.layer, shape = layer.inputShape, out = layer.outputShape
        let y = check.output(parameters: check.parameters, input: check.input)
        for e in 0..<2 { for o in 0..<3 { for oi in 0..<3 { for oj in 0..<3 {
            var sum = check.parameters[layer.biasOffset + o]
            for c in 0..<2 { for ki in 0..<3 { for kj in 0..<3 {
                let i = oi * 2 - 1 + ki, j = oj * 2 - 1 + kj
                guard i >= 0 && i < 5 && j >= 0 && j < 5 else { continue }
                sum += check.parameters[((o * 2 + c) * 3 + ki) * 3 + kj] * check.input[e, (c * shape.height + i) * shape.width + j]
            } } }
            #expect(abs(y[e, (o * out.height + oi) * out.width + oj] - sum) < 1e-13)
        } } } }
    }

    /// Kernel, stride, padding: the main case, then a padding wider than the kernel (whole
    /// windows in the padding) and a 1x1 kernel.
    static let geometries = [(3, 2, 1), (2, 1, 3), (1, 1, 0), (4, 3, 2)]

    @Test(arguments: geometries)
    func weightBiasAndInputGradientsMatchFiniteDifferences(kernel: Int, stride: Int, padding: Int) {
        let check = strideAndPaddingCheck(kernel: kernel, stride: stride, padding: padding)
        let analytic = check.gradients(parameters: check.parameters, input: check.input)
        let numeric = check.finiteDifferenceGradients(step: 1e-5)
        let weights = 0..<check.layer.biasOffset, biases = check.layer.biasOffset..<check.parameters.count
        #expect(relativeError(Array(analytic.parameters[weights]), Array(numeric.parameters[weights])) < 1e-8)
        #expect(relativeError(Array(analytic.parameters[biases]), Array(numeric.parameters[biases])) < 1e-8)
        #expect(relativeError(analytic.input.storage, numeric.input) < 1e-8)
    }

    @Test func multiplicityTwoEqualsTwoSeparatePasses() {
        let check = strideAndPaddingCheck(batch: 3)
        let layer = check.layer, count = layer.parameterCount
        let y = check.output(parameters: check.parameters, input: check.input)
        let upstreams = [randomMatrix(rows: 3, columns: layer.outputWidth, seed: 21),
                         randomMatrix(rows: 3, columns: layer.outputWidth, seed: 22)]
        func backward(_ upstream: Matrix<Double>, multiplicity: Int) -> ([Double], Matrix<Double>) {
            var g = [Double](repeating: .nan, count: multiplicity * count + 5)
            let dx = check.parameters.withUnsafeBufferPointer { p in
                g.withUnsafeMutableBufferPointer { gp in
                    layer.backward(input: check.input, output: y, upstream: upstream, multiplicity: multiplicity, parameters: p,
                                   gradients: gp.baseAddress!, gradientStride: count + 5, needsInputGradient: true)!
                }
            }
            return (g, dx)
        }
        let (together, downstream) = backward(sideBySide(upstreams), multiplicity: 2)
        for k in 0..<2 {
            let (alone, single) = backward(upstreams[k], multiplicity: 1)
            let start = k * (count + 5)
            #expect(relativeError(Array(together[start..<(start + count)]), Array(alone[0..<count])) < 1e-14)
            #expect(relativeError(block(k, of: downstream, multiplicity: 2).storage, single.storage) < 1e-14)
        }
        // The stride's gap between the two gradients is left untouched.
        #expect(together[count..<(count + 5)].allSatisfy { $0.isNaN })
    }

    @Test(arguments: geometries)
    func rPassesMatchFiniteDifferences(kernel: Int, stride: Int, padding: Int) {
        let check = strideAndPaddingCheck(kernel: kernel, stride: stride, padding: padding)
        let v = randomVector(check.parameters.count, seed: 31)
        let inputR = randomMatrix(rows: check.input.rows, columns: check.input.columns, seed: 32)
        let exact = check.rPasses(direction: v, inputR: inputR)
        let numeric = check.finiteDifferenceRPasses(direction: v, inputR: inputR, step: 1e-5)
        #expect(relativeError(exact.outputR.storage, numeric.outputR) < 1e-8)
        #expect(relativeError(exact.hessianProduct, numeric.hessianProduct) < 1e-7)
        #expect(relativeError(exact.inputGradientR.storage, numeric.inputGradientR) < 1e-7)
    }

    @Test func initialisationIsHeUniformOverTheFanIn() {
        var layer = Conv2d(input: FeatureMapShape(channels: 4, height: 8, width: 8), outputChannels: 50, kernelSize: 5)
        layer.parameterOffset = 3
        var parameters = [Double](repeating: .nan, count: 3 + layer.parameterCount)
        var generator = RandomGenerator(seed: 4)
        parameters.withUnsafeMutableBufferPointer { layer.initialize($0, generator: &generator) }
        let weights = parameters[3..<layer.biasOffset], bound = (6.0 / 100).squareRoot()
        #expect(weights.count == 5000 && weights.allSatisfy { abs($0) <= bound })
        let variance = weights.reduce(0) { $0 + $1 * $1 } / Double(weights.count)
        #expect(abs(variance / (bound * bound / 3) - 1) < 0.06)
        #expect(parameters[layer.biasOffset...].allSatisfy { $0 == 0 })
        #expect(parameters[0..<3].allSatisfy { $0.isNaN })
    }
}
