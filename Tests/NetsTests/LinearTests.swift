import Testing
import Linalg
@testable import Nets

@Suite struct LinearTests {
    @Test func forwardIsXWTransposePlusBias() {
        let layer = Linear(inputWidth: 2, outputWidth: 3)
        // W = [[1, 2], [3, 4], [5, 6]] stored [out, in], b = [0.5, -1, 2].
        let parameters: [Double] = [1, 2, 3, 4, 5, 6, 0.5, -1, 2]
        let x = Matrix<Double>([[1, -1], [2, 0.5]])
        let y = parameters.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        let expected = Matrix<Double>([[-0.5, -2, 1], [3.5, 7, 15]])  // x W^T = [[-1, -1, -1], [3, 8, 13]], plus b
        #expect(y == expected)
    }

    @Test func backwardWithMultiplicityEqualsSeparatePasses() {
        var generator = RandomGenerator(seed: 1)
        let layer = Linear(inputWidth: 3, outputWidth: 2)
        let parameters = (0..<8).map { _ in generator.normal() }
        let x = Matrix<Double>(rows: 4, columns: 3, storage: (0..<12).map { _ in generator.normal() })
        let y = parameters.withUnsafeBufferPointer { layer.forward(x, parameters: $0) }
        let upstreams = (0..<3).map { _ in Matrix<Double>(rows: 4, columns: 2, storage: (0..<8).map { _ in generator.normal() }) }
        // Side by side: row n holds the three upstream vectors of example n.
        var stacked = Matrix<Double>(rows: 4, columns: 6)
        for n in 0..<4 { for k in 0..<3 { for j in 0..<2 { stacked[n, k * 2 + j] = upstreams[k][n, j] } } }
        var together = [Double](repeating: 0, count: 3 * 8)
        let downstream = parameters.withUnsafeBufferPointer { p in
            together.withUnsafeMutableBufferPointer { g in
                layer.backward(input: x, output: y, upstream: stacked, multiplicity: 3, parameters: p,
                               gradients: g.baseAddress!, gradientStride: 8, needsInputGradient: true)!
            }
        }
        for k in 0..<3 {
            var alone = [Double](repeating: 0, count: 8)
            let single = parameters.withUnsafeBufferPointer { p in
                alone.withUnsafeMutableBufferPointer { g in
                    layer.backward(input: x, output: y, upstream: upstreams[k], multiplicity: 1, parameters: p,
                                   gradients: g.baseAddress!, gradientStride: 0, needsInputGradient: true)!
                }
            }
            #expect(relativeError(Array(together[(k * 8)..<((k + 1) * 8)]), alone) < 1e-14)
            for n in 0..<4 { for j in 0..<3 { #expect(abs(downstream[n, k * 3 + j] - single[n, j]) < 1e-14) } }
            // Hand check of dW = dY^T X for this upstream.
            for o in 0..<2 { for i in 0..<3 {
                let expected = (0..<4).reduce(0.0) { $0 + upstreams[k][$1, o] * x[$1, i] }
                #expect(abs(alone[o * 3 + i] - expected) < 1e-13)
            } }
        }
    }
}
