/// Everything a `RecordWriter` creates up front: root and group attributes and every dataset.
///
/// HDF5 cannot create objects or attributes once a file is in SWMR-write mode, so a record's
/// complete structure is described here and created before writing starts. Groups are
/// created for every dataset's parent path and every key of `groupAttributes`.
public struct RecordLayout: Sendable, Hashable {
    /// Attributes of the root group `/` (the writer adds `status` = "running" itself).
    public var rootAttributes: [String: AttributeValue]
    /// Attributes of other groups, keyed by absolute group path (e.g. `/tasks`).
    public var groupAttributes: [String: [String: AttributeValue]]
    /// Every dataset, appendable or fixed.
    public var datasets: [DatasetSpec]

    public init(rootAttributes: [String: AttributeValue] = [:],
                groupAttributes: [String: [String: AttributeValue]] = [:],
                datasets: [DatasetSpec] = []) {
        self.rootAttributes = rootAttributes
        self.groupAttributes = groupAttributes
        self.datasets = datasets
    }

    /// The dataset at `path`, if the layout has one.
    public func dataset(_ path: String) -> DatasetSpec? {
        datasets.first { $0.path == path }
    }

    /// Paths of the appendable datasets, in layout order.
    public var appendablePaths: [String] { datasets.filter(\.isAppendable).map(\.path) }

    /// Paths of the fixed datasets, in layout order.
    public var fixedPaths: [String] { datasets.filter { !$0.isAppendable }.map(\.path) }

    /// Every group the layout needs except `/`, parents before children, sorted.
    public var groupPaths: [String] {
        var groups = Set<String>()
        for spec in datasets { groups.formUnion(RecordPath.ancestors(spec.path)) }
        for key in groupAttributes.keys where key != "/" {
            groups.formUnion(RecordPath.ancestors(key))
            groups.insert(RecordPath.normalized(key))
        }
        return groups.sorted { lhs, rhs in
            let l = RecordPath.components(lhs).count, r = RecordPath.components(rhs).count
            return l != r ? l < r : lhs < rhs
        }
    }

    /// Throws `RecordError.invalidLayout` naming the first inconsistency found.
    func validate(file: String) throws {
        func fail(_ reason: String) -> RecordError { .invalidLayout(file: file, reason: reason) }
        var seen = Set<String>()
        for spec in datasets {
            guard RecordPath.isValid(spec.path), spec.path != "/" else {
                throw fail("dataset path \"\(spec.path)\" is not an absolute path like /group/name")
            }
            guard seen.insert(spec.path).inserted else { throw fail("dataset \(spec.path) appears twice") }
            guard spec.shape.allSatisfy({ $0 > 0 }) else {
                throw fail("dataset \(spec.path) has shape \(spec.shape); every extent must be positive")
            }
            switch spec.storage {
            case .appendable(let chunkRows, let gzip):
                if let chunkRows, chunkRows < 1 { throw fail("dataset \(spec.path) has chunkRows \(chunkRows)") }
                if let gzip, !(0...9).contains(gzip) { throw fail("dataset \(spec.path) has gzip level \(gzip), not 0...9") }
            case .fixed:
                break
            }
        }
        let groups = Set(groupPaths)
        for spec in datasets where groups.contains(spec.path) {
            throw fail("\(spec.path) is both a dataset and a group")
        }
        for key in groupAttributes.keys where !RecordPath.isValid(key) {
            throw fail("group path \"\(key)\" is not an absolute path")
        }
    }
}
