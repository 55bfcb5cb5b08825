import Datasets
import Linalg
import Testing

/// Five examples: input row i is [i, 10 i], targets are class i % 2 and the pair (i, -i).
private func fiveExamples() -> DataSplit {
    DataSplit(
        inputs: Matrix((0..<5).map { [Float($0), Float(10 * $0)] }),
        targets: [Matrix((0..<5).map { [Float($0 % 2)] }), Matrix((0..<5).map { [Float($0), Float(-$0)] })])
}

@Test func gatheringTakesTheGivenRowsInOrder() {
    let batch = fiveExamples().gathering([3, 0, 3])
    #expect(batch.count == 3)
    #expect(batch.inputs == Matrix([[3, 30], [0, 0], [3, 30]]))
    #expect(batch.targets[0] == Matrix([[1], [0], [1]]))
    #expect(batch.targets[1] == Matrix([[3, -3], [0, 0], [3, -3]]))
}

@Test func prefixKeepsTheFirstRowsAndClampsToTheCount() {
    let split = fiveExamples()
    #expect(split.count == 5)
    let two = split.prefix(2)
    #expect(two.inputs == Matrix([[0, 0], [1, 10]]))
    #expect(two.targets[1] == Matrix([[0, 0], [1, -1]]))
    #expect(split.prefix(99) == split)
    #expect(split.prefix(0).count == 0)
}
