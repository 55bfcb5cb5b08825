import Testing
import Foundation
import Linalg
@testable import Nets

@Suite struct ActivationTests {
    @Test func reluForwardAndBackwardWithMultiplicity() {
        let layer = ReLU(width: 2)
        let x = Matrix<Double>([[1, -2], [-0.5, 3]])
        let none: [Double] = []
        let y = none.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        #expect(y == Matrix([[1, 0], [0, 3]]))
        // Two upstream vectors per example, side by side.
        let upstream = Matrix<Double>([[10, 20, 30, 40], [50, 60, 70, 80]])
        var unused = [Double](repeating: 0, count: 1)
        let dx = none.withUnsafeBufferPointer { p in
            unused.withUnsafeMutableBufferPointer { g in
                layer.backward(input: x, output: y, upstream: upstream, multiplicity: 2, parameters: p,
                               gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: true)!
            }
        }
        #expect(dx == Matrix([[10, 0, 30, 0], [0, 60, 0, 80]]))
    }

    @Test func tanhBackwardIsOneMinusOutputSquared() {
        let layer = Tanh(width: 1)
        let x = Matrix<Double>([[0.3]])
        let none: [Double] = []
        let y = none.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        #expect(abs(y[0, 0] - tanh(0.3)) < 1e-15)
        var unused = [Double](repeating: 0, count: 1)
        let dx = none.withUnsafeBufferPointer { p in
            unused.withUnsafeMutableBufferPointer { g in
                layer.backward(input: x, output: y, upstream: Matrix([[2]]), multiplicity: 1, parameters: p,
                               gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: true)!
            }
        }
        #expect(abs(dx[0, 0] - 2 * (1 - tanh(0.3) * tanh(0.3))) < 1e-15)
    }
}
