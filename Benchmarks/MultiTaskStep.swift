import Linalg
import Nets

/// The GEMMs of one multi-task step with per-task gradients on an MLP: the forward pass,
/// each head's backward, and the trunk backward with the T upstream gradients side by side.
func multiTaskStepShapes(batch n: Int, widths: [Int], classes: Int, tasks: Int) -> [GemmShape] {
    var shapes: [GemmShape] = []
    let layers = Array(zip(widths, widths.dropFirst()))
    for (input, output) in layers { shapes.append(GemmShape(m: n, n: output, k: input, transposeB: true)) }
    let last = widths.last!
    for _ in 0..<tasks {
        shapes.append(GemmShape(m: n, n: classes, k: last, transposeB: true))        // head forward
        shapes.append(GemmShape(m: classes, n: last, k: n, transposeA: true))         // head dW
        shapes.append(GemmShape(m: n, n: last, k: classes))                           // head dX
    }
    for (index, (input, output)) in layers.enumerated().reversed() {
        for _ in 0..<tasks { shapes.append(GemmShape(m: output, n: input, k: n, transposeA: true)) }  // dW per task
        if index > 0 { shapes.append(GemmShape(m: n * tasks, n: input, k: output)) }                // dX, all tasks
    }
    return shapes
}

/// Times one instrumented-free multi-task step: forward, per-task gradients, the equal-weight
/// combination and an SGD update, on the MultiFashion MLP.
func benchmarkMultiTaskStep(batch: Int = 256, widths: [Int] = [784, 256, 256], tasks: Int = 2) {
    var model = MultiTaskModel<Float>.multilayerPerceptron(
        inputWidth: widths[0], trunkWidths: Array(widths.dropFirst()),
        heads: (0..<tasks).map { ("task\($0)", 10, LossKind.crossEntropy) }, seed: 1)
    var generator = RandomGenerator(seed: 2)
    let inputs = Matrix<Float>(rows: batch, columns: widths[0], storage: (0..<(batch * widths[0])).map { _ in Float(generator.uniform()) })
    let targets = (0..<tasks).map { _ in
        Matrix<Float>(rows: batch, columns: 1, storage: (0..<batch).map { _ in Float(generator.integer(below: 10)) })
    }
    let weights = [Float](repeating: 1 / Float(tasks), count: tasks)
    let step = medianSeconds {
        let gradients = model.taskGradients(inputs: inputs, targets: targets)
        let combined = gradients.combined(weights: weights)
        axpy(-0.01, combined, &model.parameters)
    }
    let shapes = multiTaskStepShapes(batch: batch, widths: widths, classes: 10, tasks: tasks)
    let flops = shapes.reduce(0) { $0 + $1.flops }
    let bare = bareGemmSeconds(shapes)
    print("MT step with per-task gradients (MLP \(widths.map(String.init).joined(separator: "-")), T=\(tasks), batch \(batch))")
    print("  step time            \(format(step))")
    print("  GEMM work            \(String(format: "%.1f", flops / 1e6)) MFLOP in \(shapes.count) GEMMs")
    print("  achieved in the step \(String(format: "%6.1f", flops / step / 1e9)) GFLOP/s")
    print("  bare sgemm, same shapes \(format(bare))  \(String(format: "%6.1f", flops / bare / 1e9)) GFLOP/s")
    print("  step GEMM rate / bare sgemm rate: \(String(format: "%.0f", 100 * bare / step))%")
}
