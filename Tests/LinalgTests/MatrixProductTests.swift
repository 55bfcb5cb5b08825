import Testing
import Linalg

@Suite struct MatrixProductTests {
    /// The product by the definition, three loops.
    func naive(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func everyTransposeCombinationMatchesTheDefinition(transposeA: Bool, transposeB: Bool) {
        var generator = RandomGenerator(seed: 9)
        let a = Matrix<Double>(rows: 3, columns: 4, storage: (0..<12).map { _ in generator.normal() })
        let b = Matrix<Double>(rows: transposeA == transposeB ? 4 : 3, columns: transposeA == transposeB ? 3 : 4,
                               storage: (0..<12).map { _ in generator.normal() })
        // Choose b's orientation so that op(a) * op(b) is defined.
        let opA = transposeA ? a.transposed : a
        let bFixed = transposeB ? Matrix<Double>(rows: opA.columns == 4 ? 2 : 2, columns: opA.columns, storage: Array(b.storage.prefix(2 * opA.columns)))
                                : Matrix<Double>(rows: opA.columns, columns: 2, storage: Array(b.storage.prefix(2 * opA.columns)))
        let opB = transposeB ? bFixed.transposed : bFixed
        let product = matrixProduct(a, transposed: transposeA, bFixed, transposed: transposeB)
        let expected = naive((0..<opA.rows).map(opA.row), (0..<opB.rows).map(opB.row))
        #expect(product.rows == expected.count && product.columns == expected[0].count)
        for i in 0..<product.rows { for j in 0..<product.columns { #expect(abs(product[i, j] - expected[i][j]) < 1e-13) } }
    }

    @Test func floatGemmAgreesWithDouble() {
        var generator = RandomGenerator(seed: 2)
        let a = Matrix<Double>(rows: 20, columns: 30, storage: (0..<600).map { _ in generator.normal() })
        let b = Matrix<Double>(rows: 30, columns: 10, storage: (0..<300).map { _ in generator.normal() })
        let exact = matrixProduct(a, b)
        let single = matrixProduct(a.converted(to: Float.self), b.converted(to: Float.self))
        for i in 0..<exact.count { #expect(abs(Double(single.storage[i]) - exact.storage[i]) < 1e-4) }
    }

    @Test func multiplyAccumulateAddsScaledProduct() {
        let a = Matrix<Double>([[1, 2]]), b = Matrix<Double>([[3], [4]])
        var c = Matrix<Double>([[10]])
        multiplyAccumulate(a, b, into: &c, alpha: 2, beta: 0.5)
        #expect(c[0, 0] == 2 * 11 + 5)
    }
}

@Suite struct MatrixVectorProductTests {
    @Test func handWorkedProduct() {
        #expect(matrixVectorProduct(Matrix<Double>([[1, 2], [3, 4], [5, 6]]), [1, -1]) == [-1, -1, -1])
    }
}

@Suite struct TransposedMatrixVectorProductTests {
    @Test func handWorkedTransposedProduct() {
        #expect(matrixVectorProduct(Matrix<Double>([[1, 2], [3, 4], [5, 6]]), [1, 0, -1], transposed: true) == [-4, -4])
    }
}
