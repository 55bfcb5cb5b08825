import Foundation
import Linalg

/// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) and, with
/// `decoupledWeightDecay`, AdamW (Loshchilov & Hutter, "Decoupled Weight Decay
/// Regularization", ICLR 2019), with the semantics of PyTorch's `torch.optim.Adam` and
/// `torch.optim.AdamW` (single-tensor implementation, no AMSGrad).
///
/// With gradient `g`, parameters `p`, learning rate `lr`, step `t` (1 on the first update),
/// one update is
/// ```
/// p = p * (1 - lr * wd)                   AdamW only: decoupled decay, before the Adam step
/// g = g + wd * p                          Adam only: L2 decay added to the gradient
/// m = beta1 * m + (1 - beta1) * g         first moment  (PyTorch's exp_avg)
/// v = beta2 * v + (1 - beta2) * g * g     second moment (PyTorch's exp_avg_sq)
/// denom = sqrt(v) / sqrt(1 - beta2^t) + eps          eps after the bias-corrected sqrt
/// p = p - (lr / (1 - beta1^t)) * m / denom
/// ```
/// The bias corrections and the step size are computed in Double and rounded to `Scalar`
/// once per update; the per-element arithmetic runs in `Scalar`.
public struct Adam<Scalar: BLASScalar>: Optimizer {
    /// Decay rate of the first-moment estimate, in [0, 1); default 0.9.
    public let beta1: Double
    /// Decay rate of the second-moment estimate, in [0, 1); default 0.999.
    public let beta2: Double
    /// Added to the bias-corrected root second moment for numerical stability (> 0); default 1e-8,
    /// in gradient units.
    public let epsilon: Double
    /// Weight-decay coefficient (>= 0): an L2 term `wd * p` in the gradient for Adam, a
    /// multiplicative shrink `p *= 1 - lr * wd` per step for AdamW.
    public let weightDecay: Double
    /// AdamW (true) or Adam with L2 decay in the gradient (false).
    public let decoupledWeightDecay: Bool
    public let parameterCount: Int

    /// Updates applied so far.
    @usableFromInline var steps: Int
    /// PyTorch's `exp_avg`: `parameterCount` scalars.
    @usableFromInline var firstMoment: [Scalar]
    /// PyTorch's `exp_avg_sq`: `parameterCount` scalars.
    @usableFromInline var secondMoment: [Scalar]

    /// An optimizer for `parameterCount` parameters with PyTorch's Adam defaults.
    ///
    /// - Throws: `HyperparameterError` naming the invalid field (see `validate`).
    public init(parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0, decoupledWeightDecay: Bool = false) throws {
        try Self.validate(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        precondition(parameterCount >= 0, "parameterCount must be non-negative")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.parameterCount = parameterCount
        self.steps = 0
        self.firstMoment = [Scalar](repeating: 0, count: parameterCount)
        self.secondMoment = [Scalar](repeating: 0, count: parameterCount)
    }

    /// Checks Adam hyperparameters: beta1 and beta2 in [0, 1), epsilon > 0, weightDecay >= 0,
    /// all finite.
    ///
    /// - Throws: `HyperparameterError` whose `field` is the offending configuration key.
    public static func validate(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double) throws {
        try Check.unitHalfOpen(beta1, "beta1")
        try Check.unitHalfOpen(beta2, "beta2")
        try Check.positive(epsilon, "epsilon")
        try Check.nonNegative(weightDecay, "weightDecay")
    }

    /// `"adamw"` with decoupled weight decay, else `"adam"`.
    public var name: String { decoupledWeightDecay ? "adamw" : "adam" }

    public var stepCount: Int { steps }

    /// The names of the buffers in `state`: `["exp_avg", "exp_avg_sq"]`.
    public var bufferNames: [String] { ["exp_avg", "exp_avg_sq"] }

    @inlinable
    @specialized(where Scalar == Float)
    @specialized(where Scalar == Double)
    public mutating func update(parameters: inout [Scalar], gradient: [Scalar], learningRate: Double) {
        let n = parameterCount
        precondition(parameters.count == n, "Adam over \(n) parameters got \(parameters.count)")
        precondition(gradient.count == n, "Adam over \(n) parameters got a gradient of \(gradient.count)")
        precondition(learningRate.isFinite && learningRate >= 0, "learning rate \(learningRate) is not finite and non-negative")
        steps += 1
        let t = Double(steps)
        let biasCorrection1 = 1 - Foundation.pow(beta1, t)
        let biasCorrection2 = 1 - Foundation.pow(beta2, t)
        let negativeStepSize = Scalar(-(learningRate / biasCorrection1))
        let rootBiasCorrection2 = Scalar(biasCorrection2.squareRoot())
        let b1 = Scalar(beta1), c1 = Scalar(1 - beta1)
        let b2 = Scalar(beta2), c2 = Scalar(1 - beta2)
        let eps = Scalar(epsilon)
        let decay = Scalar(weightDecay)
        let shrink = Scalar(1 - learningRate * weightDecay)
        let coupled = weightDecay != 0 && !decoupledWeightDecay
        let decoupled = weightDecay != 0 && decoupledWeightDecay
        if n == 0 { return }

        // Eight lanes at a time through SIMD8 (Swift's scalar `squareRoot()` on Linux keeps a
        // libm fallback for errno, which stops a scalar loop from vectorising; the SIMD square
        // root is one instruction). The arithmetic, element by element, is that of the scalar
        // tail below.
        gradient.withUnsafeBufferPointer { gradientBuffer in
            parameters.withUnsafeMutableBufferPointer { parameterBuffer in
                firstMoment.withUnsafeMutableBufferPointer { firstBuffer in
                    secondMoment.withUnsafeMutableBufferPointer { secondBuffer in
                        let g = gradientBuffer.baseAddress!, p = parameterBuffer.baseAddress!
                        let m = firstBuffer.baseAddress!, v = secondBuffer.baseAddress!
                        typealias Lanes = SIMD8<Scalar>
                        func load(_ pointer: UnsafeMutablePointer<Scalar>, _ i: Int) -> Lanes {
                            UnsafeRawPointer(pointer + i).loadUnaligned(as: Lanes.self)
                        }
                        func store(_ lanes: Lanes, _ pointer: UnsafeMutablePointer<Scalar>, _ i: Int) {
                            UnsafeMutableRawPointer(pointer + i).storeBytes(of: lanes, as: Lanes.self)
                        }
                        var i = 0
                        while i + 8 <= n {
                            var gi = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self)
                            let pi = load(p, i)
                            if coupled { gi = gi + decay * pi }
                            let mi = b1 * load(m, i) + c1 * gi
                            let vi = b2 * load(v, i) + c2 * gi * gi
                            store(mi, m, i)
                            store(vi, v, i)
                            let denominator = vi.squareRoot() / rootBiasCorrection2 + eps
                            store(decoupled ? pi * shrink + negativeStepSize * (mi / denominator)
                                            : pi + negativeStepSize * (mi / denominator), p, i)
                            i += 8
                        }
                        while i < n {
                            let gi = coupled ? g[i] + decay * p[i] : g[i]
                            m[i] = b1 * m[i] + c1 * gi
                            v[i] = b2 * v[i] + c2 * gi * gi
                            let denominator = v[i].squareRoot() / rootBiasCorrection2 + eps
                            p[i] = decoupled ? p[i] * shrink + negativeStepSize * (m[i] / denominator)
                                             : p[i] + negativeStepSize * (m[i] / denominator)
                            i += 1
                        }
                    }
                }
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(optimizer: name, scalar: Scalar.self, step: steps, parameterCount: parameterCount,
                       buffers: ["exp_avg": firstMoment, "exp_avg_sq": secondMoment])
    }

    public mutating func restore(_ state: OptimizerState) throws {
        let buffers: [String: [Scalar]] = try state.validatedBuffers(
            optimizer: name, scalar: Scalar.self, parameterCount: parameterCount, bufferNames: bufferNames)
        steps = state.step
        firstMoment = buffers["exp_avg"]!
        secondMoment = buffers["exp_avg_sq"]!
    }
}
