import Datasets

/// The values a `DatasetConfiguration` resolves to when a field is absent: the dataset's
/// defaults. `make()` builds from these, and tools that describe a run without building its
/// data (e.g. `tasktrace inspect`) report them.
extension DatasetConfiguration {
    /// Training examples: `trainCount`, else 50000 (multifashion), 10000 per domain
    /// (multidomain) or 2000 (synthetic).
    public var resolvedTrainCount: Int {
        trainCount ?? [.multifashion: 50_000, .multidomain: MultiDomainFashion.defaultCounts.train][name] ?? 2000
    }
    /// Validation examples: `validationCount`, else 10000 (multifashion), 2000 per domain
    /// (multidomain) or 1000 (synthetic).
    public var resolvedValidationCount: Int {
        validationCount ?? [.multifashion: 10_000, .multidomain: MultiDomainFashion.defaultCounts.validation][name] ?? 1000
    }
    /// Test examples: `testCount`, else 10000 (multifashion), 2000 per domain (multidomain)
    /// or 1000 (synthetic).
    public var resolvedTestCount: Int {
        testCount ?? [.multifashion: 10_000, .multidomain: MultiDomainFashion.defaultCounts.test][name] ?? 1000
    }
    /// Multidomain: `domains`, else all five in `DomainTransform`'s order. Empty for the others.
    public var resolvedDomains: [DomainTransform] {
        name == .multidomain ? domains ?? DomainTransform.allCases : []
    }
    /// Seed of the data: `seed`, else 0.
    public var resolvedSeed: UInt64 { seed ?? 0 }
    /// Number of tasks: 2 for multifashion (left, right); one per domain for multidomain;
    /// for synthetic the rows of `relatedness`, else `taskCount`, else 2.
    public var resolvedTaskCount: Int {
        if name == .multidomain { return resolvedDomains.count }
        guard name == .synthetic else { return 2 }
        return relatedness?.count ?? taskCount ?? 2
    }
    /// Synthetic: the pairwise relatedness (cosine) of the task directions when no explicit
    /// `relatedness` matrix is given: `rho`, else 0.5. Nil for multifashion or a matrix.
    public var resolvedRho: Double? {
        guard name == .synthetic, relatedness == nil else { return nil }
        return rho ?? 0.5
    }
    /// Synthetic: input dimension, `inputDimension` else 100. Nil for multifashion.
    public var resolvedInputDimension: Int? { name == .synthetic ? inputDimension ?? 100 : nil }
    /// Synthetic: standard deviation of the target noise, `noise` else 0.01. Nil for multifashion.
    public var resolvedNoise: Double? { name == .synthetic ? noise ?? 0.01 : nil }
    /// Shape of one input example: `[1, 28, 28]` for multifashion, `[inputDimension]` for synthetic.
    public var resolvedInputShape: [Int] {
        name == .multifashion ? [1, MultiFashion.outputSide, MultiFashion.outputSide] : [resolvedInputDimension ?? 100]
    }
}
