import Testing
import Linalg

@Suite struct VectorOperationsTests {
    @Test func levelOneOperationsOnAHandWorkedVector() {
        let x: [Double] = [3, 4, 0], y: [Double] = [1, -2, 5]
        #expect(dot(x, y) == 3 - 8)
        #expect(norm(x) == 5)
        var z = y
        axpy(2, x, &z)
        #expect(z == [7, 6, 5])
        scale(&z, by: 0.5)
        #expect(z == [3.5, 3, 2.5])
        let precise = x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { preciseDot(px, $0) } }
        #expect(precise == -5)
    }
}

