import Linalg

/// Hands out the example indices of successive minibatches, epoch after epoch.
///
/// Epoch e visits the examples in the order of a permutation drawn from
/// `RandomGenerator(seed: seed, stream: UInt64(e))`, so the order depends only on (seed, epoch):
/// two runs with the same seed (say an ST run and an MT run) see the same batches in the same
/// order, whatever else they draw. The cursor (`epoch`, `position`) is the whole state, so a
/// checkpoint that saves it (or the sampler itself, which is Codable) resumes exactly.
///
/// With `dropLast` each epoch gives `exampleCount / batchSize` full batches and skips the
/// remaining examples of its permutation; without it the last batch of an epoch may be smaller.
public struct MinibatchSampler: Codable, Sendable, Equatable {
    /// The number N of examples; indices are in 0..<N.
    public let exampleCount: Int
    /// The number of indices in a (full) batch.
    public let batchSize: Int
    /// The seed of every epoch's permutation.
    public let seed: UInt64
    /// Whether an epoch's last, incomplete batch is skipped.
    public let dropLast: Bool
    /// The epoch the next batch comes from (0 for the first).
    public private(set) var epoch: Int
    /// Where the next batch starts in its epoch's permutation (the data cursor).
    public private(set) var position: Int

    /// The permutation of `orderEpoch`, cached; not part of the state.
    private var order: [Int] = []
    private var orderEpoch = -1

    /// A sampler at the start of epoch 0. Needs `batchSize >= 1`, and `exampleCount >= batchSize`
    /// if `dropLast` (otherwise no batch would ever be full), `exampleCount >= 1` otherwise.
    public init(exampleCount: Int, batchSize: Int, seed: UInt64, dropLast: Bool = true) {
        self.init(exampleCount: exampleCount, batchSize: batchSize, seed: seed, dropLast: dropLast, epoch: 0, position: 0)
    }

    /// A sampler restored at a saved cursor: the next batch starts at `position` in the
    /// permutation of `epoch`. A position at or past the epoch's last batch means the next epoch.
    public init(exampleCount: Int, batchSize: Int, seed: UInt64, dropLast: Bool = true, epoch: Int, position: Int) {
        if let problem = Self.problem(exampleCount: exampleCount, batchSize: batchSize, dropLast: dropLast,
                                      epoch: epoch, position: position) {
            preconditionFailure(problem)
        }
        self.exampleCount = exampleCount
        self.batchSize = batchSize
        self.seed = seed
        self.dropLast = dropLast
        self.epoch = epoch
        self.position = position
        rollOverIfEpochDone()
    }

    /// Why these parameters and cursor are invalid, or nil if they are valid.
    private static func problem(exampleCount: Int, batchSize: Int, dropLast: Bool, epoch: Int, position: Int) -> String? {
        if batchSize < 1 { return "batchSize must be at least 1, not \(batchSize)" }
        if exampleCount < (dropLast ? batchSize : 1) {
            return "\(exampleCount) examples cannot fill a batch of \(batchSize)"
        }
        if epoch < 0 || position < 0 || position > exampleCount {
            return "cursor epoch \(epoch), position \(position) is outside epoch >= 0, 0...\(exampleCount)"
        }
        return nil
    }

    /// The number of batches in one epoch.
    public var batchesPerEpoch: Int {
        dropLast ? exampleCount / batchSize : (exampleCount + batchSize - 1) / batchSize
    }

    /// The indices of the next minibatch (`batchSize` of them, fewer only for the last batch of
    /// an epoch without `dropLast`), advancing the cursor.
    public mutating func next() -> [Int] {
        if orderEpoch != epoch {
            var generator = RandomGenerator(seed: seed, stream: UInt64(epoch))
            order = generator.permutation(exampleCount)
            orderEpoch = epoch
        }
        let end = min(position + batchSize, exampleCount)
        let batch = Array(order[position..<end])
        position = end
        rollOverIfEpochDone()
        return batch
    }

    /// The number of examples an epoch uses: all, or the full batches only with `dropLast`.
    private var usedPerEpoch: Int { dropLast ? batchesPerEpoch * batchSize : exampleCount }

    private mutating func rollOverIfEpochDone() {
        if position >= usedPerEpoch {
            epoch += 1
            position = 0
        }
    }

    private enum CodingKeys: String, CodingKey {
        case exampleCount, batchSize, seed, dropLast, epoch, position
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let exampleCount = try container.decode(Int.self, forKey: .exampleCount)
        let batchSize = try container.decode(Int.self, forKey: .batchSize)
        let dropLast = try container.decode(Bool.self, forKey: .dropLast)
        let epoch = try container.decode(Int.self, forKey: .epoch)
        let position = try container.decode(Int.self, forKey: .position)
        if let problem = Self.problem(exampleCount: exampleCount, batchSize: batchSize, dropLast: dropLast,
                                      epoch: epoch, position: position) {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem))
        }
        self.init(exampleCount: exampleCount, batchSize: batchSize,
                  seed: try container.decode(UInt64.self, forKey: .seed),
                  dropLast: dropLast, epoch: epoch, position: position)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(exampleCount, forKey: .exampleCount)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(seed, forKey: .seed)
        try container.encode(dropLast, forKey: .dropLast)
        try container.encode(epoch, forKey: .epoch)
        try container.encode(position, forKey: .position)
    }

    /// Samplers are equal when their parameters and cursors are (the cache does not count).
    public static func == (a: MinibatchSampler, b: MinibatchSampler) -> Bool {
        a.exampleCount == b.exampleCount && a.batchSize == b.batchSize && a.seed == b.seed
            && a.dropLast == b.dropLast && a.epoch == b.epoch && a.position == b.position
    }
}
