import Datasets

extension DatasetConfiguration {
    /// The dataset's task names in head order, known without building the data:
    /// multifashion `left`, `right`; multidomain the domain names (`resolvedDomains`); synthetic `t0` ... `t{T-1}`, T = `resolvedTaskCount`
    /// (the rows of `relatedness`, else `taskCount`, else 2).
    public var taskNames: [String] {
        switch name {
        case .multifashion: MultiFashion.tasks.map(\.name)
        case .synthetic: (0..<resolvedTaskCount).map { "t\($0)" }
        case .multidomain: resolvedDomains.map(\.rawValue)
        }
    }
}
