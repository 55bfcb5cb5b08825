import Testing
import Linalg
@testable import Nets

@Suite struct MaxPool2dTests {
    /// 2 channels of 6x6 maps, kernel 2, stride 2: output 2x3x3. Random inputs have no ties.
    func check(kernel: Int = 2, stride: Int? = nil, batch: Int = 2) -> LayerCheck<MaxPool2d> {
        let layer = MaxPool2d(input: FeatureMapShape(channels: 2, height: 6, width: 6), kernelSize: kernel, stride: stride)
        return LayerCheck(layer: layer, parameters: [], input: randomMatrix(rows: batch, columns: layer.inputWidth, seed: 41),
                          linearTerm: randomMatrix(rows: batch, columns: layer.outputWidth, seed: 42))
    }

    @Test func handWorkedForwardAndRouting() {
        // One 4x4 map; windows {1, 5, 2, 0}, {3, -1, 4, 4}, {0, 0, 7, 0}, {-2, -3, -1, -4}.
        let x = Matrix<Double>([[1, 5, 3, -1,
                                 2, 0, 4, 4,
                                 0, 0, -2, -3,
                                 7, 0, -1, -4]])
        let layer = MaxPool2d(input: FeatureMapShape(channels: 1, height: 4, width: 4))
        let none: [Double] = []
        let y = none.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        #expect(y == Matrix([[5, 4, 7, -1]]))
        // The tie 4, 4 goes to the first in row-major order, as PyTorch.
        var unused = [Double](repeating: 0, count: 1)
        let dx = none.withUnsafeBufferPointer { p in
            unused.withUnsafeMutableBufferPointer { g in
                layer.backward(input: x, output: y, upstream: Matrix([[10, 20, 30, 40]]), multiplicity: 1, parameters: p,
                               gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: true)!
            }
        }
        #expect(dx == Matrix([[0, 10, 0, 0,
                               0, 0, 20, 0,
                               0, 0, 0, 0,
                               30, 0, 40, 0]]))
    }

    @Test(arguments: [(2, 2), (3, 2), (3, 1)])
    func inputGradientMatchesFiniteDifferences(kernel: Int, stride: Int) {
        let check = check(kernel: kernel, stride: stride)
        #expect(poolingMargin(check.layer, input: check.input) > 1e-3)
        let analytic = check.gradients(parameters: [], input: check.input)
        let numeric = check.finiteDifferenceGradients(step: 1e-6)
        #expect(relativeError(analytic.input.storage, numeric.input) < 1e-8)
    }

    @Test func multiplicityTwoEqualsTwoSeparatePasses() {
        let check = check(kernel: 3, stride: 1, batch: 3)
        let layer = check.layer
        let y = check.output(parameters: [], input: check.input)
        let upstreams = [randomMatrix(rows: 3, columns: layer.outputWidth, seed: 43),
                         randomMatrix(rows: 3, columns: layer.outputWidth, seed: 44)]
        func backward(_ upstream: Matrix<Double>, multiplicity: Int) -> Matrix<Double> {
            var unused = [Double](repeating: 0, count: 1)
            let none: [Double] = []
            return none.withUnsafeBufferPointer { p in
                unused.withUnsafeMutableBufferPointer { g in
                    layer.backward(input: check.input, output: y, upstream: upstream, multiplicity: multiplicity, parameters: p,
                                   gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: true)!
                }
            }
        }
        let together = backward(sideBySide(upstreams), multiplicity: 2)
        for k in 0..<2 {
            #expect(block(k, of: together, multiplicity: 2) == backward(upstreams[k], multiplicity: 1))
        }
    }

    @Test func rPassesMatchFiniteDifferences() {
        let check = check(kernel: 3, stride: 1)
        let inputR = randomMatrix(rows: check.input.rows, columns: check.input.columns, seed: 45)
        let exact = check.rPasses(direction: [], inputR: inputR)
        let numeric = check.finiteDifferenceRPasses(direction: [], inputR: inputR, step: 1e-6)
        #expect(relativeError(exact.outputR.storage, numeric.outputR) < 1e-8)
        #expect(relativeError(exact.inputGradientR.storage, numeric.inputGradientR) < 1e-8)
    }
}
