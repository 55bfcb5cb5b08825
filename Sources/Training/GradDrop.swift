import Linalg

/// GradDrop, gradient sign dropout: Chen, Ngiam, Huang, Luong, Kretzschmar, Chai, Anguelov,
/// "Just pick a sign: optimizing deep multitask models with gradient sign dropout",
/// NeurIPS 2020.
///
/// Coordinate by coordinate over the shared parameters, with the task gradients `g_t`:
/// the positive sign purity `P = (1/2) (1 + sum_t g_t / sum_t |g_t|)` in [0, 1]; one draw
/// `U ~ uniform[0, 1)` from the run's generator; task t's coordinate is kept when
/// `(P > U and g_t > 0)` or `(P < U and g_t < 0)`, i.e. all positive values survive with
/// probability P and all negative ones otherwise. The shared direction is the sum of the kept
/// values, `sum_t (l + (1 - l) M_t) g_t` with the mask `M_t` and the leak `l` (the paper's
/// `l_i`, default 0: plain GradDrop). The head parameters get the plain sum of the task
/// gradients. Scale: a sum, like the paper (identical signs give `sum_t g_t`).
///
/// The paper applies the mask to gradients at an activation layer, summed over the batch;
/// TaskTrace applies it to the shared parameters' gradients, as ports to parameter space do.
/// A coordinate where every task gradient is 0 (`0/0` purity) is 0 in the direction and
/// still consumes its draw, so each step draws exactly `sharedCount` uniforms.
///
/// Not a Gramian weighting: the result is not in the span of the task gradients. Its
/// `weights` are the least-squares coefficients of the shared part `d` on the shared task
/// gradients, the minimum-norm solution of `G w = J_S d` by the pseudo-inverse of the Gramian
/// (eigenvalues at or below `lambda_max * T * 1e-12` dropped).
public struct GradDrop: Aggregator {
    public let name = "graddrop"
    /// The leak `l` in [0, 1]: the share of every task gradient that bypasses the mask.
    public var leak: Double

    public init(leak: Double = 0) { self.leak = leak }

    /// The positive sign purity `(1/2) (1 + sum / absoluteSum)`; 1/2 when `absoluteSum` is 0.
    public static func purity(sum: Double, absoluteSum: Double) -> Double {
        absoluteSum > 0 ? 0.5 * (1 + sum / absoluteSum) : 0.5
    }

    public mutating func aggregate<Scalar: BLASScalar>(_ input: AggregationInput<Scalar>, generator: inout RandomGenerator) -> Aggregation<Scalar> {
        // Dispatch on the concrete scalar so the one-pass kernel is specialised (a generic call
        // from another module runs it through witness tables: measured here on 2 x 290k Floats,
        // 29 ms unspecialised, 8.7 ms specialised, in release).
        let pass: (direction: [Scalar], rhs: [Double])
        if let floats = input.gradients as? Matrix<Float> {
            let result = gradDropPass(floats, sharedCount: input.sharedCount, leak: leak, generator: &generator)
            pass = (result.direction as! [Scalar], result.rhs)
        } else if let doubles = input.gradients as? Matrix<Double> {
            let result = gradDropPass(doubles, sharedCount: input.sharedCount, leak: leak, generator: &generator)
            pass = (result.direction as! [Scalar], result.rhs)
        } else {
            pass = gradDropPass(input.gradients, sharedCount: input.sharedCount, leak: leak, generator: &generator)
        }
        return Aggregation(direction: pass.direction, weights: leastSquares(gramian: input.gramian, rhs: pass.rhs))
    }
}

/// The minimum-norm solution of `G w = b` by the pseudo-inverse of the symmetric `G`.
private func leastSquares(gramian: Matrix<Double>, rhs: [Double]) -> [Double] {
    let n = gramian.rows
    var w = [Double](repeating: 0, count: n)
    guard n > 0, let eigen = try? SymmetricEigen(gramian) else { return w }
    let cutoff = max(eigen.values.last ?? 0, 0) * Double(n) * 1e-12
    for k in 0..<n where eigen.values[k] > cutoff {
        var projection = 0.0
        for t in 0..<n { projection += eigen.vectors[t, k] * rhs[t] }
        projection /= eigen.values[k]
        for t in 0..<n { w[t] += projection * eigen.vectors[t, k] }
    }
    return w
}

/// GradDrop's direction and `J_S d` (T) in one pass over the gradients.
private func gradDropPass<Scalar: BLASScalar>(_ gradients: Matrix<Scalar>, sharedCount: Int, leak: Double, generator: inout RandomGenerator) -> (direction: [Scalar], rhs: [Double]) {
    let taskCount = gradients.rows, stride = gradients.columns
    precondition(sharedCount <= stride, "\(sharedCount) shared of \(stride) parameters")
    var direction = [Scalar](repeating: 0, count: stride)
    var rhs = [Double](repeating: 0, count: taskCount)
    gradients.storage.withUnsafeBufferPointer { g in
        direction.withUnsafeMutableBufferPointer { d in
            for k in 0..<sharedCount {
                var sum = 0.0, absoluteSum = 0.0
                for t in 0..<taskCount {
                    let x = Double(g[t * stride + k])
                    sum += x
                    absoluteSum += abs(x)
                }
                let u = generator.uniform()
                guard absoluteSum > 0 else { continue }
                let purity = GradDrop.purity(sum: sum, absoluteSum: absoluteSum)
                var kept = 0.0
                for t in 0..<taskCount {
                    let x = Double(g[t * stride + k])
                    let keep = (purity > u && x > 0) || (purity < u && x < 0)
                    kept += keep ? x : leak * x
                }
                let value = Scalar(kept)
                d[k] = value
                for t in 0..<taskCount { rhs[t] += Double(g[t * stride + k]) * Double(value) }
            }
            // Heads: the plain sum.
            for t in 0..<taskCount {
                for k in sharedCount..<stride { d[k] += g[t * stride + k] }
            }
        }
    }
    return (direction, rhs)
}
