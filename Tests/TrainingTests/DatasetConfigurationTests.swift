import Foundation
import Testing
import Datasets
@testable import Training

@Suite struct DatasetConfigurationTests {
    func decode(_ json: String) throws -> RunConfiguration {
        try JSONDecoder().decode(RunConfiguration.self, from: Data(json.utf8))
    }

    @Test func multidomainDefaultsToAllFiveDomainsWithPerDomainCounts() {
        let c = DatasetConfiguration(name: .multidomain)
        #expect(c.resolvedDomains == DomainTransform.allCases)
        #expect(c.taskNames == ["original", "inverted", "rotated", "blurred", "noisy"])
        #expect(c.resolvedTrainCount == 10_000 && c.resolvedValidationCount == 2000 && c.resolvedTestCount == 2000)
        let resolved = c.resolved()
        #expect(resolved.domains == DomainTransform.allCases && resolved.trainCount == 10_000 && resolved.seed == 0)
        #expect(resolved.directory == FashionMNIST.configuredDirectory)
    }

    @Test func domainsKeepTheirOrder() throws {
        let c = try decode(#"{"dataset": {"name": "multidomain", "domains": ["rotated", "original"], "trainCount": 100}}"#)
        #expect(c.dataset.domains == [.rotated, .original])
        #expect(c.dataset.taskNames == ["rotated", "original"] && c.dataset.resolvedTaskCount == 2)
    }

    @Test func unknownOrMisplacedDomainsNameTheField() {
        let unknown = hyperparameterError { _ = try decode(#"{"dataset": {"name": "multidomain", "domains": ["original", "sepia"]}}"#) }
        #expect(unknown?.field == "dataset.domains")
        #expect(unknown?.message.contains("'sepia' is not a domain") == true)
        let misplaced = hyperparameterError {
            try RunConfiguration(dataset: DatasetConfiguration(name: .multifashion, domains: [.original])).validate()
        }
        #expect(misplaced?.field == "dataset.domains")
        let repeated = hyperparameterError {
            try RunConfiguration(dataset: DatasetConfiguration(name: .multidomain, domains: [.noisy, .noisy])).validate()
        }
        #expect(repeated?.field == "dataset.domains")
        let empty = hyperparameterError { try DatasetConfiguration(name: .multidomain, domains: []).validate() }
        #expect(empty?.field == "dataset.domains")
        let synthetic = hyperparameterError { try DatasetConfiguration(name: .multidomain, rho: 0.3).validate() }
        #expect(synthetic?.field == "dataset.rho")
        let unknownField = hyperparameterError { _ = try decode(#"{"dataset": {"name": "multidomain", "domain": ["original"]}}"#) }
        #expect(unknownField?.field == "dataset.domain")
    }
}
