import Foundation

/// The learning rate as a function of the step: constant, step decay or cosine decay, each
/// optionally preceded by a linear warmup.
///
/// Steps count from 0 (the first update). With `W = warmupSteps`, base learning rate `base`:
/// ```
/// s <  W:  base * (warmupStart + (1 - warmupStart) * s / W)     linear warmup
/// s >= W:  decay(s - W)                                          the decay's clock starts after warmup
///   constant:  base
///   step:      base * factor^floor((s - W) / every)
///   cosine:    minimum + (base - minimum) * (1 + cos(pi * min(s - W, totalSteps) / totalSteps)) / 2
/// ```
/// So warmup reaches `base` at step `W`, and a cosine run of `N` steps that should end at
/// `minimum` on its last step sets `totalSteps = N - 1 - W`; after `totalSteps` the cosine
/// stays at `minimum` (it does not restart). Up to that point this matches PyTorch's
/// `SequentialLR([LinearLR(start_factor: warmupStart, total_iters: W), StepLR or
/// CosineAnnealingLR], milestones: [W])` (PyTorch's cosine rises again after `T_max`).
/// The cosine form is SGDR's annealing without restarts (Loshchilov & Hutter, "SGDR:
/// Stochastic Gradient Descent with Warm Restarts", ICLR 2017); linear warmup is from
/// Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", 2017.
///
/// JSON form (one flat object): `{"kind": "cosine", "totalSteps": 10000, "minimum": 1e-5,
/// "warmupSteps": 500, "warmupStart": 0}`; `{"kind": "step", "every": 3000, "factor": 0.1}`;
/// `{"kind": "constant"}`. Decoding rejects unknown fields and fields of another kind, and
/// validates, throwing `HyperparameterError` naming the field.
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    /// The decay after warmup; the raw value is the JSON spelling.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case constant, step, cosine
    }

    public var kind: Kind
    /// Step decay: the rate is multiplied by `factor` every `every` steps (>= 1).
    public var every: Int?
    /// Step decay: the multiplier, in (0, 1].
    public var factor: Double?
    /// Cosine decay: the number of steps (>= 1) from `base` down to `minimum`, counted after warmup.
    public var totalSteps: Int?
    /// Cosine decay: the final learning rate (absolute, not a fraction of base; >= 0); default 0.
    public var minimum: Double?
    /// Steps of linear warmup before the decay (>= 0); 0 means none.
    public var warmupSteps: Int
    /// The warmup's starting rate as a fraction of `base`, in [0, 1]; 0 starts from zero.
    public var warmupStart: Double

    public init(kind: Kind, every: Int? = nil, factor: Double? = nil, totalSteps: Int? = nil,
                minimum: Double? = nil, warmupSteps: Int = 0, warmupStart: Double = 0) {
        self.kind = kind
        self.every = every
        self.factor = factor
        self.totalSteps = totalSteps
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.warmupStart = warmupStart
    }

    /// The base rate at every step (after an optional warmup).
    public static func constant(warmupSteps: Int = 0, warmupStart: Double = 0) -> Self {
        Self(kind: .constant, warmupSteps: warmupSteps, warmupStart: warmupStart)
    }

    /// The base rate multiplied by `factor` every `every` steps (after an optional warmup).
    public static func step(every: Int, factor: Double, warmupSteps: Int = 0, warmupStart: Double = 0) -> Self {
        Self(kind: .step, every: every, factor: factor, warmupSteps: warmupSteps, warmupStart: warmupStart)
    }

    /// Cosine decay from the base rate to `minimum` over `totalSteps` (after an optional warmup).
    public static func cosine(totalSteps: Int, minimum: Double = 0, warmupSteps: Int = 0,
                              warmupStart: Double = 0) -> Self {
        Self(kind: .cosine, totalSteps: totalSteps, minimum: minimum, warmupSteps: warmupSteps,
             warmupStart: warmupStart)
    }

    /// Checks the fields for the kind.
    ///
    /// - Throws: `HyperparameterError` whose `field` is the offending key, e.g.
    ///   `every must be at least 1 (got 0)`, `totalSteps is required for a cosine schedule`,
    ///   `factor does not apply to a cosine schedule`.
    public func validate() throws {
        try Check.nonNegativeCount(warmupSteps, "warmupSteps")
        try Check.unitClosed(warmupStart, "warmupStart")
        let context = "a \(kind.rawValue) schedule"
        switch kind {
        case .constant:
            try Check.absent(every, "every", context)
            try Check.absent(factor, "factor", context)
            try Check.absent(totalSteps, "totalSteps", context)
            try Check.absent(minimum, "minimum", context)
        case .step:
            try Check.absent(totalSteps, "totalSteps", context)
            try Check.absent(minimum, "minimum", context)
            guard let every else { throw Self.missing("every", context) }
            guard let factor else { throw Self.missing("factor", context) }
            try Check.positiveCount(every, "every")
            guard factor > 0, factor <= 1 else {
                throw HyperparameterError(field: "factor", message: "factor must be in (0, 1] (got \(factor))")
            }
        case .cosine:
            try Check.absent(every, "every", context)
            try Check.absent(factor, "factor", context)
            guard let totalSteps else { throw Self.missing("totalSteps", context) }
            try Check.positiveCount(totalSteps, "totalSteps")
            try Check.nonNegative(minimum ?? 0, "minimum")
        }
    }

    private static func missing(_ field: String, _ context: String) -> HyperparameterError {
        HyperparameterError(field: field, message: "\(field) is required for \(context)")
    }

    /// The learning rate for the update at `step` (counting from 0), given the base rate.
    ///
    /// - Parameters:
    ///   - step: the 0-based update index (>= 0).
    ///   - base: the base learning rate, e.g. `OptimizerConfiguration.learningRate`.
    /// - Returns: the rate, in the units of `base`.
    /// - Precondition: the schedule is valid (`validate()` does not throw; decoding checks it).
    public func learningRate(atStep step: Int, base: Double) -> Double {
        precondition(step >= 0, "step must be non-negative (got \(step))")
        if step < warmupSteps {
            return base * (warmupStart + (1 - warmupStart) * Double(step) / Double(warmupSteps))
        }
        let s = step - warmupSteps
        switch kind {
        case .constant:
            return base
        case .step:
            let every = self.every ?? 1, factor = self.factor ?? 1
            precondition(every >= 1, "every must be at least 1")
            return base * Foundation.pow(factor, Double(s / every))
        case .cosine:
            let total = self.totalSteps ?? 1, minimum = self.minimum ?? 0
            precondition(total >= 1, "totalSteps must be at least 1")
            let progress = Double(min(s, total)) / Double(total)
            return minimum + (base - minimum) * (1 + Foundation.cos(Double.pi * progress)) / 2
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, every, factor, totalSteps, minimum, warmupSteps, warmupStart
    }

    /// Decodes the flat JSON object, rejecting unknown fields, then validates.
    ///
    /// - Throws: `HyperparameterError` naming the field (unknown, missing, of another kind, or
    ///   out of range); `DecodingError` when a value has the wrong JSON type.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the learning-rate schedule")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let kindName = try container.decodeIfPresent(String.self, forKey: .kind) else {
            throw HyperparameterError(field: "kind", message: "kind is required (one of constant, step, cosine)")
        }
        guard let kind = Kind(rawValue: kindName) else {
            throw HyperparameterError(field: "kind",
                                      message: "kind must be one of constant, step, cosine (got \(kindName))")
        }
        self.init(
            kind: kind,
            every: try container.decodeIfPresent(Int.self, forKey: .every),
            factor: try container.decodeIfPresent(Double.self, forKey: .factor),
            totalSteps: try container.decodeIfPresent(Int.self, forKey: .totalSteps),
            minimum: try container.decodeIfPresent(Double.self, forKey: .minimum),
            warmupSteps: try container.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? 0,
            warmupStart: try container.decodeIfPresent(Double.self, forKey: .warmupStart) ?? 0)
        try validate()
    }
}
