import Linalg
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The synthetic regression benchmark of MMoE (Ma et al., KDD 2018), with T tasks of
/// controlled relatedness.
///
/// Ground truth: orthonormal vectors u_1..u_T in R^d (Gram–Schmidt of Gaussian vectors), L the
/// Cholesky factor of the T x T cosine matrix (`TaskRelatedness`), and task directions
/// w_t = c * sum_k L[t,k] u_k, so |w_t| = c and cos(w_i, w_j) is exactly the matrix entry
/// (rho for `.uniform`). Frequencies alpha_i and phases beta_i (i = 1...m) are N(0, 1) draws
/// shared by all tasks.
///
/// Examples: x ~ N(0, I_d), stored as Float; y_t = w_t.x + sum_i sin(alpha_i w_t.x + beta_i)
/// + eps_t, computed in Double from the stored x, with independent eps_t ~ N(0, sigma^2).
/// Tasks "t0", "t1", ...: regression with one output, targets N x 1. Input shape [d].
/// Everything is fixed by `seed`; the ground truth and each split draw from their own streams.
public struct SyntheticRegression: Codable, Sendable, Equatable {
    /// The tasks and the cosines between their directions.
    public var relatedness: TaskRelatedness
    /// The input dimension d.
    public var inputDimension: Int
    /// The number m of sine terms.
    public var sineCount: Int
    /// The norm c of every task direction.
    public var scale: Double
    /// The standard deviation sigma of the label noise.
    public var noiseStandardDeviation: Double
    /// The number of training examples.
    public var trainCount: Int
    /// The number of validation examples.
    public var validationCount: Int
    /// The number of test examples.
    public var testCount: Int
    /// The seed of the ground truth and the examples.
    public var seed: UInt64

    /// `taskCount` tasks whose directions have pairwise cosine `rho`.
    public init(taskCount: Int = 2, rho: Double, inputDimension: Int = 100, sineCount: Int = 10,
                scale: Double = 1, noiseStandardDeviation: Double = 0.01,
                trainCount: Int = 2000, validationCount: Int = 1000, testCount: Int = 1000, seed: UInt64 = 0) {
        self.init(relatedness: .uniform(taskCount: taskCount, rho: rho), inputDimension: inputDimension,
                  sineCount: sineCount, scale: scale, noiseStandardDeviation: noiseStandardDeviation,
                  trainCount: trainCount, validationCount: validationCount, testCount: testCount, seed: seed)
    }

    /// Tasks whose direction cosines are given by `relatedness` (symmetric, unit diagonal,
    /// positive semidefinite; T = its size).
    public init(relatedness: [[Double]], inputDimension: Int = 100, sineCount: Int = 10,
                scale: Double = 1, noiseStandardDeviation: Double = 0.01,
                trainCount: Int = 2000, validationCount: Int = 1000, testCount: Int = 1000, seed: UInt64 = 0) {
        self.init(relatedness: .matrix(relatedness), inputDimension: inputDimension,
                  sineCount: sineCount, scale: scale, noiseStandardDeviation: noiseStandardDeviation,
                  trainCount: trainCount, validationCount: validationCount, testCount: testCount, seed: seed)
    }

    public init(relatedness: TaskRelatedness, inputDimension: Int = 100, sineCount: Int = 10,
                scale: Double = 1, noiseStandardDeviation: Double = 0.01,
                trainCount: Int = 2000, validationCount: Int = 1000, testCount: Int = 1000, seed: UInt64 = 0) {
        self.relatedness = relatedness
        self.inputDimension = inputDimension
        self.sineCount = sineCount
        self.scale = scale
        self.noiseStandardDeviation = noiseStandardDeviation
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
        self.seed = seed
    }

    /// The number of tasks T.
    public var taskCount: Int { relatedness.taskCount }

    /// The tasks "t0", "t1", ..., regression with one output each.
    public var tasks: [TaskInfo] {
        (0..<taskCount).map { TaskInfo(name: "t\($0)", kind: .regression, outputCount: 1) }
    }

    /// The function every example's targets come from.
    public struct GroundTruth: Sendable, Equatable {
        /// The task directions w_t, T vectors of d values.
        public var directions: [[Double]]
        /// The frequencies alpha_i, m values.
        public var frequencies: [Double]
        /// The phases beta_i, m values.
        public var phases: [Double]

        /// w_t.x + sum_i sin(alpha_i w_t.x + beta_i) for task `task` at `input` (d values).
        public func noiselessTarget(task: Int, input: [Double]) -> Double {
            let direction = directions[task]
            precondition(input.count == direction.count, "input has \(input.count) values, d = \(direction.count)")
            var projection = 0.0
            for i in 0..<input.count { projection += direction[i] * input[i] }
            var target = projection
            for i in 0..<frequencies.count { target += sin(frequencies[i] * projection + phases[i]) }
            return target
        }
    }

    /// The ground truth for these parameters. Throws `invalidParameter` naming the parameter
    /// that is invalid (rho, relatedness, taskCount, inputDimension, sineCount, scale,
    /// noiseStandardDeviation, or a count).
    public func groundTruth() throws(DatasetError) -> GroundTruth {
        try validate()
        let factor = try relatedness.choleskyFactor()
        let count = taskCount, d = inputDimension
        var generator = RandomGenerator(seed: seed, stream: Self.streamTag | 0)
        var basis = (0..<count).map { _ in (0..<d).map { _ in generator.normal() } }
        // Modified Gram–Schmidt, applied twice so the vectors are orthonormal to rounding.
        for _ in 0..<2 {
            for k in 0..<count {
                for j in 0..<k {
                    let overlap = zip(basis[k], basis[j]).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in 0..<d { basis[k][i] -= overlap * basis[j][i] }
                }
                let length = basis[k].reduce(0) { $0 + $1 * $1 }.squareRoot()
                basis[k] = basis[k].map { $0 / length }
            }
        }
        let directions = (0..<count).map { t in
            (0..<d).map { i in scale * (0..<count).reduce(0.0) { $0 + factor[t][$1] * basis[$1][i] } }
        }
        let frequencies = (0..<sineCount).map { _ in generator.normal() }
        let phases = (0..<sineCount).map { _ in generator.normal() }
        return GroundTruth(directions: directions, frequencies: frequencies, phases: phases)
    }

    /// Builds the dataset; throws like `groundTruth()`.
    public func make() throws(DatasetError) -> MultiTaskDataset {
        let truth = try groundTruth()
        return MultiTaskDataset(
            name: "synthetic-regression", tasks: tasks, inputShape: [inputDimension],
            train: split(trainCount, truth: truth, stream: Self.streamTag | 1),
            validation: split(validationCount, truth: truth, stream: Self.streamTag | 2),
            test: split(testCount, truth: truth, stream: Self.streamTag | 3))
    }

    /// Marks this benchmark's random streams ("SYNR") apart from other users of the same seed.
    private static let streamTag: UInt64 = 0x5359_4E52_0000_0000

    private func split(_ count: Int, truth: GroundTruth, stream: UInt64) -> DataSplit {
        var generator = RandomGenerator(seed: seed, stream: stream)
        var inputs = Matrix<Float>(rows: count, columns: inputDimension)
        var targets = [Matrix<Float>](repeating: Matrix(rows: count, columns: 1), count: taskCount)
        for example in 0..<count {
            var input = [Double](repeating: 0, count: inputDimension)
            for i in 0..<inputDimension {
                let value = Float(generator.normal())
                inputs[example, i] = value
                input[i] = Double(value)
            }
            for task in 0..<taskCount {
                let noise = noiseStandardDeviation * generator.normal()
                targets[task][example, 0] = Float(truth.noiselessTarget(task: task, input: input) + noise)
            }
        }
        return DataSplit(inputs: inputs, targets: targets)
    }

    private func validate() throws(DatasetError) {
        func require(_ condition: Bool, _ name: String, _ value: String, _ requirement: String) throws(DatasetError) {
            if !condition { throw .invalidParameter(name: name, value: value, requirement: requirement) }
        }
        try require(inputDimension >= taskCount, "inputDimension", "\(inputDimension)",
                    "must be at least the number of tasks (\(taskCount)) to hold orthonormal task vectors")
        try require(sineCount >= 0, "sineCount", "\(sineCount)", "must be non-negative")
        try require(scale.isFinite && scale > 0, "scale", "\(scale)", "must be positive")
        try require(noiseStandardDeviation.isFinite && noiseStandardDeviation >= 0,
                    "noiseStandardDeviation", "\(noiseStandardDeviation)", "must be non-negative")
        try require(trainCount >= 1, "trainCount", "\(trainCount)", "must be at least 1")
        try require(validationCount >= 0, "validationCount", "\(validationCount)", "must be non-negative")
        try require(testCount >= 0, "testCount", "\(testCount)", "must be non-negative")
    }
}
