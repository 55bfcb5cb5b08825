import Linalg
import Nets
import Training

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

/// Wall times of the instrumented MT step, the step `tasktrace record` takes: one forward
/// pass, the per-task gradients, their Gramian and cosines over the shared parameters, the
/// equal-weight combination and an Adam update (learning rate 1e-3) of all parameters.
func instrumentedStepSeconds(_ bench: BenchmarkModel, budget: Double) throws -> [Double] {
    var model = bench.model
    var optimizer = try Adam<Float>(parameterCount: model.layout.count)
    let weights = bench.equalWeights
    var checksum = 0.0
    let times = timedSeconds(budget: budget) {
        let gradients = model.taskGradients(inputs: bench.inputs, targets: bench.targets)
        let gram = gramian(ofRows: gradients.matrix, columns: gradients.sharedCount)
        let cosine = cosines(fromGramian: gram)
        optimizer.update(parameters: &model.parameters, gradient: gradients.combined(weights: weights), learningRate: 1e-3)
        checksum += cosine[0, bench.taskCount - 1]
    }
    precondition(checksum.isFinite, "the instrumented step of \(bench.name) produced a non-finite cosine")
    return times
}

/// The MLP's training GEMMs inside a step against bare sgemm on the same shapes: times the
/// per-task gradient step (forward, per-task gradients, equal-weight combination, an SGD
/// update) and the same GEMMs back to back, and emits both as `gemm_step` and `gemm_bare`
/// with their GEMM FLOPs; achieved rate / bare rate = bare time / step time.
func benchmarkTrainingGemms(batch: Int = 256, widths: [Int] = [784, 256, 256], tasks: Int = 2, sink: ResultSink) throws {
    let bench = multiFashionMLP(batch: batch, widths: widths, tasks: tasks)
    var model = bench.model
    let weights = bench.equalWeights
    let step = timedSeconds(budget: 1.5) {
        let gradients = model.taskGradients(inputs: bench.inputs, targets: bench.targets)
        axpy(-0.01, gradients.combined(weights: weights), &model.parameters)
    }
    let shapes = multiTaskStepShapes(batch: batch, widths: widths, classes: 10, tasks: tasks)
    let flops = shapes.reduce(0) { $0 + $1.flops }
    let bare = bareGemmSeconds(shapes)
    print("Training GEMMs of the \(bench.summary): \(String(format: "%.1f", flops / 1e6)) MFLOP in \(shapes.count) GEMMs")
    try sink.emit(TimingResult(row: "gemm_step", model: bench.name, seconds: step, flops: flops),
                  label: "per-task gradient step")
    try sink.emit(TimingResult(row: "gemm_bare", model: bench.name, seconds: bare, flops: flops),
                  label: "bare sgemm, same shapes")
    print("  step GEMM rate / bare sgemm rate: \(String(format: "%.0f", 100 * median(bare) / median(step)))%")
}
