/// An invalid hyperparameter or configuration field, named by its configuration key.
///
/// The `description` is a complete sentence-fragment that starts with the field's name, e.g.
/// `momentum must be in [0, 1) (got 1.5)`, so the CLI can print it as it is.
public struct HyperparameterError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration key at fault, as spelled in JSON (e.g. `"momentum"`, `"warmupSteps"`).
    public var field: String
    /// What is wrong, starting with the field's name.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}

/// Checks shared by the optimizer and schedule validations; each throws an error naming `field`.
enum Check {
    static func finite(_ value: Double, _ field: String) throws {
        guard value.isFinite else {
            throw HyperparameterError(field: field, message: "\(field) must be finite (got \(value))")
        }
    }

    static func positive(_ value: Double, _ field: String) throws {
        guard value.isFinite, value > 0 else {
            throw HyperparameterError(field: field, message: "\(field) must be positive and finite (got \(value))")
        }
    }

    static func nonNegative(_ value: Double, _ field: String) throws {
        guard value.isFinite, value >= 0 else {
            throw HyperparameterError(field: field, message: "\(field) must be non-negative and finite (got \(value))")
        }
    }

    /// `value` in the half-open interval [0, 1).
    static func unitHalfOpen(_ value: Double, _ field: String) throws {
        guard value >= 0, value < 1 else {
            throw HyperparameterError(field: field, message: "\(field) must be in [0, 1) (got \(value))")
        }
    }

    /// `value` in the closed interval [0, 1].
    static func unitClosed(_ value: Double, _ field: String) throws {
        guard value >= 0, value <= 1 else {
            throw HyperparameterError(field: field, message: "\(field) must be in [0, 1] (got \(value))")
        }
    }

    static func positiveCount(_ value: Int, _ field: String) throws {
        guard value >= 1 else {
            throw HyperparameterError(field: field, message: "\(field) must be at least 1 (got \(value))")
        }
    }

    static func nonNegativeCount(_ value: Int, _ field: String) throws {
        guard value >= 0 else {
            throw HyperparameterError(field: field, message: "\(field) must be non-negative (got \(value))")
        }
    }

    /// Rejects a field that was given but does not apply to `context` (e.g. momentum for Adam).
    static func absent(_ value: (some Any)?, _ field: String, _ context: String) throws {
        if value != nil {
            throw HyperparameterError(field: field, message: "\(field) does not apply to \(context)")
        }
    }
}
