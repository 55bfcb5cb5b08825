import Datasets
import Foundation
import Linalg
import Testing

@Test func everyEpochIsAPermutationWithoutDropLast() {
    var sampler = MinibatchSampler(exampleCount: 10, batchSize: 3, seed: 5, dropLast: false)
    #expect(sampler.batchesPerEpoch == 4)
    var epochs: [[Int]] = []
    for epoch in 0..<3 {
        #expect(sampler.epoch == epoch && sampler.position == 0)
        let batches = (0..<4).map { _ in sampler.next() }
        #expect(batches.map(\.count) == [3, 3, 3, 1])
        let visited = batches.flatMap { $0 }
        #expect(visited.sorted() == Array(0..<10))
        epochs.append(visited)
    }
    #expect(epochs[0] != epochs[1] || epochs[1] != epochs[2])
}

@Test func dropLastGivesOnlyFullBatches() {
    var sampler = MinibatchSampler(exampleCount: 10, batchSize: 3, seed: 5)
    #expect(sampler.batchesPerEpoch == 3)
    for epoch in 0..<4 {
        #expect(sampler.epoch == epoch)
        let batches = (0..<3).map { _ in sampler.next() }
        #expect(batches.allSatisfy { $0.count == 3 })
        #expect(Set(batches.flatMap { $0 }).count == 9)
    }
}

@Test func theOrderIsTheEpochStreamsPermutation() {
    // The order depends only on (seed, epoch): epoch e is RandomGenerator(seed:, stream: e)'s permutation.
    var sampler = MinibatchSampler(exampleCount: 12, batchSize: 4, seed: 42)
    for epoch in 0..<3 {
        var generator = RandomGenerator(seed: 42, stream: UInt64(epoch))
        let order = generator.permutation(12)
        #expect((0..<3).flatMap { _ in sampler.next() } == order)
    }
}

@Test func sameSeedSameOrderAndDifferentSeedsDiffer() {
    var a = MinibatchSampler(exampleCount: 100, batchSize: 10, seed: 1)
    var b = MinibatchSampler(exampleCount: 100, batchSize: 10, seed: 1)
    var c = MinibatchSampler(exampleCount: 100, batchSize: 10, seed: 2)
    let fromA = (0..<25).map { _ in a.next() }, fromB = (0..<25).map { _ in b.next() }, fromC = (0..<25).map { _ in c.next() }
    #expect(fromA == fromB)
    #expect(fromA != fromC)
    #expect(a == b && a != c)
}

@Test func resumingFromASavedCursorContinuesIdentically() throws {
    var original = MinibatchSampler(exampleCount: 23, batchSize: 5, seed: 9, dropLast: false)
    for _ in 0..<7 { _ = original.next() }
    #expect(original.epoch == 1 && original.position == 10)  // 5 batches per epoch

    let saved = try JSONEncoder().encode(original)
    var decoded = try JSONDecoder().decode(MinibatchSampler.self, from: saved)
    var rebuilt = MinibatchSampler(exampleCount: 23, batchSize: 5, seed: 9, dropLast: false,
                                   epoch: original.epoch, position: original.position)
    #expect(decoded == original && rebuilt == original)
    for _ in 0..<30 {
        let expected = original.next()
        #expect(decoded.next() == expected)
        #expect(rebuilt.next() == expected)
    }
}

@Test func corruptSavedCursorsAreRejectedWhenDecoding() {
    let text = #"{"exampleCount":10,"batchSize":4,"seed":1,"dropLast":true,"epoch":0,"position":11}"#
    #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(MinibatchSampler.self, from: Data(text.utf8)) }
}
