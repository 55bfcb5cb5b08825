/// How related the tasks of a synthetic benchmark are: the T x T matrix of cosines between
/// their ground-truth directions (symmetric, unit diagonal, positive semidefinite).
public enum TaskRelatedness: Codable, Sendable, Equatable {
    /// `taskCount` tasks whose directions all have cosine `rho` with each other
    /// (valid for -1/(taskCount - 1) <= rho <= 1).
    case uniform(taskCount: Int, rho: Double)
    /// An explicit cosine matrix, e.g. for tasks of mixed relatedness.
    case matrix([[Double]])

    /// The number of tasks T.
    public var taskCount: Int {
        switch self {
        case let .uniform(taskCount, _): return taskCount
        case let .matrix(rows): return rows.count
        }
    }

    /// The T x T cosine matrix, validated. Throws `invalidParameter` naming `taskCount` or `rho`
    /// (uniform) or `relatedness` (matrix) if it is not a valid cosine matrix.
    public func cosineMatrix() throws(DatasetError) -> [[Double]] {
        switch self {
        case let .uniform(taskCount, rho):
            guard taskCount >= 1 else {
                throw .invalidParameter(name: "taskCount", value: "\(taskCount)", requirement: "must be at least 1")
            }
            let lowest = taskCount > 1 ? -1 / Double(taskCount - 1) : -1
            guard rho.isFinite, rho <= 1, rho >= -1, rho >= lowest - Self.tolerance else {
                throw .invalidParameter(name: "rho", value: "\(rho)",
                                        requirement: "must satisfy -1/(T-1) <= rho <= 1 and |rho| <= 1 for T = \(taskCount) tasks (lowest \(lowest))")
            }
            return (0..<taskCount).map { i in (0..<taskCount).map { j in i == j ? 1 : rho } }
        case let .matrix(rows):
            let count = rows.count
            func reject(_ requirement: String) -> DatasetError {
                .invalidParameter(name: "relatedness", value: "\(rows)", requirement: requirement)
            }
            guard count >= 1, rows.allSatisfy({ $0.count == count }) else { throw reject("must be a non-empty square matrix") }
            for i in 0..<count {
                guard abs(rows[i][i] - 1) <= Self.tolerance else { throw reject("diagonal entry [\(i)][\(i)] must be 1") }
                for j in 0..<count {
                    guard rows[i][j].isFinite, abs(rows[i][j]) <= 1 + Self.tolerance else {
                        throw reject("entry [\(i)][\(j)] must lie in [-1, 1]")
                    }
                    guard abs(rows[i][j] - rows[j][i]) <= Self.tolerance else { throw reject("must be symmetric") }
                }
            }
            return rows
        }
    }

    /// The lower-triangular L with L Lᵀ = the cosine matrix. Semidefinite matrices (e.g. rho = 1,
    /// or rho = -1/(T-1)) are handled by clamping pivots within `tolerance` of 0 to 0 and zeroing
    /// their column. Throws `invalidParameter` (naming `rho` or `relatedness`) if the matrix is
    /// not positive semidefinite.
    public func choleskyFactor() throws(DatasetError) -> [[Double]] {
        let cosines = try cosineMatrix()
        let count = cosines.count
        var factor = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
        for j in 0..<count {
            var pivot = cosines[j][j]
            for k in 0..<j { pivot -= factor[j][k] * factor[j][k] }
            if pivot < -Self.tolerance { throw notSemidefinite() }
            guard pivot > Self.tolerance else { continue }  // clamp to 0: column j stays zero
            let diagonal = pivot.squareRoot()
            factor[j][j] = diagonal
            for i in (j + 1)..<count {
                var value = cosines[i][j]
                for k in 0..<j { value -= factor[i][k] * factor[j][k] }
                factor[i][j] = value / diagonal
            }
        }
        // A zero pivot is consistent only if the rest of its column vanishes too: check L Lᵀ.
        for i in 0..<count {
            for j in 0...i {
                var product = 0.0
                for k in 0..<count { product += factor[i][k] * factor[j][k] }
                if abs(product - cosines[i][j]) > 1e-9 { throw notSemidefinite() }
            }
        }
        return factor
    }

    /// How far from exact a unit diagonal, symmetry, a bound or a zero pivot may be.
    static let tolerance = 1e-10

    private func notSemidefinite() -> DatasetError {
        switch self {
        case let .uniform(taskCount, rho):
            return .invalidParameter(name: "rho", value: "\(rho)", requirement: "the cosine matrix of \(taskCount) tasks is not positive semidefinite")
        case let .matrix(rows):
            return .invalidParameter(name: "relatedness", value: "\(rows)", requirement: "must be positive semidefinite")
        }
    }
}
