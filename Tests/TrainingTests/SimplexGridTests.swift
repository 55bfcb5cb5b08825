import Testing
@testable import Training

@Suite struct SimplexGridTests {
    @Test func twoTasksInQuarters() {
        #expect(simplexGrid(taskCount: 2, divisions: 4) == [[1, 0], [0.75, 0.25], [0.5, 0.5], [0.25, 0.75], [0, 1]])
    }

    /// C(3 + 2, 2) = 10 points for three tasks in thirds, each on the simplex, all distinct.
    @Test func threeTasksInThirds() {
        let grid = simplexGrid(taskCount: 3, divisions: 3)
        #expect(grid.count == 10 && Set(grid).count == 10)
        #expect(grid.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 && $0.allSatisfy { [0, 1.0 / 3, 2.0 / 3, 1].contains($0) } })
        #expect(grid.first == [1, 0, 0] && grid.last == [0, 0, 1])
    }
}
