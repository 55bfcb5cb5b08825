import Foundation
import Testing
import Training

@Suite struct ProbeConfigurationTests {
    func decode(_ json: String) throws -> ProbeConfiguration {
        try JSONDecoder().decode(ProbeConfiguration.self, from: Data(json.utf8))
    }

    @Test func defaultsAreMuellerEtAlsBigBatchOf1024InMicrobatchesOf16() throws {
        let configuration = ProbeConfiguration()
        #expect(configuration.batchSize == 1024 && configuration.microbatchSize == 16)
        #expect(configuration.hessianBatchSize == 256)
        #expect(configuration.lanczosIterations == 20 && configuration.lanczosTolerance == 1e-3)
        #expect(configuration.hutchinsonSamples == 4)
        #expect(configuration.microbatchCount == 64)
        try configuration.validate()
        #expect(try decode("{}") == configuration)
    }

    @Test func decodesGivenFieldsAndDefaultsTheRest() throws {
        let configuration = try decode(#"{"batchSize": 512, "hutchinsonSamples": 8}"#)
        #expect(configuration == ProbeConfiguration(batchSize: 512, hutchinsonSamples: 8))
    }

    @Test func roundTripsThroughJSON() throws {
        let configuration = ProbeConfiguration(batchSize: 64, microbatchSize: 8, hessianBatchSize: 32,
                                               lanczosIterations: 10, lanczosTolerance: 1e-4, hutchinsonSamples: 2)
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(ProbeConfiguration.self, from: data) == configuration)
    }

    @Test func invalidFieldsAreNamedWithTheProbePrefix() {
        func field(_ configuration: ProbeConfiguration) -> String? {
            hyperparameterError { try configuration.validate() }?.field
        }
        #expect(field(ProbeConfiguration(batchSize: 0)) == "probe.batchSize")
        #expect(field(ProbeConfiguration(microbatchSize: 0)) == "probe.microbatchSize")
        #expect(field(ProbeConfiguration(microbatchSize: 10)) == "probe.microbatchSize")
        #expect(field(ProbeConfiguration(batchSize: 16, microbatchSize: 16, hessianBatchSize: 16)) == "probe.microbatchSize")
        #expect(field(ProbeConfiguration(hessianBatchSize: 0)) == "probe.hessianBatchSize")
        #expect(field(ProbeConfiguration(hessianBatchSize: 2048)) == "probe.hessianBatchSize")
        #expect(field(ProbeConfiguration(lanczosIterations: 0)) == "probe.lanczosIterations")
        #expect(field(ProbeConfiguration(lanczosTolerance: 0)) == "probe.lanczosTolerance")
        #expect(field(ProbeConfiguration(lanczosTolerance: .nan)) == "probe.lanczosTolerance")
        #expect(field(ProbeConfiguration(hutchinsonSamples: 0)) == "probe.hutchinsonSamples")
        #expect(hyperparameterError { try ProbeConfiguration(microbatchSize: 10).validate() }?.description
            == "probe.microbatchSize must divide probe.batchSize (got 10 and 1024)")
    }

    @Test func decodingRejectsUnknownFieldsAndValidates() {
        let unknown = hyperparameterError { _ = try decode(#"{"batchsize": 512}"#) }
        #expect(unknown?.field == "probe.batchsize")
        #expect(unknown?.description.hasPrefix("probe.batchsize is not a field of the probe configuration") == true)
        #expect(hyperparameterError { _ = try decode(#"{"microbatchSize": 24}"#) }?.field == "probe.microbatchSize")
        #expect(hyperparameterError { _ = try decode(#"{"lanczosIterations": "many"}"#) }?.field == "probe.lanczosIterations")
    }
}
