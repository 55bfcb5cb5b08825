/// The weights of a regular grid on the probability simplex: every vector of `taskCount`
/// multiples of `1 / divisions` that sums to 1, in lexicographic order of the first weight
/// descending (for 2 tasks and 4 divisions: (1, 0), (0.75, 0.25), ..., (0, 1)).
/// There are C(divisions + taskCount - 1, taskCount - 1) points.
public func simplexGrid(taskCount: Int, divisions: Int) -> [[Double]] {
    precondition(taskCount >= 1 && divisions >= 1, "a simplex grid needs a task and a division")
    func compositions(_ total: Int, _ parts: Int) -> [[Int]] {
        if parts == 1 { return [[total]] }
        return stride(from: total, through: 0, by: -1).flatMap { first in compositions(total - first, parts - 1).map { [first] + $0 } }
    }
    return compositions(divisions, taskCount).map { $0.map { Double($0) / Double(divisions) } }
}
