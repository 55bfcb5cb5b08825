import Linalg

/// The loss of one task head, averaged over the labelled examples of a batch.
///
/// Targets are an `N x 1` matrix of class indices (0, 1, ...) stored as scalars for
/// classification, and an `N x k` matrix of values for regression. A classification target of
/// `LossKind.missingLabel` (-1) marks an example without a label for the task: it adds nothing
/// to the loss, the gradient, the Hessian product or the metric, which average over the
/// labelled examples only (see `MissingLabel.swift`; NaN loss and zero gradient when a batch
/// has no labelled example).
public enum LossKind: String, Sendable, Codable, CaseIterable {
    /// Softmax cross-entropy in nats, by a stable log-sum-exp; the metric is accuracy.
    case crossEntropy = "cross_entropy"
    /// Mean squared error over examples and outputs; the metric is R^2.
    case meanSquaredError = "mse"

    /// The mean loss over the labelled examples and `scale` times its gradient with respect to
    /// the outputs (`N x k`; zero rows for unlabelled examples). The loss is NaN when no
    /// example is labelled.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func evaluate<Scalar: BLASScalar>(
        outputs: Matrix<Scalar>, targets: Matrix<Scalar>, gradientScale scale: Scalar
    ) -> (value: Double, gradient: Matrix<Scalar>) {
        let n = outputs.rows, k = outputs.columns
        var gradient = Matrix<Scalar>(rows: n, columns: k)
        var total = 0.0
        switch self {
        case .crossEntropy:
            precondition(targets.rows == n && targets.columns == 1, "cross-entropy targets must be N x 1 class indices")
            let labelled = labelledCount(targets: targets)
            guard labelled > 0 else { return (.nan, gradient) }
            let rowScale = scale / Scalar(labelled)
            outputs.storage.withUnsafeBufferPointer { z in
                gradient.storage.withUnsafeMutableBufferPointer { g in
                    for i in 0..<n {
                        let row = z.baseAddress! + i * k
                        let label = Int(targets.storage[i])
                        if label == Self.missingLabel { continue }
                        precondition(label >= 0 && label < k, "class index \(label) outside 0..<\(k)")
                        var largest = row[0]
                        for j in 1..<k where row[j] > largest { largest = row[j] }
                        var sum: Scalar = 0
                        for j in 0..<k {
                            let e = Scalar.exp(row[j] - largest)
                            g[i * k + j] = e
                            sum += e
                        }
                        total += Double(largest) + Double.log(Double(sum)) - Double(row[label])
                        for j in 0..<k { g[i * k + j] = g[i * k + j] / sum * rowScale }
                        g[i * k + label] -= rowScale
                    }
                }
            }
            return (total / Double(labelled), gradient)
        case .meanSquaredError:
            precondition(targets.rows == n && targets.columns == k, "regression targets must be N x \(k)")
            let count = Scalar(n * k)
            for i in 0..<(n * k) {
                let residual = outputs.storage[i] - targets.storage[i]
                total += Double(residual) * Double(residual)
                gradient.storage[i] = 2 * residual / count * scale
            }
            return (total / Double(n * k), gradient)
        }
    }

    /// The mean loss over the labelled examples alone (NaN when none is labelled).
    public func value<Scalar: BLASScalar>(outputs: Matrix<Scalar>, targets: Matrix<Scalar>) -> Double {
        evaluate(outputs: outputs, targets: targets, gradientScale: 1).value
    }

    /// `scale` times the Hessian of the mean loss with respect to the outputs, applied to
    /// `outputsR`: the R-derivative of the output gradient.
    ///
    /// Cross-entropy: `(p ⊙ r - p (p . r)) / N_labelled` per labelled row, p the softmax, zero
    /// rows for unlabelled examples (all zero when none is labelled); MSE: `2 r / (N k)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func hessianProduct<Scalar: BLASScalar>(
        outputs: Matrix<Scalar>, targets: Matrix<Scalar>, outputsR: Matrix<Scalar>, scale: Scalar
    ) -> Matrix<Scalar> {
        let n = outputs.rows, k = outputs.columns
        var result = Matrix<Scalar>(rows: n, columns: k)
        switch self {
        case .crossEntropy:
            let labelled = labelledCount(targets: targets)
            guard labelled > 0 else { return result }
            let rowScale = scale / Scalar(labelled)
            var p = [Scalar](repeating: 0, count: k)
            for i in 0..<n where Int(targets.storage[i]) != Self.missingLabel {
                var largest = outputs[i, 0]
                for j in 1..<k where outputs[i, j] > largest { largest = outputs[i, j] }
                var sum: Scalar = 0
                for j in 0..<k { p[j] = Scalar.exp(outputs[i, j] - largest); sum += p[j] }
                var pr: Scalar = 0
                for j in 0..<k { p[j] /= sum; pr += p[j] * outputsR[i, j] }
                for j in 0..<k { result[i, j] = p[j] * (outputsR[i, j] - pr) * rowScale }
            }
        case .meanSquaredError:
            let factor = 2 * scale / Scalar(n * k)
            for i in 0..<(n * k) { result.storage[i] = outputsR.storage[i] * factor }
        }
        return result
    }

    /// The task metric: accuracy in [0, 1] over the labelled examples for cross-entropy (NaN
    /// when none is labelled), R^2 (1 - SSE/SST over all outputs) for regression.
    public func metric<Scalar: BLASScalar>(outputs: Matrix<Scalar>, targets: Matrix<Scalar>) -> Double {
        let n = outputs.rows, k = outputs.columns
        guard n > 0 else { return .nan }
        switch self {
        case .crossEntropy:
            var correct = 0, labelled = 0
            for i in 0..<n where Int(targets.storage[i]) != Self.missingLabel {
                labelled += 1
                var best = 0
                for j in 1..<k where outputs[i, j] > outputs[i, best] { best = j }
                if best == Int(targets.storage[i]) { correct += 1 }
            }
            return labelled > 0 ? Double(correct) / Double(labelled) : .nan
        case .meanSquaredError:
            var squaredError = 0.0, sum = 0.0, sumSquares = 0.0
            for i in 0..<(n * k) {
                let y = Double(targets.storage[i])
                let residual = Double(outputs.storage[i]) - y
                squaredError += residual * residual
                sum += y
                sumSquares += y * y
            }
            let total = sumSquares - sum * sum / Double(n * k)
            return total > 0 ? 1 - squaredError / total : .nan
        }
    }

    /// The metric's name as recorded: `accuracy` or `r2`.
    public var metricName: String {
        switch self {
        case .crossEntropy: "accuracy"
        case .meanSquaredError: "r2"
        }
    }
}
