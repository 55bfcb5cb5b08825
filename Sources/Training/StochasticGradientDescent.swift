import Linalg

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// with the semantics of PyTorch's `torch.optim.SGD` (single-tensor implementation).
///
/// With gradient `g`, parameters `p`, learning rate `lr`, momentum `mu`, dampening `tau`,
/// weight decay `wd`, one update is
/// ```
/// d = g + wd * p                      (only if wd != 0: L2 decay added to the gradient)
/// if mu != 0:
///     b = d                           on the first update (the buffer starts as the gradient)
///     b = mu * b + (1 - tau) * d      afterwards
///     d = d + mu * b  if Nesterov,  else  d = b
/// p = p - lr * d
/// ```
/// Momentum is Polyak's heavy ball (B. T. Polyak, "Some methods of speeding up the convergence
/// of iteration methods", 1964); Nesterov momentum follows Nesterov (1983) in the form of
/// Sutskever et al., "On the importance of initialization and momentum in deep learning",
/// ICML 2013, as reformulated by PyTorch (the learning rate multiplies the whole step rather
/// than entering the buffer, so changing it between steps differs from Sutskever's form).
///
/// Arithmetic runs in `Scalar`; hyperparameters are rounded to `Scalar` once per update.
public struct StochasticGradientDescent<Scalar: BLASScalar>: Optimizer {
    /// Momentum factor `mu`, in [0, 1); 0 disables momentum (and the buffer).
    public let momentum: Double
    /// Dampening `tau` of the gradient entering the momentum buffer, in [0, 1]; 0 in PyTorch's default.
    public let dampening: Double
    /// Whether to use Nesterov momentum (needs momentum > 0 and dampening 0).
    public let nesterov: Bool
    /// L2 penalty coefficient `wd` (>= 0): `wd * p` is added to the gradient, i.e. the loss
    /// gains `wd / 2 * |p|^2`.
    public let weightDecay: Double
    public let parameterCount: Int

    /// Updates applied so far.
    @usableFromInline var steps: Int
    /// PyTorch's `momentum_buffer`: `parameterCount` scalars when momentum != 0, else empty.
    @usableFromInline var momentumBuffer: [Scalar]

    /// An optimizer for `parameterCount` parameters; the defaults give plain SGD.
    ///
    /// - Throws: `HyperparameterError` naming the invalid field (see `validate`).
    public init(parameterCount: Int, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false,
                weightDecay: Double = 0) throws {
        try Self.validate(momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: weightDecay)
        precondition(parameterCount >= 0, "parameterCount must be non-negative")
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.parameterCount = parameterCount
        self.steps = 0
        self.momentumBuffer = momentum == 0 ? [] : [Scalar](repeating: 0, count: parameterCount)
    }

    /// Checks SGD hyperparameters: momentum in [0, 1), dampening in [0, 1], weightDecay >= 0
    /// and finite, Nesterov only with momentum > 0 and dampening 0.
    ///
    /// - Throws: `HyperparameterError` whose `field` is the offending configuration key.
    public static func validate(momentum: Double, dampening: Double, nesterov: Bool, weightDecay: Double) throws {
        try Check.unitHalfOpen(momentum, "momentum")
        try Check.unitClosed(dampening, "dampening")
        try Check.nonNegative(weightDecay, "weightDecay")
        if nesterov && (momentum == 0 || dampening != 0) {
            throw HyperparameterError(
                field: "nesterov",
                message: "nesterov requires momentum > 0 and dampening 0 (got momentum \(momentum), dampening \(dampening))")
        }
    }

    /// `"sgd"`.
    public var name: String { "sgd" }

    public var stepCount: Int { steps }

    /// The names of the buffers in `state`: `["momentum_buffer"]` with momentum, else none.
    public var bufferNames: [String] { momentum == 0 ? [] : ["momentum_buffer"] }

    @inlinable
    @specialized(where Scalar == Float)
    @specialized(where Scalar == Double)
    public mutating func update(parameters: inout [Scalar], gradient: [Scalar], learningRate: Double) {
        let n = parameterCount
        precondition(parameters.count == n, "SGD over \(n) parameters got \(parameters.count)")
        precondition(gradient.count == n, "SGD over \(n) parameters got a gradient of \(gradient.count)")
        precondition(learningRate.isFinite && learningRate >= 0, "learning rate \(learningRate) is not finite and non-negative")
        let negativeRate = Scalar(-learningRate)
        let decay = Scalar(weightDecay)
        let hasDecay = weightDecay != 0
        let hasMomentum = momentum != 0
        let mu = Scalar(momentum)
        let keep = Scalar(1 - dampening)
        let first = steps == 0
        let nesterov = self.nesterov
        steps += 1
        if n == 0 { return }

        gradient.withUnsafeBufferPointer { g in
            parameters.withUnsafeMutableBufferPointer { p in
                if !hasMomentum {
                    if hasDecay {
                        for i in 0..<n { p[i] += negativeRate * (g[i] + decay * p[i]) }
                    } else {
                        for i in 0..<n { p[i] += negativeRate * g[i] }
                    }
                    return
                }
                momentumBuffer.withUnsafeMutableBufferPointer { b in
                    switch (first, nesterov, hasDecay) {
                    case (true, false, false):
                        for i in 0..<n { b[i] = g[i]; p[i] += negativeRate * g[i] }
                    case (true, false, true):
                        for i in 0..<n {
                            let d = g[i] + decay * p[i]
                            b[i] = d
                            p[i] += negativeRate * d
                        }
                    case (true, true, false):
                        for i in 0..<n {
                            let d = g[i]
                            b[i] = d
                            p[i] += negativeRate * (d + mu * d)
                        }
                    case (true, true, true):
                        for i in 0..<n {
                            let d = g[i] + decay * p[i]
                            b[i] = d
                            p[i] += negativeRate * (d + mu * d)
                        }
                    case (false, false, false):
                        for i in 0..<n {
                            let v = mu * b[i] + keep * g[i]
                            b[i] = v
                            p[i] += negativeRate * v
                        }
                    case (false, false, true):
                        for i in 0..<n {
                            let v = mu * b[i] + keep * (g[i] + decay * p[i])
                            b[i] = v
                            p[i] += negativeRate * v
                        }
                    case (false, true, false):
                        for i in 0..<n {
                            let d = g[i]
                            let v = mu * b[i] + keep * d
                            b[i] = v
                            p[i] += negativeRate * (d + mu * v)
                        }
                    case (false, true, true):
                        for i in 0..<n {
                            let d = g[i] + decay * p[i]
                            let v = mu * b[i] + keep * d
                            b[i] = v
                            p[i] += negativeRate * (d + mu * v)
                        }
                    }
                }
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(optimizer: name, scalar: Scalar.self, step: steps, parameterCount: parameterCount,
                       buffers: momentum == 0 ? [:] : ["momentum_buffer": momentumBuffer])
    }

    public mutating func restore(_ state: OptimizerState) throws {
        let buffers: [String: [Scalar]] = try state.validatedBuffers(
            optimizer: name, scalar: Scalar.self, parameterCount: parameterCount, bufferNames: bufferNames)
        steps = state.step
        if momentum != 0 { momentumBuffer = buffers["momentum_buffer"]! }
    }
}
