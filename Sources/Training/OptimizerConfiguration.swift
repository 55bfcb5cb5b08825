import Linalg

/// Which optimizer to train with and its hyperparameters, as the CLI reads it from JSON or flags.
///
/// JSON form (one flat object; absent optional fields take the kind's default):
/// ```
/// {"kind": "sgd",   "learningRate": 0.1,  "momentum": 0.9, "nesterov": true, "weightDecay": 5e-4}
/// {"kind": "adam",  "learningRate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
/// {"kind": "adamw", "learningRate": 1e-3, "weightDecay": 0.01}
/// ```
/// Decoding rejects unknown fields and validates, throwing `HyperparameterError` naming the field.
/// A field that does not apply to the kind (e.g. `momentum` for `adam`) is an error too.
public struct OptimizerConfiguration: Codable, Sendable, Equatable {
    /// The optimizer kinds; the raw value is the JSON spelling and the optimizer's `name`.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// `StochasticGradientDescent` (PyTorch `torch.optim.SGD`).
        case sgd
        /// `Adam` with L2 weight decay added to the gradient (PyTorch `torch.optim.Adam`).
        case adam
        /// `Adam` with decoupled weight decay (PyTorch `torch.optim.AdamW`).
        case adamw
    }

    public var kind: Kind
    /// The base learning rate (> 0). The optimizer does not hold it: it is the `base` of the
    /// run's `LearningRateSchedule`, whose value is passed to every `update`.
    public var learningRate: Double
    /// SGD momentum factor in [0, 1); default 0.
    public var momentum: Double?
    /// SGD dampening in [0, 1]; default 0.
    public var dampening: Double?
    /// SGD Nesterov momentum; default false.
    public var nesterov: Bool?
    /// Weight-decay coefficient (>= 0); default 0 for sgd and adam, 0.01 for adamw (PyTorch's defaults).
    public var weightDecay: Double?
    /// Adam first-moment decay in [0, 1); default 0.9.
    public var beta1: Double?
    /// Adam second-moment decay in [0, 1); default 0.999.
    public var beta2: Double?
    /// Adam epsilon (> 0); default 1e-8.
    public var epsilon: Double?

    public init(kind: Kind, learningRate: Double, momentum: Double? = nil, dampening: Double? = nil,
                nesterov: Bool? = nil, weightDecay: Double? = nil, beta1: Double? = nil, beta2: Double? = nil,
                epsilon: Double? = nil) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// An SGD configuration.
    public static func sgd(learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                           nesterov: Bool = false, weightDecay: Double = 0) -> Self {
        Self(kind: .sgd, learningRate: learningRate, momentum: momentum, dampening: dampening,
             nesterov: nesterov, weightDecay: weightDecay)
    }

    /// An Adam configuration (L2 weight decay in the gradient).
    public static func adam(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                            epsilon: Double = 1e-8, weightDecay: Double = 0) -> Self {
        Self(kind: .adam, learningRate: learningRate, weightDecay: weightDecay, beta1: beta1, beta2: beta2,
             epsilon: epsilon)
    }

    /// An AdamW configuration (decoupled weight decay).
    public static func adamw(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                             epsilon: Double = 1e-8, weightDecay: Double = 0.01) -> Self {
        Self(kind: .adamw, learningRate: learningRate, weightDecay: weightDecay, beta1: beta1, beta2: beta2,
             epsilon: epsilon)
    }

    /// The weight decay in force: the given one, else the kind's default.
    public var resolvedWeightDecay: Double { weightDecay ?? (kind == .adamw ? 0.01 : 0) }

    /// Checks every field for the kind.
    ///
    /// - Throws: `HyperparameterError` whose `field` is the offending key, e.g.
    ///   `momentum must be in [0, 1) (got 1.0)` or `beta1 does not apply to sgd`.
    public func validate() throws {
        try Check.positive(learningRate, "learningRate")
        switch kind {
        case .sgd:
            try Check.absent(beta1, "beta1", "sgd")
            try Check.absent(beta2, "beta2", "sgd")
            try Check.absent(epsilon, "epsilon", "sgd")
            try StochasticGradientDescent<Double>.validate(
                momentum: momentum ?? 0, dampening: dampening ?? 0, nesterov: nesterov ?? false,
                weightDecay: resolvedWeightDecay)
        case .adam, .adamw:
            try Check.absent(momentum, "momentum", kind.rawValue)
            try Check.absent(dampening, "dampening", kind.rawValue)
            try Check.absent(nesterov, "nesterov", kind.rawValue)
            try Adam<Double>.validate(beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999, epsilon: epsilon ?? 1e-8,
                                      weightDecay: resolvedWeightDecay)
        }
    }

    /// Validates, then builds the optimizer for a flat parameter vector of `parameterCount`
    /// scalars, in its initial state (step 0, zero buffers).
    ///
    /// - Throws: `HyperparameterError` naming the invalid field.
    public func makeOptimizer<Scalar: BLASScalar>(parameterCount: Int, scalar _: Scalar.Type = Scalar.self)
        throws -> any Optimizer<Scalar> {
        try validate()
        switch kind {
        case .sgd:
            return try StochasticGradientDescent<Scalar>(
                parameterCount: parameterCount, momentum: momentum ?? 0, dampening: dampening ?? 0,
                nesterov: nesterov ?? false, weightDecay: resolvedWeightDecay)
        case .adam, .adamw:
            return try Adam<Scalar>(
                parameterCount: parameterCount, beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999,
                epsilon: epsilon ?? 1e-8, weightDecay: resolvedWeightDecay, decoupledWeightDecay: kind == .adamw)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, learningRate, momentum, dampening, nesterov, weightDecay, beta1, beta2, epsilon
    }

    /// Decodes the flat JSON object, rejecting unknown fields, then validates.
    ///
    /// - Throws: `HyperparameterError` naming the field (unknown, missing, of another kind, or
    ///   out of range); `DecodingError` when a value has the wrong JSON type.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the optimizer configuration")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let kindName = try container.decodeIfPresent(String.self, forKey: .kind) else {
            throw HyperparameterError(field: "kind", message: "kind is required (one of sgd, adam, adamw)")
        }
        guard let kind = Kind(rawValue: kindName) else {
            throw HyperparameterError(field: "kind",
                                      message: "kind must be one of sgd, adam, adamw (got \(kindName))")
        }
        guard let learningRate = try container.decodeIfPresent(Double.self, forKey: .learningRate) else {
            throw HyperparameterError(field: "learningRate", message: "learningRate is required")
        }
        self.init(
            kind: kind, learningRate: learningRate,
            momentum: try container.decodeIfPresent(Double.self, forKey: .momentum),
            dampening: try container.decodeIfPresent(Double.self, forKey: .dampening),
            nesterov: try container.decodeIfPresent(Bool.self, forKey: .nesterov),
            weightDecay: try container.decodeIfPresent(Double.self, forKey: .weightDecay),
            beta1: try container.decodeIfPresent(Double.self, forKey: .beta1),
            beta2: try container.decodeIfPresent(Double.self, forKey: .beta2),
            epsilon: try container.decodeIfPresent(Double.self, forKey: .epsilon))
        try validate()
    }
}
