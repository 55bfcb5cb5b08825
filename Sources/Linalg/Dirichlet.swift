import Foundation

extension RandomGenerator {
    /// A sample of the Gamma(shape, 1) distribution: Marsaglia and Tsang's method (2000) for
    /// shape >= 1, boosted by `U^(1/shape)` below 1.
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "the Gamma shape must be positive")
        if shape < 1 { return gamma(shape: shape + 1) * pow(uniform(), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A point of the probability simplex drawn from the symmetric Dirichlet distribution with
    /// `concentration` α (α = 1: uniform on the simplex): `count` non-negative numbers summing to 1.
    public mutating func dirichlet(count: Int, concentration: Double = 1) -> [Double] {
        precondition(count >= 1, "a Dirichlet sample needs at least one component")
        let draws = (0..<count).map { _ in gamma(shape: concentration) }
        let total = draws.reduce(0, +)
        return draws.map { $0 / total }
    }
}
