import Testing
@testable import Linalg

@Suite struct DirichletTests {
    /// Gamma(k, 1) has mean k and variance k; 20000 draws put the sample mean within
    /// 5 standard errors (sqrt(k / 20000)) of k.
    @Test(arguments: [0.5, 1.0, 3.0])
    func gammaHasMeanAndVarianceShape(shape: Double) {
        var generator = RandomGenerator(seed: 7)
        let draws = (0..<20_000).map { _ in generator.gamma(shape: shape) }
        let mean = draws.reduce(0, +) / 20_000
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 19_999
        #expect(abs(mean - shape) < 5 * (shape / 20_000).squareRoot())
        #expect(abs(variance - shape) < 0.1 * shape)
        #expect(draws.allSatisfy { $0 > 0 })
    }

    /// Dirichlet(α) components are non-negative, sum to 1 and have mean 1/T; with α = 1 the
    /// first component of 3 has variance (1/3)(2/3)/4 = 1/18.
    @Test func dirichletSamplesTheSimplex() {
        var generator = RandomGenerator(seed: 3)
        let samples = (0..<20_000).map { _ in generator.dirichlet(count: 3) }
        #expect(samples.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 && $0.allSatisfy { $0 >= 0 } })
        let first = samples.map { $0[0] }
        let mean = first.reduce(0, +) / 20_000
        let variance = first.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 19_999
        #expect(abs(mean - 1.0 / 3) < 5 * (1.0 / 18 / 20_000).squareRoot())
        #expect(abs(variance - 1.0 / 18) < 0.005)
    }
}
