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
        /// Fashion-MNIST seen through several domains (`domains`), one task per domain.
        case multidomain
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
    /// MultiFashion and multidomain: directory of the Fashion-MNIST IDX files (default: Debian's package).
    public var directory: String?
    /// Multidomain: the domains, one task each, in task order (default: all five,
    /// `DomainTransform.allNames`). Counts of a multidomain dataset are per domain.
    public var domains: [DomainTransform]?

    public init(name: Name, trainCount: Int? = nil, validationCount: Int? = nil, testCount: Int? = nil,
                rho: Double? = nil, relatedness: [[Double]]? = nil, taskCount: Int? = nil,
                inputDimension: Int? = nil, noise: Double? = nil, seed: UInt64? = nil, directory: String? = nil,
                domains: [DomainTransform]? = nil) {
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
        self.domains = domains
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, trainCount, validationCount, testCount, rho, relatedness, taskCount, inputDimension, noise, seed, directory, domains
    }

    /// Decodes strictly: unknown fields are errors naming the field.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the dataset configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let nameText = try c.decodeIfPresent(String.self, forKey: .name) else {
            throw HyperparameterError(field: "name", message: "name is required (multifashion, synthetic or multidomain)")
        }
        guard let name = Name(rawValue: nameText) else {
            throw HyperparameterError(field: "name", message: "name must be multifashion, synthetic or multidomain (got \(nameText))")
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
                  directory: try c.decodeIfPresent(String.self, forKey: .directory),
                  domains: try c.decodeIfPresent([String].self, forKey: .domains).map(Self.domains(named:)))
    }

    /// The domains called `names`; an unknown name is an error naming `domains`.
    static func domains(named names: [String]) throws -> [DomainTransform] {
        try names.map { name in
            guard let domain = DomainTransform(rawValue: name) else {
                throw HyperparameterError(
                    field: "domains",
                    message: "domains: '\(name)' is not a domain (domains: \(DomainTransform.allNames.joined(separator: ", ")))")
            }
            return domain
        }
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
        if name != .synthetic {
            for (present, field) in [(rho != nil, "rho"), (relatedness != nil, "relatedness"), (taskCount != nil, "taskCount"),
                                     (inputDimension != nil, "inputDimension"), (noise != nil, "noise")] where present {
                throw HyperparameterError(field: "dataset.\(field)", message: "dataset.\(field) applies to the synthetic dataset, not \(name.rawValue)")
            }
        }
        if name == .synthetic, directory != nil {
            throw HyperparameterError(field: "dataset.directory", message: "dataset.directory applies to multifashion, not the synthetic dataset")
        }
        if let domains {
            guard name == .multidomain else {
                throw HyperparameterError(field: "dataset.domains", message: "dataset.domains applies to multidomain, not \(name.rawValue)")
            }
            guard !domains.isEmpty, Set(domains).count == domains.count else {
                throw HyperparameterError(field: "dataset.domains",
                                          message: "dataset.domains must name one or more different domains (got \(domains.map(\.rawValue)))")
            }
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
        case .multidomain:
            c.directory = directory ?? FashionMNIST.configuredDirectory
            c.domains = resolvedDomains
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
        case .multidomain:
            let source = try FashionMNIST(directory: directory ?? FashionMNIST.configuredDirectory)
            return try MultiDomainFashion(domains: resolvedDomains, trainCount: resolvedTrainCount,
                                          validationCount: resolvedValidationCount, testCount: resolvedTestCount,
                                          seed: resolvedSeed).make(from: source)
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
