import Linalg

/// One task's head: its layers (applied to the trunk's output) and its loss.
public struct TaskHead: Sendable {
    /// The task's name, used in parameter names (`heads.<name>.0.weight`).
    public var name: String
    public var layers: [any Layer]
    public var loss: LossKind

    public init(name: String, layers: [any Layer], loss: LossKind) {
        self.name = name
        self.layers = layers
        self.loss = loss
    }

    /// Number of outputs (classes, or regression outputs).
    public var outputWidth: Int { layers.last!.outputWidth }
}

/// A shared trunk followed by one head per task; a single-task model is the same with one
/// head. All parameters live in ONE flat buffer (`parameters`), trunk first, then each head
/// in order, every tensor in PyTorch layout, as described by `layout`.
public struct MultiTaskModel<Scalar: BLASScalar>: Sendable {
    /// Trunk layers, applied in order to the input.
    public private(set) var trunk: [any Layer]
    /// One head per task, applied to the trunk's output.
    public private(set) var heads: [TaskHead]
    /// Where each tensor lives in `parameters`.
    public let layout: ParameterLayout
    /// The flat parameter buffer, `layout.count` scalars.
    public var parameters: [Scalar]

    /// A model with the given parameters (for example from a checkpoint).
    public init(trunk: [any Layer], heads: [TaskHead], parameters: [Scalar]) {
        precondition(!trunk.isEmpty, "a model needs at least one trunk layer")
        precondition(!heads.isEmpty, "a model needs at least one head")
        var trunk = trunk
        var heads = heads
        var views: [ParameterView] = []
        var offset = 0
        func place(_ layers: inout [any Layer], prefix: String) {
            for index in layers.indices {
                layers[index].parameterOffset = offset
                for shape in layers[index].parameterShapes {
                    views.append(ParameterView(name: "\(prefix).\(index).\(shape.name)", offset: offset, shape: shape.shape))
                    offset += shape.count
                }
            }
        }
        place(&trunk, prefix: "trunk")
        let sharedCount = offset
        var headRanges: [Range<Int>] = []
        for index in heads.indices {
            let start = offset
            place(&heads[index].layers, prefix: "heads.\(heads[index].name)")
            headRanges.append(start..<offset)
        }
        for (a, b) in zip(trunk, trunk.dropFirst()) {
            precondition(a.outputWidth == b.inputWidth, "\(a) feeds \(b): widths differ")
        }
        for head in heads {
            precondition(head.layers.first!.inputWidth == trunk.last!.outputWidth,
                         "head \(head.name) takes \(head.layers.first!.inputWidth) features, the trunk gives \(trunk.last!.outputWidth)")
        }
        self.trunk = trunk
        self.heads = heads
        self.layout = ParameterLayout(views: views, sharedCount: sharedCount, headRanges: headRanges)
        precondition(parameters.count == layout.count, "\(parameters.count) parameters given, the model has \(layout.count)")
        self.parameters = parameters
    }

    /// A freshly initialised model. The trunk draws from stream 0 of `seed` and head `i` from
    /// stream `1 + headStreams[i]` (default `i`), so a single-task model built with the
    /// stream of its task's index starts from the same trunk and head as the multi-task one.
    public init(trunk: [any Layer], heads: [TaskHead], seed: UInt64, headStreams: [Int]? = nil) {
        let count = (trunk + heads.flatMap(\.layers)).reduce(0) { $0 + $1.parameterCount }
        self.init(trunk: trunk, heads: heads, parameters: [Scalar](repeating: 0, count: count))
        let streams = headStreams ?? Array(heads.indices)
        precondition(streams.count == heads.count, "one head stream per head")
        let trunkLayers = self.trunk, headLayers = self.heads.map(\.layers)
        parameters.withUnsafeMutableBufferPointer { buffer in
            var generator = RandomGenerator(seed: seed, stream: 0)
            for layer in trunkLayers { layer.initialize(buffer, generator: &generator) }
            for (layers, stream) in zip(headLayers, streams) {
                var headGenerator = RandomGenerator(seed: seed, stream: UInt64(1 + stream))
                for layer in layers { layer.initialize(buffer, generator: &headGenerator) }
            }
        }
    }

    /// A multilayer perceptron trunk (`Linear, activation` per width) with a Linear head per task.
    public static func multilayerPerceptron(
        inputWidth: Int, trunkWidths: [Int], activation: Activation = .relu,
        heads: [(name: String, outputs: Int, loss: LossKind)], seed: UInt64, headStreams: [Int]? = nil
    ) -> MultiTaskModel {
        precondition(!trunkWidths.isEmpty, "the trunk needs at least one hidden width")
        var trunk: [any Layer] = []
        var width = inputWidth
        for next in trunkWidths {
            trunk.append(Linear(inputWidth: width, outputWidth: next))
            trunk.append(activation.layer(width: next))
            width = next
        }
        let taskHeads = heads.map {
            TaskHead(name: $0.name, layers: [Linear(inputWidth: width, outputWidth: $0.outputs)], loss: $0.loss)
        }
        return MultiTaskModel(trunk: trunk, heads: taskHeads, seed: seed, headStreams: headStreams)
    }

    /// Sets the mask seed of every `Dropout` layer, trunk and heads (nil: dropout off, the
    /// layers become the identity). Models without dropout are unchanged.
    public mutating func setDropoutSeed(_ seed: UInt64?) {
        func update(_ layers: inout [any Layer]) {
            for index in layers.indices {
                guard var dropout = layers[index] as? Dropout else { continue }
                dropout.maskSeed = seed
                layers[index] = dropout
            }
        }
        update(&trunk)
        for index in heads.indices { update(&heads[index].layers) }
    }

    /// Whether some layer is a `Dropout`.
    public var hasDropout: Bool { (trunk + heads.flatMap(\.layers)).contains { $0 is Dropout } }

    /// Number of tasks (heads).
    public var taskCount: Int { heads.count }
    /// Width of one input example.
    public var inputWidth: Int { trunk.first!.inputWidth }

    /// The same model in another precision.
    public func converted<Other: BLASScalar>(to: Other.Type = Other.self) -> MultiTaskModel<Other> {
        MultiTaskModel<Other>(trunk: trunk, heads: heads, parameters: parameters.map { Other($0) })
    }
}
