import Datasets
import Testing

private func product(_ factor: [[Double]]) -> [[Double]] {
    factor.map { a in factor.map { b in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } } }
}

@Test(arguments: [0.9, 0.5, 0, -0.2, 1.0 / 3, -1.0 / 3, 1])
func choleskyFactorReproducesTheUniformMatrix(rho: Double) throws {
    let relatedness = TaskRelatedness.uniform(taskCount: 4, rho: rho)
    let factor = try relatedness.choleskyFactor()
    let expected = (0..<4).map { i in (0..<4).map { j in i == j ? 1 : rho } }
    for (row, expectedRow) in zip(product(factor), expected) {
        for (value, target) in zip(row, expectedRow) { #expect(abs(value - target) <= 1e-12) }
    }
    for i in 0..<4 { for j in (i + 1)..<4 { #expect(factor[i][j] == 0) } }  // lower-triangular
}

@Test func rhoOneHasASingleNonzeroColumn() throws {
    let factor = try TaskRelatedness.uniform(taskCount: 3, rho: 1).choleskyFactor()
    #expect(factor == [[1, 0, 0], [1, 0, 0], [1, 0, 0]])
}

@Test func invalidRhoAndMatricesNameTheParameter() throws {
    for (taskCount, rho) in [(2, 1.5), (2, -1.01), (3, -0.6), (5, -0.3), (2, Double.nan)] {
        let error = try #require(throws: DatasetError.self) {
            _ = try TaskRelatedness.uniform(taskCount: taskCount, rho: rho).choleskyFactor()
        }
        guard case .invalidParameter("rho", _, _) = error else { Issue.record("\(error)"); continue }
        #expect(error.description.contains("rho"))
    }
    let notSemidefinite: [[Double]] = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
    let asymmetric: [[Double]] = [[1, 0.5], [0.4, 1]]
    let offDiagonal: [[Double]] = [[2, 0], [0, 1]]
    for matrix in [notSemidefinite, asymmetric, offDiagonal, [], [[1, 0]]] {
        let error = try #require(throws: DatasetError.self) { _ = try TaskRelatedness.matrix(matrix).choleskyFactor() }
        guard case .invalidParameter("relatedness", _, _) = error else { Issue.record("\(error)"); continue }
    }
    #expect(throws: DatasetError.self) { _ = try TaskRelatedness.uniform(taskCount: 0, rho: 0).cosineMatrix() }
}

@Test func explicitSemidefiniteMatricesAreAccepted() throws {
    // Tasks 0 and 1 identical, task 2 opposite to both: rank 1.
    let matrix: [[Double]] = [[1, 1, -1], [1, 1, -1], [-1, -1, 1]]
    let factor = try TaskRelatedness.matrix(matrix).choleskyFactor()
    #expect(product(factor) == matrix)
    #expect(TaskRelatedness.matrix(matrix).taskCount == 3)
}
