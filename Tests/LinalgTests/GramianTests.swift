import Testing
import Linalg

@Suite struct GramianTests {
    @Test func handWorkedGramianAndCosinesOverAColumnPrefix() {
        // Rows (3, 4, 100) and (4, -3, 7); over the first two columns they are orthogonal.
        let m = Matrix<Float>([[3, 4, 100], [4, -3, 7]])
        let g = gramian(ofRows: m, columns: 2)
        #expect(g == Matrix([[25, 0], [0, 25]]))
        let full = gramian(ofRows: m)
        #expect(full[0, 1] == 12 - 12 + 700 && full[1, 0] == full[0, 1])
        let c = cosines(fromGramian: Matrix<Double>([[4, -2], [-2, 1]]))
        #expect(c == Matrix([[1, -1], [-1, 1]]))
        #expect(cosines(fromGramian: Matrix<Double>([[0, 0], [0, 1]]))[0, 1] == 0)
    }

    @Test func floatRowsAccumulateInDouble() {
        // 2^24 + 1 ones: a Float accumulator stalls at 2^24, a Double one does not.
        let n = (1 << 24) + 1
        let row = Matrix<Float>(rows: 1, columns: n, repeating: 1)
        #expect(gramian(ofRows: row)[0, 0] == Double(n))
    }
}


@Suite struct GramianBlockTests {
    @Test func matchesTheDefinitionAcrossBlocksAndRaggedEnds() {
        // 2500 columns: two full blocks of 1024, a ragged third, a width that is not a multiple of 8.
        var generator = RandomGenerator(seed: 3)
        let m = Matrix<Double>(rows: 3, columns: 2600, storage: (0..<7800).map { _ in generator.normal() })
        let g = gramian(ofRows: m, columns: 2503)
        for i in 0..<3 { for j in 0..<3 {
            let direct = (0..<2503).reduce(0.0) { $0 + m[i, $1] * m[j, $1] }
            #expect(abs(g[i, j] - direct) < 1e-10 * max(1, abs(direct)))
        } }
        #expect(g[0, 2] == g[2, 0])
    }
}
