import Datasets

/// Which multi-task dataset a run trains on, with its size and construction parameters.
/// Absent fields take the dataset's defaults. The data seed is separate from the run's seed,
/// so runs with different seeds differ in initialisation and batch order, not in their data.
public struct DatasetConfiguration: Codable, Sendable, Equatable {
    public enum Name: String, Codable, Sendable, CaseIterable {
        /// Two Fashion-MNIST items on one canvas, tasks `left` and `right`.
        case multifashion
        /// Synthetic regression with controlled task relatedness, tasks `t0`, `t1`, ...
        case synthetic
    }

    public var name: Name
    public var trainCount: Int?
    public var validationCount: Int?
    public var testCount: Int?
    /// Synthetic: pairwise cosine of the task directions.
    public var rho: Double?
    /// Synthetic: an explicit T x T relatedness matrix instead of one `rho`.
    public var relatedness: [[Double]]?
    /// Synthetic: number of tasks (default 2).
    public var taskCount: Int?
    /// Synthetic: input dimension (default 100).
    public var inputDimension: Int?
    /// Synthetic: standard deviation of the target noise (default 0.01).
    public var noise: Double?
    /// Seed of the data (pairing, ground truth, splits); default 0.
    public var seed: UInt64?
    /// MultiFashion: directory of the Fashion-MNIST IDX files (default: Debian's package).
    public var directory: String?

    public init(name: Name, trainCount: Int? = nil, validationCount: Int? = nil, testCount: Int? = nil,
                rho: Double? = nil, relatedness: [[Double]]? = nil, taskCount: Int? = nil,
                inputDimension: Int? = nil, noise: Double? = nil, seed: UInt64? = nil, directory: String? = nil) {
        self.name = name
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
        self.rho = rho
        self.relatedness = relatedness
        self.taskCount = taskCount
        self.inputDimension = inputDimension
        self.noise = noise
        self.seed = seed
        self.directory = directory
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, trainCount, validationCount, testCount, rho, relatedness, taskCount, inputDimension, noise, seed, directory
    }

    /// Decodes strictly: unknown fields are errors naming the field.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the dataset configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let nameText = try c.decodeIfPresent(String.self, forKey: .name) else {
            throw HyperparameterError(field: "name", message: "name is required (multifashion or synthetic)")
        }
        guard let name = Name(rawValue: nameText) else {
            throw HyperparameterError(field: "name", message: "name must be multifashion or synthetic (got \(nameText))")
        }
        self.init(name: name, trainCount: try c.decodeIfPresent(Int.self, forKey: .trainCount),
                  validationCount: try c.decodeIfPresent(Int.self, forKey: .validationCount),
                  testCount: try c.decodeIfPresent(Int.self, forKey: .testCount),
                  rho: try c.decodeIfPresent(Double.self, forKey: .rho),
                  relatedness: try c.decodeIfPresent([[Double]].self, forKey: .relatedness),
                  taskCount: try c.decodeIfPresent(Int.self, forKey: .taskCount),
                  inputDimension: try c.decodeIfPresent(Int.self, forKey: .inputDimension),
                  noise: try c.decodeIfPresent(Double.self, forKey: .noise),
                  seed: try c.decodeSeedIfPresent(forKey: .seed, field: "seed"),
                  directory: try c.decodeIfPresent(String.self, forKey: .directory))
    }

    /// Checks every field's range, naming the field at fault.
    public func validate() throws {
        for (value, field) in [(trainCount, "dataset.trainCount"), (validationCount, "dataset.validationCount"),
                               (testCount, "dataset.testCount"), (taskCount, "dataset.taskCount"),
                               (inputDimension, "dataset.inputDimension")] {
            if let value, value < 1 {
                throw HyperparameterError(field: field, message: "\(field) must be at least 1 (got \(value))")
            }
        }
        if let noise, !(noise >= 0 && noise.isFinite) {
            throw HyperparameterError(field: "dataset.noise", message: "dataset.noise must be a finite non-negative number (got \(noise))")
        }
        if name == .multifashion {
            for (present, field) in [(rho != nil, "rho"), (relatedness != nil, "relatedness"), (taskCount != nil, "taskCount"),
                                     (inputDimension != nil, "inputDimension"), (noise != nil, "noise")] where present {
                throw HyperparameterError(field: "dataset.\(field)", message: "dataset.\(field) applies to the synthetic dataset, not multifashion")
            }
        }
        if name == .synthetic, directory != nil {
            throw HyperparameterError(field: "dataset.directory", message: "dataset.directory applies to multifashion, not the synthetic dataset")
        }
        if name == .synthetic, rho != nil, relatedness != nil {
            throw HyperparameterError(field: "dataset.rho", message: "dataset.rho and dataset.relatedness exclude each other: give one")
        }
    }

    /// The configuration with the dataset's defaults (the `resolved...` values) written out.
    public func resolved() -> DatasetConfiguration {
        var c = self
        c.seed = resolvedSeed
        c.trainCount = resolvedTrainCount
        c.validationCount = resolvedValidationCount
        c.testCount = resolvedTestCount
        switch name {
        case .multifashion:
            c.directory = directory ?? FashionMNIST.configuredDirectory
        case .synthetic:
            c.rho = resolvedRho
            if relatedness == nil { c.taskCount = resolvedTaskCount }
            c.inputDimension = resolvedInputDimension
            c.noise = resolvedNoise
        }
        return c
    }

    /// Builds the dataset. Throws `DatasetError` (bad files, impossible relatedness).
    public func make() throws -> MultiTaskDataset {
        try validate()
        switch name {
        case .multifashion:
            let source = try FashionMNIST(directory: directory ?? FashionMNIST.configuredDirectory)
            return try MultiFashion(trainCount: resolvedTrainCount, validationCount: resolvedValidationCount,
                                    testCount: resolvedTestCount, seed: resolvedSeed).make(from: source)
        case .synthetic:
            let relatedness: TaskRelatedness = if let relatedness { .matrix(relatedness) }
                else { .uniform(taskCount: resolvedTaskCount, rho: resolvedRho ?? 0.5) }
            return try SyntheticRegression(
                relatedness: relatedness, inputDimension: resolvedInputDimension ?? 100,
                noiseStandardDeviation: resolvedNoise ?? 0.01, trainCount: resolvedTrainCount,
                validationCount: resolvedValidationCount, testCount: resolvedTestCount, seed: resolvedSeed).make()
        }
    }
}
