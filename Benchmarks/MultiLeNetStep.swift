import Linalg
import Nets

/// Times MultiLeNet on MultiFashion-shaped data (`[1, 28, 28]`, two 10-class tasks): one
/// multi-task step (forward, per-task gradients, equal-weight combination, SGD update), one
/// forward pass alone, and one exact Hessian-vector product on a 256-example batch.
func benchmarkMultiLeNetStep(batch: Int = 256, tasks: Int = 2) {
    var model = MultiTaskModel<Float>.multiLeNet(
        inputShape: [1, 28, 28], heads: (0..<tasks).map { ("task\($0)", 10, LossKind.crossEntropy) }, seed: 1)
    var generator = RandomGenerator(seed: 2)
    let inputs = Matrix<Float>(rows: batch, columns: 784, storage: (0..<(batch * 784)).map { _ in Float(generator.uniform()) })
    let targets = (0..<tasks).map { _ in
        Matrix<Float>(rows: batch, columns: 1, storage: (0..<batch).map { _ in Float(generator.integer(below: 10)) })
    }
    let weights = [Float](repeating: 1 / Float(tasks), count: tasks)
    let step = medianSeconds {
        let gradients = model.taskGradients(inputs: inputs, targets: targets)
        let combined = gradients.combined(weights: weights)
        axpy(-0.01, combined, &model.parameters)
    }
    let forward = medianSeconds { _ = model.forward(inputs) }
    let product = HessianVectorProduct(model: model, inputs: inputs, targets: targets, weights: weights)
    let direction = (0..<model.layout.count).map { _ in Float(generator.normal()) }
    let hessian = medianSeconds { _ = product.apply(direction) }
    print("MultiLeNet (\(model.layout.count) parameters, T=\(tasks), batch \(batch))")
    print("  MT step with per-task gradients \(format(step))")
    print("  forward pass alone              \(format(forward))")
    print("  Hessian-vector product          \(format(hessian))")
}
