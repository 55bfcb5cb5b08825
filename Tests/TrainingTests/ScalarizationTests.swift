import Foundation
import Testing
import Datasets
@testable import Training

@Suite struct ScalarizationTests {
    let base = RunConfiguration(dataset: DatasetConfiguration(name: .synthetic))

    func decode(_ json: String) throws -> RunConfiguration {
        try JSONDecoder().decode(RunConfiguration.self, from: Data(json.utf8))
    }

    @Test func weightingAndSeparateHeadsByDefault() throws {
        #expect(base.scalarization == .weighting && !base.sharedHead)
        let decoded = try decode(#"{"dataset": {"name": "synthetic"}}"#)
        #expect(decoded.scalarization == .weighting && !decoded.sharedHead)
    }

    @Test func decodesAndRoundTripsTheNewFields() throws {
        let decoded = try decode(#"{"dataset": {"name": "synthetic"}, "scalarization": "sampling", "sharedHead": true}"#)
        #expect(decoded.scalarization == .sampling && decoded.sharedHead)
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: JSONEncoder().encode(decoded)) == decoded)
    }

    @Test func badValuesNameTheField() {
        let unknown = hyperparameterError { _ = try decode(#"{"dataset": {"name": "synthetic"}, "scalarization": "resampling"}"#) }
        #expect(unknown?.field == "scalarization")
        #expect(unknown?.message == "scalarization must be weighting or sampling (got resampling)")
        let wrongType = hyperparameterError { _ = try decode(#"{"dataset": {"name": "synthetic"}, "sharedHead": "yes"}"#) }
        #expect(wrongType?.field == "sharedHead")
    }

    @Test func samplingNeedsMethodScalarization() {
        var c = base
        c.scalarization = .sampling
        c.method = "pcgrad"
        let error = hyperparameterError { try c.validate() }
        #expect(error?.field == "scalarization")
        c.method = "scalarization"
        #expect(throws: Never.self) { try c.validate() }
    }
}
