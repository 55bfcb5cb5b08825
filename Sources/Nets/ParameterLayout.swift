/// One named tensor inside a model's flat parameter buffer.
public struct ParameterView: Sendable, Equatable, Codable {
    /// PyTorch-style name, e.g. `trunk.0.weight` or `heads.left.0.bias`.
    public var name: String
    /// Index of the first scalar in the flat buffer.
    public var offset: Int
    /// Tensor shape, PyTorch layout (`[out, in]` for a Linear weight).
    public var shape: [Int]

    public init(name: String, offset: Int, shape: [Int]) {
        self.name = name
        self.offset = offset
        self.shape = shape
    }

    /// Number of scalars.
    public var count: Int { shape.reduce(1, *) }
    /// The index range in the flat buffer.
    public var range: Range<Int> { offset..<(offset + count) }
}

/// Where every parameter tensor lives in a model's single flat buffer.
///
/// The shared trunk comes first, so the shared parameters are the prefix `0..<sharedCount`:
/// a task gradient restricted to the shared parameters is a contiguous slice, and a Gramian
/// over the shared parameters is one GEMM.
public struct ParameterLayout: Sendable, Equatable, Codable {
    /// Tensors in storage order.
    public var views: [ParameterView]
    /// Total number of scalars.
    public var count: Int
    /// Number of scalars of the shared trunk (a prefix of the buffer).
    public var sharedCount: Int
    /// For each head, the index range of its parameters.
    public var headRanges: [Range<Int>]

    public init(views: [ParameterView], sharedCount: Int, headRanges: [Range<Int>]) {
        self.views = views
        self.count = views.last.map { $0.offset + $0.count } ?? 0
        self.sharedCount = sharedCount
        self.headRanges = headRanges
    }

    /// The view with the given name, if any.
    public func view(named name: String) -> ParameterView? {
        views.first { $0.name == name }
    }
}
