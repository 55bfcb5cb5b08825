import Linalg

/// What a multi-task aggregator sees at one step.
public struct AggregationInput<Scalar: BLASScalar>: Sendable {
    /// `T x P`: row t is task t's gradient over all parameters, the shared parameters first
    /// (columns `0..<sharedCount`), zero on the other tasks' heads.
    public var gradients: Matrix<Scalar>
    /// Number of shared parameters (a prefix of every row).
    public var sharedCount: Int
    /// `T x T` Gramian `g_i . g_j` of the rows over the shared parameters, in Double.
    public var gramian: Matrix<Double>
    /// Each task's loss at this step.
    public var losses: [Double]
    /// The optimizer step, counting from 0.
    public var step: Int

    public init(gradients: Matrix<Scalar>, sharedCount: Int, gramian: Matrix<Double>? = nil, losses: [Double], step: Int) {
        self.gradients = gradients
        self.sharedCount = sharedCount
        self.gramian = gramian ?? Linalg.gramian(ofRows: gradients, columns: sharedCount)
        self.losses = losses
        self.step = step
    }

    /// Number of tasks T.
    public var taskCount: Int { gradients.rows }
}

/// An aggregator's result: the update direction and the effective task weights.
public struct Aggregation<Scalar: BLASScalar>: Sendable {
    /// The direction the optimizer descends, `P` scalars in the parameter layout.
    public var direction: [Scalar]
    /// Effective task weights `w` (T): the direction is `sum_t w_t g_t` over all parameters.
    /// For an aggregator whose direction is not in the span of the task gradients (GradDrop),
    /// the least-squares coefficients of its shared part on the shared task gradients.
    public var weights: [Double]

    public init(direction: [Scalar], weights: [Double]) {
        self.direction = direction
        self.weights = weights
    }
}

/// A rule that turns the task gradients of a step into one update direction: linear
/// scalarization, or a multi-task optimization (MTO) method. Implementations cite their paper
/// and use its default hyperparameters; randomised ones draw from the `generator` given (the
/// run's), and stateful ones keep their state in the value (e.g. moving averages).
public protocol Aggregator: Sendable {
    /// The method's name as `--method` spells it (e.g. `pcgrad`, `mgda`).
    var name: String { get }
    /// The direction and effective weights for one step.
    mutating func aggregate<Scalar: BLASScalar>(_ input: AggregationInput<Scalar>, generator: inout RandomGenerator) -> Aggregation<Scalar>
    /// State carried from step to step (e.g. moving averages), as numbers a checkpoint stores;
    /// its length is fixed for a given task count. Empty for stateless aggregators.
    var state: [Double] { get set }
}

extension Aggregator {
    /// Stateless by default.
    public var state: [Double] {
        get { [] }
        set { precondition(newValue.isEmpty, "\(name) keeps no state") }
    }
}

/// An aggregator whose direction is `J^T w`, with the weights `w` computed from the Gramian
/// (and the losses) alone, so its cost does not grow with the number of parameters.
/// Projection methods (PCGrad, GradVac) are of this kind: a projected gradient is a linear
/// combination of the task gradients, and all its dot products follow from the Gramian.
public protocol GramianWeighting: Aggregator {
    /// The effective task weights `w` (T) for this step.
    mutating func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double]
}

extension GramianWeighting {
    public mutating func aggregate<Scalar: BLASScalar>(_ input: AggregationInput<Scalar>, generator: inout RandomGenerator) -> Aggregation<Scalar> {
        let w = weights(gramian: input.gramian, losses: input.losses, step: input.step, generator: &generator)
        return Aggregation(direction: combination(of: input.gradients, weights: w), weights: w)
    }
}

/// `sum_t w_t g_t`: the rows of `gradients` (`T x P`) combined with weights `w` (T), by GEMV.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func combination<Scalar: BLASScalar>(of gradients: Matrix<Scalar>, weights w: [Double]) -> [Scalar] {
    precondition(w.count == gradients.rows, "\(w.count) weights for \(gradients.rows) task gradients")
    return matrixVectorProduct(gradients, w.map { Scalar($0) }, transposed: true)
}

/// Linear scalarization with fixed weights: `sum_t w_t g_t` (the weighted sum of the task
/// losses' gradients). With equal weights 1/T it is the mean of the task gradients.
public struct LinearScalarization: GramianWeighting {
    public let name = "scalarization"
    /// The fixed task weights.
    public var taskWeights: [Double]

    public init(weights: [Double]) { taskWeights = weights }

    public func weights(gramian: Matrix<Double>, losses: [Double], step: Int, generator: inout RandomGenerator) -> [Double] {
        precondition(taskWeights.count == gramian.rows, "\(taskWeights.count) weights for \(gramian.rows) tasks")
        return taskWeights
    }
}
