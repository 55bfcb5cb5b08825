import Datasets
import Linalg
import Testing

@Test func taskNamedFindsTheIndexAndInputWidthIsTheShapeProduct() {
    let split = DataSplit(inputs: Matrix(rows: 3, columns: 12), targets: [Matrix(rows: 3, columns: 1), Matrix(rows: 3, columns: 2)])
    let dataset = MultiTaskDataset(
        name: "toy", tasks: [TaskInfo(name: "a", kind: .classification, outputCount: 4),
                             TaskInfo(name: "b", kind: .regression, outputCount: 2)],
        inputShape: [1, 3, 4], train: split, validation: split.prefix(1), test: split.prefix(2))
    #expect(dataset.task(named: "a") == 0)
    #expect(dataset.task(named: "b") == 1)
    #expect(dataset.task(named: "c") == nil)
    #expect(dataset.inputWidth == 12)
    #expect(dataset.validation.count == 1 && dataset.test.count == 2)
}
