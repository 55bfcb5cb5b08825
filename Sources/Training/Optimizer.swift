import Linalg

/// A first-order optimizer that updates one flat parameter vector in place from its gradient.
///
/// TaskTrace keeps all model parameters in ONE contiguous `[Scalar]` buffer of length
/// `parameterCount`; a gradient is a `[Scalar]` of the same length. An optimizer owns its
/// per-parameter buffers (momentum, moment estimates) sized for that length, counts the
/// updates it has applied, and can hand out and take back its full state, so a run resumed
/// from a checkpoint continues bit for bit as if it had never stopped.
///
/// The learning rate is an argument of every update, not a property, so that a
/// `LearningRateSchedule` (or population-based training) can change it from step to step.
public protocol Optimizer<Scalar>: Sendable {
    associatedtype Scalar: BLASScalar

    /// The kind, as named in `OptimizerConfiguration` and recorded in `state`:
    /// `"sgd"`, `"adam"` or `"adamw"`.
    var name: String { get }

    /// The length of the flat parameter vector (and of every gradient) this optimizer updates.
    var parameterCount: Int { get }

    /// The number of updates applied so far: 0 before the first (PyTorch's `step`).
    var stepCount: Int { get }

    /// Applies one update: `parameters` moves against `gradient`, scaled by `learningRate`.
    ///
    /// - Parameters:
    ///   - parameters: the flat parameters, `parameterCount` long, changed in place.
    ///   - gradient: the gradient of the loss with respect to `parameters`, same length
    ///     (loss units per parameter unit).
    ///   - learningRate: the step size for this update (finite, non-negative); parameter units
    ///     per gradient unit for SGD, parameter units per step for Adam.
    mutating func update(parameters: inout [Scalar], gradient: [Scalar], learningRate: Double)

    /// The full internal state (step count and every per-parameter buffer), exact: restoring it
    /// into an optimizer with the same hyperparameters reproduces all later updates bit for bit.
    var state: OptimizerState { get }

    /// Replaces the internal state with `state`, taken from `self.state` of an optimizer of the
    /// same kind, scalar type and parameter count.
    ///
    /// - Throws: `OptimizerStateError` when the state belongs to another kind, scalar type or
    ///   parameter count, or lacks a buffer this optimizer needs; `self` is then unchanged.
    mutating func restore(_ state: OptimizerState) throws
}
