import Datasets
import Linalg
import Nets
import Testing
@testable import Training

/// The probe on a batch where the classification task lacks some labels: every value is the
/// one over the labelled examples.
@Suite struct ProbeMissingLabelTests {
    let probe: Probe
    let model = probeModel()

    init() throws {
        var split = probeSplit()
        for i in stride(from: 0, to: split.count, by: 3) { split.targets[0].storage[i] = -1 }
        probe = try Probe(split: split, tasks: [0, 1], configuration: smallProbeConfiguration, seed: 42)
    }

    @Test func theBigBatchGradientIsTheMeanOverTheLabelledExamples() {
        let labelled = LossKind.crossEntropy.labelledRows(targets: probe.targets[0])
        #expect(labelled.count < 32 && labelled.count > 16)
        let microbatches = MicrobatchGradients(model: model, inputs: probe.inputs, targets: probe.targets, microbatchSize: 8)
        let subset = model.taskGradients(inputs: probe.inputs.gatherRows(labelled), targets: probe.targets.map { $0.gatherRows(labelled) })
        #expect(relativeDifference(microbatches.bigBatch.row(0).map(Double.init), subset.gradient(0).map(Double.init)) < 1e-5)
        #expect(microbatches.labelledCounts == [labelled.count, 32])
        // The regression task is unaffected: the mean of the whole batch.
        let full = model.taskGradients(inputs: probe.inputs, targets: probe.targets)
        #expect(relativeDifference(microbatches.bigBatch.row(1).map(Double.init), full.gradient(1).map(Double.init)) < 1e-5)
    }

    @Test func fisherTraceAveragesOverTheLabelledExamples() {
        let measurement = probe.measure(model: model, initialParameters: model.parameters, weights: [0.5, 0.5], step: 0)
        let labelled = LossKind.crossEntropy.labelledRows(targets: probe.targets[0])
        var expected = 0.0
        for i in labelled {
            let g = model.taskGradients(inputs: probe.inputs.rows(i..<(i + 1)), targets: probe.targets.map { $0.rows(i..<(i + 1)) })
            expected += squaredNorm(g.gradient(0)) / Double(labelled.count)
        }
        #expect(abs(measurement.fisherTrace[0] - expected) < 1e-5 * expected)
        #expect(measurement.sharpness.allSatisfy(\.isFinite) && measurement.coherence.allSatisfy(\.isFinite))
    }
}
