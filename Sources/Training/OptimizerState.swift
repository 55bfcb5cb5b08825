import Linalg

/// A snapshot of an optimizer's internal state, for checkpoints (`/checkpoint/…` in a record).
///
/// Buffers are flat per-parameter arrays named as in PyTorch's optimizer `state_dict`
/// (`momentum_buffer` for SGD; `exp_avg`, `exp_avg_sq` for Adam and AdamW), each
/// `parameterCount` long and widened to `Double`. Widening is exact for `Float`, and the
/// restoring optimizer must use the same `scalarType`, so a save and restore loses no bit.
/// Hyperparameters are not part of the state: they come from the run's configuration.
public struct OptimizerState: Codable, Sendable, Equatable {
    /// The optimizer's `name`: `"sgd"`, `"adam"` or `"adamw"`.
    public var optimizer: String
    /// The scalar type the optimizer computes in: `"float32"` or `"float64"`.
    public var scalarType: String
    /// The number of updates applied (the optimizer's `stepCount`).
    public var step: Int
    /// The length of the parameter vector the buffers belong to.
    public var parameterCount: Int
    /// Per-parameter buffers by name, each `parameterCount` long.
    public var buffers: [String: [Double]]

    public init(optimizer: String, scalarType: String, step: Int, parameterCount: Int, buffers: [String: [Double]]) {
        self.optimizer = optimizer
        self.scalarType = scalarType
        self.step = step
        self.parameterCount = parameterCount
        self.buffers = buffers
    }

    /// The `scalarType` spelling for `Scalar`: `"float32"` or `"float64"`.
    public static func scalarTypeName<Scalar: BLASScalar>(_: Scalar.Type) -> String {
        "float\(MemoryLayout<Scalar>.size * 8)"
    }
}

/// Why an `OptimizerState` cannot be restored into a given optimizer.
public enum OptimizerStateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The state was saved by another kind of optimizer.
    case optimizerMismatch(expected: String, found: String)
    /// The state was saved by an optimizer computing in another scalar type.
    case scalarTypeMismatch(expected: String, found: String)
    /// The state belongs to a parameter vector of another length.
    case parameterCountMismatch(expected: Int, found: Int)
    /// The step count is negative.
    case invalidStep(Int)
    /// A buffer this optimizer needs is absent.
    case missingBuffer(String)
    /// A buffer this optimizer does not have is present (e.g. a momentum buffer for momentum 0).
    case unexpectedBuffer(String)
    /// A buffer's length differs from the parameter count.
    case bufferLengthMismatch(name: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .optimizerMismatch(expected, found):
            "optimizer state is for \(found), not \(expected)"
        case let .scalarTypeMismatch(expected, found):
            "optimizer state holds \(found) values, this optimizer computes in \(expected)"
        case let .parameterCountMismatch(expected, found):
            "optimizer state is for \(found) parameters, this optimizer has \(expected)"
        case let .invalidStep(step):
            "optimizer state has a negative step count (\(step))"
        case let .missingBuffer(name):
            "optimizer state lacks the buffer \(name)"
        case let .unexpectedBuffer(name):
            "optimizer state has a buffer \(name) that this optimizer does not use"
        case let .bufferLengthMismatch(name, expected, found):
            "optimizer state buffer \(name) holds \(found) values, expected \(expected)"
        }
    }
}

extension OptimizerState {
    /// Builds a state from scalar buffers, widening each to Double (exact for Float and Double).
    init<Scalar: BLASScalar>(optimizer: String, scalar _: Scalar.Type, step: Int, parameterCount: Int,
                             buffers: [String: [Scalar]]) {
        self.init(optimizer: optimizer, scalarType: OptimizerState.scalarTypeName(Scalar.self), step: step,
                  parameterCount: parameterCount, buffers: buffers.mapValues { widen($0) })
    }

    /// Checks that this state fits an optimizer of kind `optimizer` over `parameterCount`
    /// `Scalar`s with exactly the buffers `bufferNames`, and returns those buffers narrowed
    /// back to `Scalar` (exact, as the scalar types match).
    func validatedBuffers<Scalar: BLASScalar>(
        optimizer expectedOptimizer: String, scalar _: Scalar.Type, parameterCount expectedCount: Int,
        bufferNames: [String]
    ) throws -> [String: [Scalar]] {
        guard optimizer == expectedOptimizer else {
            throw OptimizerStateError.optimizerMismatch(expected: expectedOptimizer, found: optimizer)
        }
        let expectedType = OptimizerState.scalarTypeName(Scalar.self)
        guard scalarType == expectedType else {
            throw OptimizerStateError.scalarTypeMismatch(expected: expectedType, found: scalarType)
        }
        guard parameterCount == expectedCount else {
            throw OptimizerStateError.parameterCountMismatch(expected: expectedCount, found: parameterCount)
        }
        guard step >= 0 else { throw OptimizerStateError.invalidStep(step) }
        for name in buffers.keys.sorted() where !bufferNames.contains(name) {
            throw OptimizerStateError.unexpectedBuffer(name)
        }
        var result: [String: [Scalar]] = [:]
        for name in bufferNames {
            guard let values = buffers[name] else { throw OptimizerStateError.missingBuffer(name) }
            guard values.count == expectedCount else {
                throw OptimizerStateError.bufferLengthMismatch(name: name, expected: expectedCount, found: values.count)
            }
            result[name] = narrow(values)
        }
        return result
    }
}

/// `values` as Doubles; exact for Float and Double.
private func widen<Scalar: BLASScalar>(_ values: [Scalar]) -> [Double] {
    if Scalar.self == Double.self { return unsafeBitCast(values, to: [Double].self) }
    if Scalar.self == Float.self { return unsafeBitCast(values, to: [Float].self).map { Double($0) } }
    return values.map { Double($0) }
}

/// `values` as `Scalar`s; exact when they were widened from `Scalar`.
private func narrow<Scalar: BLASScalar>(_ values: [Double]) -> [Scalar] {
    if Scalar.self == Double.self { return unsafeBitCast(values, to: [Scalar].self) }
    if Scalar.self == Float.self { return unsafeBitCast(values.map { Float($0) }, to: [Scalar].self) }
    return values.map { Scalar($0) }
}
