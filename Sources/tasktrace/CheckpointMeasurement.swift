import Linalg
import Nets

/// What `tasktrace measure` computes for one model on one batch, in Double whatever the
/// precision of the computation. T tasks, P parameters, S shared (trunk) parameters.
struct CheckpointMeasurement {
    /// Each task's mean loss on the batch, [T].
    var losses: [Double]
    /// `T x P`: row t is the gradient of task t's loss in the flat parameter layout (zero on
    /// the other tasks' heads).
    var gradients: Matrix<Double>
    /// `T x T`: `g_i . g_j` over the S shared parameters.
    var gramian: Matrix<Double>
    /// `T x T`: cosines of the task gradients over the shared parameters (0 for a zero gradient).
    var cosine: Matrix<Double>
    /// `(T+1) x P`: `H_t v` for each task's loss, then `H v` for the weighted total; nil without a vector.
    var hessianVectorProducts: Matrix<Double>?
    /// T+1 top Hessian eigenvalues (Lanczos), per task then of the weighted total.
    var eigenvalues: [EigenvalueEstimate]

    /// Measures `model` on `inputs` and `targets`.
    /// - Parameters:
    ///   - weights: `w_t` of the weighted total `sum_t w_t L_t`, one per task.
    ///   - vector: the HVP direction (P values), or nil for no HVPs.
    ///   - lanczosIterations: at most this many Hessian-vector products per eigenvalue; the
    ///     iteration stops earlier when its estimate changes by less than 1e-8 relative.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    init<Scalar: BLASScalar>(model: MultiTaskModel<Scalar>, inputs: Matrix<Scalar>, targets: [Matrix<Scalar>],
                             weights: [Double], vector: [Double]?, lanczosIterations: Int) {
        let t = model.taskCount, p = model.layout.count
        let taskGradients = model.taskGradients(inputs: inputs, targets: targets)
        losses = taskGradients.losses
        gradients = taskGradients.matrix.converted(to: Double.self)
        gramian = Linalg.gramian(ofRows: taskGradients.matrix, columns: taskGradients.sharedCount)
        cosine = cosines(fromGramian: gramian)

        // Loss weights: one-hot for each task's own loss, then the run's weights for the total.
        let lossWeights: [[Scalar]] = (0..<t).map { task in (0..<t).map { $0 == task ? 1 : 0 } }
            + [weights.map { Scalar($0) }]
        let operators = lossWeights.map {
            HessianVectorProduct(model: model, inputs: inputs, targets: targets, weights: $0)
        }
        if let vector {
            let direction = vector.map { Scalar($0) }
            var products = Matrix<Double>(rows: t + 1, columns: p)
            for (row, hessian) in operators.enumerated() {
                products.storage.replaceSubrange((row * p)..<((row + 1) * p),
                                                 with: hessian.apply(direction).map { Double($0) })
            }
            hessianVectorProducts = products
        }
        eigenvalues = operators.map { hessian in
            topEigenvalueByLanczos(dimension: p, tolerance: 1e-8, maxIterations: lanczosIterations,
                                   product: hessian.apply)
        }
    }
}
