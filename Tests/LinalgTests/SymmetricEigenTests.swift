import Testing
import Linalg

@Suite struct SymmetricEigenTests {
    @Test func twoByTwoClosedForm() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with vectors (1, -1)/sqrt2 and (1, 1)/sqrt2.
        let eigen = try SymmetricEigen(Matrix<Double>([[2, 1], [1, 2]]))
        #expect(abs(eigen.values[0] - 1) < 1e-14 && abs(eigen.values[1] - 3) < 1e-14)
        let v = [eigen.vectors[0, 1], eigen.vectors[1, 1]]
        #expect(abs(abs(v[0]) - 0.5.squareRoot()) < 1e-14 && abs(v[0] - v[1]) < 1e-14)
    }

    @Test(arguments: [Float.self, Double.self] as [any BLASScalar.Type])
    func reconstructsARandomSymmetricMatrix(type: any BLASScalar.Type) throws {
        func check<S: BLASScalar>(_: S.Type) throws {
            var generator = RandomGenerator(seed: 5)
            let n = 6
            var a = Matrix<S>(rows: n, columns: n)
            for i in 0..<n { for j in 0...i { let x = S(generator.normal()); a[i, j] = x; a[j, i] = x } }
            let eigen = try SymmetricEigen(a)
            #expect(eigen.values == eigen.values.sorted())
            // A = V diag(w) V^T, entry by entry.
            var worst = 0.0
            for i in 0..<n { for j in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += Double(eigen.vectors[i, k]) * Double(eigen.values[k]) * Double(eigen.vectors[j, k]) }
                worst = max(worst, abs(sum - Double(a[i, j])))
            } }
            #expect(worst < (S.self == Float.self ? 1e-4 : 1e-12))
            let valuesOnly = try symmetricEigenvalues(a)
            for (x, y) in zip(valuesOnly, eigen.values) { #expect(abs(Double(x - y)) < 1e-4) }
        }
        try check(type)
    }
}
