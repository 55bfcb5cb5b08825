import Testing
import Linalg
@testable import Nets

@Suite struct FlattenTests {
    /// Flatten owns no parameters and passes values, gradients (all m of them) and R-derivatives through.
    @Test func passesEverythingThrough() {
        let layer = Flatten(width: 3)
        #expect(layer.parameterCount == 0)
        let x = Matrix<Double>([[1, -2, 3], [4, 5, -6]])
        let none: [Double] = []
        let y = none.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        #expect(y == x)
        let upstream = Matrix<Double>([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]])
        var unused = [Double](repeating: 0, count: 1)
        let dx = none.withUnsafeBufferPointer { p in
            unused.withUnsafeMutableBufferPointer { g in
                layer.backward(input: x, output: y, upstream: upstream, multiplicity: 2, parameters: p,
                               gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: true)!
            }
        }
        #expect(dx == upstream)
        let r = none.withUnsafeBufferPointer { layer.forwardR(input: x, inputR: nil, output: y, parameters: $0, direction: $0) }
        #expect(r == Matrix(rows: 2, columns: 3))
    }
}
