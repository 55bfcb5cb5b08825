import Linalg
import Testing
import Training

@Suite struct AlignedMTLTests {
    /// The balance matrix B, column by column: B e_t is the weight vector for task weights e_t.
    func balance(_ gramian: Matrix<Double>) -> Matrix<Double> {
        let t = gramian.rows
        var b = Matrix<Double>(rows: t, columns: t)
        var generator = RandomGenerator(seed: 0)
        for column in 0..<t {
            var e = [Double](repeating: 0, count: t)
            e[column] = 1
            let w = AlignedMTL(taskWeights: e).weights(gramian: gramian, losses: [], step: 0, generator: &generator)
            for row in 0..<t { b[row, column] = w[row] }
        }
        return b
    }

    @Test func alignedMatrixHasEqualSingularValues() throws {
        var generator = RandomGenerator(seed: 42)
        let (t, p) = (3, 7)
        var j = Matrix<Double>(rows: t, columns: p)
        for i in 0..<t { for k in 0..<p { j[i, k] = generator.normal() * Double(i + 1) } }
        let g = gramian(ofRows: j)
        let b = balance(g)
        // Aligned matrix A = J^T B (P x T); its singular values are the square roots of the
        // eigenvalues of A^T A = B^T G B.
        let aligned = matrixProductForTest(j.transposed, b)
        let singular = try symmetricEigenvalues(gramian(ofRows: aligned.transposed)).map { $0.squareRoot() }
        let lambdaMin = try symmetricEigenvalues(g)[0]
        for s in singular { #expect(abs(s - lambdaMin.squareRoot()) < 1e-9 * lambdaMin.squareRoot() + 1e-12) }

        // The aggregate with default (equal 1/T) task weights is J^T B (1/T, ..., 1/T).
        var aggregator = AlignedMTL()
        let input = AggregationInput(gradients: j, sharedCount: p, losses: [1, 1, 1], step: 0)
        let result = aggregator.aggregate(input, generator: &generator)
        let expectedWeights = (0..<t).map { r in (0..<t).reduce(0.0) { $0 + b[r, $1] / 3 } }
        expectClose(result.weights, expectedWeights, tolerance: 1e-12)
        #expect(aggregator.name == "alignedmtl")
    }

    @Test func orthogonalEqualNormGradientsGiveTheMean() {
        let j = Matrix<Double>([[2, 0, 0, 1], [0, 2, 0, -1], [0, 0, 2, 3]])
        var aggregator = AlignedMTL()
        var generator = RandomGenerator(seed: 1)
        let result = aggregator.aggregate(AggregationInput(gradients: j, sharedCount: 3, losses: [0, 0, 0], step: 0), generator: &generator)
        expectClose(result.weights, [1.0 / 3, 1.0 / 3, 1.0 / 3], tolerance: 1e-12)
        expectClose(result.direction, [2.0 / 3, 2.0 / 3, 2.0 / 3, 1], tolerance: 1e-12)
    }

    @Test func unequalOrthogonalGradientsAreScaledToTheSmallestNorm() {
        // g1 = (3, 0), g2 = (0, 1): lambda = (1, 9), B = diag(1/3, 1), w = (1/6, 1/2);
        // the aligned gradients both have norm 1.
        var generator = RandomGenerator(seed: 1)
        let w = AlignedMTL().weights(gramian: Matrix([[9, 0], [0, 1]]), losses: [0, 0], step: 0, generator: &generator)
        expectClose(w, [1.0 / 6, 0.5], tolerance: 1e-12)
    }

    @Test func dependentGradientsDropTheZeroEigenvalue() {
        // g1 = g2 = (1, 0): M = [[1, 1], [1, 1]], lambda = (0, 2); only v = (1, 1)/sqrt 2 is kept,
        // B = sqrt 2 v v^T / sqrt 2 = v v^T, w = B (1/2, 1/2) = (1/2, 1/2).
        var generator = RandomGenerator(seed: 1)
        let w = AlignedMTL().weights(gramian: Matrix([[1, 1], [1, 1]]), losses: [0, 0], step: 0, generator: &generator)
        expectClose(w, [0.5, 0.5], tolerance: 1e-12)
        // All zero: the task weights come back unchanged.
        let zero = AlignedMTL().weights(gramian: Matrix(rows: 2, columns: 2), losses: [0, 0], step: 0, generator: &generator)
        expectClose(zero, [0.5, 0.5], tolerance: 0)
    }
}

/// A plain triple-loop product for the tests.
func matrixProductForTest(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double> {
    var c = Matrix<Double>(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns { for k in 0..<a.columns { c[i, j] += a[i, k] * b[k, j] } } }
    return c
}
