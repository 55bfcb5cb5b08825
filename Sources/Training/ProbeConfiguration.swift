/// How the trajectory probe measures a model: the fixed probe batch and the budgets of its
/// Hessian estimates.
///
/// JSON form (every field optional, absent fields take the defaults below):
/// ```
/// {"batchSize": 1024, "microbatchSize": 16, "hessianBatchSize": 256,
///  "lanczosIterations": 20, "lanczosTolerance": 1e-3, "hutchinsonSamples": 4}
/// ```
/// The big-batch gradient is the mean of `batchSize / microbatchSize` microbatch gradients
/// (Mueller, Dredze and Andrews, TMLR 2024: 1024 examples in microbatches of 16), whose spread
/// gives the gradient-noise and coherence estimates. Decoding rejects unknown fields and
/// validates, throwing `HyperparameterError` whose field is `probe.<name>`.
public struct ProbeConfiguration: Codable, Sendable, Equatable {
    /// Examples in the fixed probe batch B (drawn once per run from the training split).
    public var batchSize: Int
    /// Examples per microbatch b; divides `batchSize`, with at least two microbatches.
    public var microbatchSize: Int
    /// The first examples of the probe batch on which sharpness and the Hessian trace are
    /// computed (Hessian-vector products cost a few gradients each; this bounds the cost).
    public var hessianBatchSize: Int
    /// Cap on Lanczos iterations (Hessian-vector products) per sharpness estimate.
    public var lanczosIterations: Int
    /// Lanczos stops once the top-eigenvalue estimate changes by less than this, relative.
    public var lanczosTolerance: Double
    /// Rademacher vectors per Hutchinson Hessian-trace estimate.
    public var hutchinsonSamples: Int

    public init(batchSize: Int = 1024, microbatchSize: Int = 16, hessianBatchSize: Int = 256,
                lanczosIterations: Int = 20, lanczosTolerance: Double = 1e-3, hutchinsonSamples: Int = 4) {
        self.batchSize = batchSize
        self.microbatchSize = microbatchSize
        self.hessianBatchSize = hessianBatchSize
        self.lanczosIterations = lanczosIterations
        self.lanczosTolerance = lanczosTolerance
        self.hutchinsonSamples = hutchinsonSamples
    }

    /// Checks every field.
    ///
    /// - Throws: `HyperparameterError` whose `field` is `probe.<name>`, e.g.
    ///   `probe.microbatchSize must divide probe.batchSize (got 10 and 1024)`.
    public func validate() throws {
        try Check.positiveCount(batchSize, "probe.batchSize")
        try Check.positiveCount(microbatchSize, "probe.microbatchSize")
        guard batchSize % microbatchSize == 0 else {
            throw HyperparameterError(
                field: "probe.microbatchSize",
                message: "probe.microbatchSize must divide probe.batchSize (got \(microbatchSize) and \(batchSize))")
        }
        // The small/big-batch noise estimators divide by B - b; coherence needs two microbatches.
        guard microbatchSize < batchSize else {
            throw HyperparameterError(
                field: "probe.microbatchSize",
                message: "probe.microbatchSize must be smaller than probe.batchSize, for at least two microbatches (got \(microbatchSize) and \(batchSize))")
        }
        try Check.positiveCount(hessianBatchSize, "probe.hessianBatchSize")
        guard hessianBatchSize <= batchSize else {
            throw HyperparameterError(
                field: "probe.hessianBatchSize",
                message: "probe.hessianBatchSize must be at most probe.batchSize (got \(hessianBatchSize) and \(batchSize))")
        }
        try Check.positiveCount(lanczosIterations, "probe.lanczosIterations")
        try Check.positive(lanczosTolerance, "probe.lanczosTolerance")
        try Check.positiveCount(hutchinsonSamples, "probe.hutchinsonSamples")
    }

    /// The number of microbatches B / b.
    public var microbatchCount: Int { batchSize / microbatchSize }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case batchSize, microbatchSize, hessianBatchSize, lanczosIterations, lanczosTolerance, hutchinsonSamples
    }

    /// Decodes the JSON object (absent fields take the defaults), rejecting unknown fields, then validates.
    ///
    /// - Throws: `HyperparameterError` naming the field as `probe.<name>`.
    public init(from decoder: any Decoder) throws {
        do {
            try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the probe configuration")
        } catch let error as HyperparameterError {
            throw HyperparameterError(field: "probe.\(error.field)", message: "probe.\(error.message)")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ProbeConfiguration()
        func value<Value: Decodable>(_ key: CodingKeys, _ fallback: Value) throws -> Value {
            do {
                return try container.decodeIfPresent(Value.self, forKey: key) ?? fallback
            } catch {
                throw HyperparameterError(field: "probe.\(key.stringValue)",
                                          message: "probe.\(key.stringValue) must be a \(Value.self == Int.self ? "whole number" : "number")")
            }
        }
        self.init(batchSize: try value(.batchSize, defaults.batchSize),
                  microbatchSize: try value(.microbatchSize, defaults.microbatchSize),
                  hessianBatchSize: try value(.hessianBatchSize, defaults.hessianBatchSize),
                  lanczosIterations: try value(.lanczosIterations, defaults.lanczosIterations),
                  lanczosTolerance: try value(.lanczosTolerance, defaults.lanczosTolerance),
                  hutchinsonSamples: try value(.hutchinsonSamples, defaults.hutchinsonSamples))
        try validate()
    }
}
