import Datasets
import Foundation
import Records
import Testing
@testable import Training

/// Population-based training in process: exploits copy exactly, the lineage matches the
/// rule, and a diverged member is replaced into a new record.
@Suite struct PopulationBasedTrainingTests {
    static func configuration(population: Int = 4, interval: Int = 5, steps: Int = 20) -> PBTConfiguration {
        PBTConfiguration(seed: 10, population: population, interval: interval,
                         base: RunConfiguration(dataset: DatasetConfiguration(name: .synthetic, trainCount: 256, validationCount: 64,
                                                                              testCount: 32, taskCount: 3),
                                                widths: [12], optimizer: .adam(learningRate: 1e-2), steps: steps, batchSize: 32,
                                                evalEvery: 7, trainEvalCount: 64, flushEvery: 3, checkpointEvery: 10))
    }

    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tasktrace-pbt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func make(_ configuration: PBTConfiguration, in folder: URL) throws -> PopulationBasedTraining {
        try PopulationBasedTraining(configuration: configuration, dataset: try configuration.base.dataset.make(), folder: folder,
                                    overwrite: false, toolVersion: "test")
    }

    @Test func initialWeightsAreEqualForMemberZeroAndSimplexPointsForTheOthers() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let population = try make(Self.configuration(), in: folder)
        let third: Double = 1.0 / 3
        #expect(population.members[0].trainer.weights == [third, third, third])
        for member in population.members.dropFirst() {
            let sum: Double = member.trainer.weights.reduce(0, +)
            #expect(abs(sum - 1) < 1e-12 && member.trainer.weights.allSatisfy { $0 >= 0 })
            #expect(member.trainer.configuration.seed == 10 + UInt64(member.index))
        }
        #expect(Set(population.members.map(\.trainer.weights)).count == 4)
    }

    @Test func afterAnExploitTheChildHoldsExactlyTheParentsParametersAndOptimizerState() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let population = try make(Self.configuration(), in: folder)
        for _ in 0..<4 { try population.advance() }
        try population.stepMembers()
        let before = population.members
        try population.synchronise()  // step 5
        let row = try #require(population.synchronisations.first)
        #expect(row.step == 5)
        let child = try #require(row.parents.indices.first { row.parents[$0] != $0 })
        let parent = row.parents[child]
        let members = population.members
        let sameParameters = members[child].trainer.model.parameters == members[parent].trainer.model.parameters
        let sameOptimizerState = members[child].trainer.optimizer.state == members[parent].trainer.optimizer.state
        let changed = members[child].trainer.model.parameters != before[child].trainer.model.parameters
        #expect(sameParameters && sameOptimizerState && changed)
        #expect(members[child].trainer.sampler == before[child].trainer.sampler && members[child].trainer.step == 5)
        #expect(members[child].trainer.generator == before[child].trainer.generator)
        #expect(members[child].trainer.weights == row.weights[child])
        for member in members.indices where row.parents[member] == member {
            let untouched = members[member].trainer.model.parameters == before[member].trainer.model.parameters
            #expect(untouched && members[member].trainer.weights == before[member].trainer.weights)
        }
        // Parents are consistent with the ranking: the worst member copies the best (Q = 1).
        let order = PBTExploit.ranking(row.fitness)
        #expect(row.parents[order.last!] == order.first! && child == order.last!)
    }

    @Test func aDivergedMemberRanksLastIsNeverAParentAndRestartsInANewRecord() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let population = try make(Self.configuration(steps: 17), in: folder)
        try population.advance()
        try population.advance()
        population.members[3].trainer.model.parameters[0] = .nan
        let measurements = try population.advance()  // step 3 diverges
        #expect(measurements[3]?.diverged == true && population.members[3].isDiverged)
        try population.advance()
        #expect(try population.advance()[3] == nil, "a diverged member takes no steps")  // step 5: synchronisation
        let row = try #require(population.synchronisations.first)
        #expect(row.fitness[3] == -.infinity && row.parents[3] != 3 && !row.parents.contains(3) && row.records == [0, 0, 0, 1])
        #expect(!population.members[3].isDiverged && population.members[3].trainer.step == 5)
        #expect(population.members[3].trainer.weights == row.weights[3])
        let parent = row.parents[3]
        let copied = population.members[3].trainer.model.parameters == population.members[parent].trainer.model.parameters
        #expect(copied)
        #expect(try population.run() == .complete)

        let diverged = try RecordReader(folder.appendingPathComponent("member-3.h5").path)
        #expect(try diverged.stringAttribute("status") == "diverged" && diverged.rowCount("/train/step") == 3)
        diverged.close()
        let restarted = try RecordReader(folder.appendingPathComponent("member-3-r1.h5").path)
        #expect(try restarted.stringAttribute("status") == "complete")
        #expect(try restarted.readInt64s("/train/step") == Array(5..<17))
        #expect(try restarted.readInt64s("/eval/step").first == 5)
        restarted.close()
        let lineage = try RecordReader(folder.appendingPathComponent("pbt.h5").path)
        #expect(try lineage.readInt64s("/sync/step") == [5, 10, 15])
        #expect(try lineage.readInt64s("/sync/record") == [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(try lineage.stringAttribute("status") == "complete" && lineage.stringAttribute("schema") == "tasktrace-pbt/1")
        lineage.close()
    }
}
