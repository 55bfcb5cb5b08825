import RealModule

/// A seedable, reproducible random number generator: xoshiro256** (Blackman and Vigna, 2018)
/// seeded through SplitMix64. The same seed gives the same stream on every run and platform;
/// the state is four words, so a checkpoint can store and restore it exactly.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// The four state words.
    public var state: [UInt64]

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        var mix = seed
        state = (0..<4).map { _ in RandomGenerator.splitMix(&mix) }
    }

    /// A generator restored from a saved `state`.
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "xoshiro256** needs four words, not all zero")
        self.state = state
    }

    /// An independent stream derived from `seed` and a `stream` label (e.g. an epoch number or
    /// a purpose), so that separate consumers do not share draws.
    public init(seed: UInt64, stream: UInt64) {
        var mix = seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)
        let derived = RandomGenerator.splitMix(&mix) ^ stream
        self.init(seed: derived)
    }

    private static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = RandomGenerator.rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = RandomGenerator.rotl(state[3], 45)
        return result
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform value in [low, high).
    public mutating func uniform<Scalar: BinaryFloatingPoint>(_ low: Scalar, _ high: Scalar) -> Scalar {
        low + (high - low) * Scalar(uniform())
    }

    /// A standard normal draw by the Box–Muller transform (one draw per call; no cached pair,
    /// so the state alone determines the stream).
    public mutating func normal() -> Double {
        var u1 = uniform()
        while u1 <= 0 { u1 = uniform() }
        let u2 = uniform()
        return Double.sqrt(-2 * Double.log(u1)) * Double.cos(2 * Double.pi * u2)
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// A uniform integer in 0..<bound, without modulo bias (Lemire's method).
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var result = Array(0..<count)
        if count < 2 { return result }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = integer(below: i + 1)
            result.swapAt(i, j)
        }
        return result
    }
}
