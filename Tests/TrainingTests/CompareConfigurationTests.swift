import Foundation
import Testing
@testable import Training

@Suite struct CompareConfigurationTests {
    func decode(_ json: String) throws -> CompareConfiguration {
        try JSONDecoder().decode(CompareConfiguration.self, from: Data(json.utf8))
    }

    func error(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> HyperparameterError? {
        hyperparameterError(sourceLocation: sourceLocation) { _ = try decode(json).studies() }
    }

    static let base = #""base": {"dataset": {"name": "synthetic", "trainCount": 256}, "widths": [16], "steps": 30}"#

    /// One study per learning rate, in its own folder, with that rate, test evaluation on,
    /// and the variants: methods, then weighted scalarizations, then matched trunks.
    @Test func plansOneStudyPerLearningRate() throws {
        let compare = try decode(#"""
        {"seeds": [1, 2], "out": "runs/c", "learningRates": [0.001, 0.0003], "methods": ["scalarization", "pcgrad"],
         "scalarizationWeights": [[0.7, 0.3]], "matched": [{"name": "wide", "widths": [32]}], \#(Self.base)}
        """#)
        let studies = try compare.studies()
        #expect(studies.map(\.learningRate) == [0.001, 0.0003])
        #expect(studies.map(\.study.out) == ["runs/c/lr-0.001", "runs/c/lr-0.0003"])
        for (rate, study) in studies {
            #expect(study.base.optimizer.learningRate == rate && study.base.evalTest && study.seeds == [1, 2])
        }
        #expect(studies[0].study.mt == [
            StudyVariant(name: "scalarization", method: "scalarization"), StudyVariant(name: "pcgrad", method: "pcgrad"),
            StudyVariant(name: "scalarization-0.7-0.3", weights: [0.7, 0.3], method: "scalarization"),
            StudyVariant(name: "matched-wide", method: "scalarization", widths: [32]),
        ])
        let manifest = try StudyManifest(planning: studies[0].study)
        let matched = try #require(manifest.multiTaskRun(variant: "matched-wide", seed: 2))
        #expect(manifest.configuration(of: matched).widths == [32])
        #expect(manifest.configuration(of: manifest.multiTaskRun(variant: "pcgrad", seed: 1)!).method == "pcgrad")
    }

    @Test func theDefaultMethodsAreTheAcceptanceSet() throws {
        let compare = try decode(#"{"seeds": [1], "learningRates": [0.001], \#(Self.base)}"#)
        #expect(compare.methods == ["scalarization", "pcgrad", "mgda", "cagrad", "imtlg", "nashmtl"])
    }

    @Test func errorsNameTheField() {
        #expect(error(#"{"seeds": [1], \#(Self.base)}"#)?.field == "learningRates")
        #expect(error(#"{"seeds": [1], "learningRates": [0.001, -1], \#(Self.base)}"#)?.field == "learningRates[1]")
        #expect(error(#"{"seeds": [1], "learningRates": [0.001], "methods": ["scalarization", "pcgard"], \#(Self.base)}"#)?.field == "methods[1]")
        #expect(error(#"{"seeds": [1], "learningRates": [0.001], "scalarizationWeights": [[1, 2, 3]], \#(Self.base)}"#)?.field
            == "scalarizationWeights[0]")
        #expect(error(#"{"seeds": [1], "learningRates": [0.001], "matched": [{"name": "w", "widths": [0]}], \#(Self.base)}"#)?.field
            == "matched[0].widths")
        #expect(error(#"{"seeds": [1], "learningRates": [0.001], "lr": 1, \#(Self.base)}"#)?.field == "lr")
        #expect(error(#"{"seeds": [-1], "learningRates": [0.001], \#(Self.base)}"#)?.field == "seeds[0]")
        #expect(error(#"{"seeds": [1], "learningRates": [0.001], "base": {"dataset": {"name": "synthetic"}, "method": "pcgrad"}}"#)?.field
            == "base.method")
        #expect(error(#"{"seeds": [1], "learningRates": [0.001], "base": {"dataset": {"name": "synthetic"}, "seed": 3}}"#)?.field
            == "base.seed")
    }
}
