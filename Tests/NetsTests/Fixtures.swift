import Linalg
@testable import Nets

/// A small two-task model and batch in Double: a Tanh trunk 5 -> 6 -> 4, a 3-class
/// classification head `a` and a 2-output regression head `b`. Tanh keeps the loss smooth,
/// so finite differences are reliable.
struct SmallProblem {
    var model: MultiTaskModel<Double>
    var inputs: Matrix<Double>
    var targets: [Matrix<Double>]

    init(activation: Activation = .tanh, seed: UInt64 = 7, batch: Int = 7) {
        model = .multilayerPerceptron(
            inputWidth: 5, trunkWidths: [6, 4], activation: activation,
            heads: [("a", 3, .crossEntropy), ("b", 2, .meanSquaredError)], seed: seed)
        var generator = RandomGenerator(seed: seed, stream: 99)
        inputs = Matrix(rows: batch, columns: 5, storage: (0..<(batch * 5)).map { _ in generator.normal() })
        let labels = Matrix(rows: batch, columns: 1, storage: (0..<batch).map { _ in Double(generator.integer(below: 3)) })
        let values = Matrix(rows: batch, columns: 2, storage: (0..<(batch * 2)).map { _ in generator.normal() })
        targets = [labels, values]
    }

    /// `sum_t w_t L_t` at the given parameters.
    func loss(_ parameters: [Double], weights: [Double]) -> Double {
        var copy = model
        copy.parameters = parameters
        return zip(copy.losses(inputs: inputs, targets: targets), weights).reduce(0) { $0 + $1.0 * $1.1 }
    }
}

/// Central finite differences of a scalar function of the parameters.
func finiteDifferenceGradient(at point: [Double], step: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
    point.indices.map { i in
        var plus = point, minus = point
        plus[i] += step
        minus[i] -= step
        return (f(plus) - f(minus)) / (2 * step)
    }
}

/// Largest |a_i - b_i| divided by the largest |b_i|.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    let scale = b.map(abs).max() ?? 0
    let difference = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    return scale == 0 ? difference : difference / scale
}
