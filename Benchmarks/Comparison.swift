/// The TaskTrace side of the comparison with PyTorch (`Benchmarks/reference/step.py` times
/// the same rows): for every model the instrumented MT step, one gradient, one exact HVP and
/// the top eigenvalue with `eigenvalueSteps` HVPs; then the MLP's training GEMMs against
/// bare sgemm. Each row runs for about `budget` seconds.
func runComparison(sink: ResultSink, eigenvalueSteps: Int = 20, budget: Double = 1.5) throws {
    for bench in try comparisonModels() {
        print("\(bench.summary), \(bench.model.layout.count) parameters (\(bench.model.layout.sharedCount) shared)")
        try sink.emit(TimingResult(row: "mt_step", model: bench.name, seconds: try instrumentedStepSeconds(bench, budget: budget)),
                      label: "instrumented MT step")
        try sink.emit(TimingResult(row: "gradient", model: bench.name, seconds: gradientSeconds(bench, budget: budget)),
                      label: "one gradient")
        try sink.emit(TimingResult(row: "hvp", model: bench.name, seconds: hessianVectorProductSeconds(bench, budget: budget)),
                      label: "one exact HVP")
        try sink.emit(TimingResult(row: "top_eigenvalue", model: bench.name,
                                   seconds: topEigenvalueSeconds(bench, steps: eigenvalueSteps, budget: budget),
                                   iterations: eigenvalueSteps),
                      label: "top eigenvalue, \(eigenvalueSteps) Lanczos steps")
    }
    try benchmarkTrainingGemms(sink: sink)
}
