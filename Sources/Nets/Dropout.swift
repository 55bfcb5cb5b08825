import Linalg

/// Inverted dropout: while `maskSeed` is set, each element is zeroed with probability
/// `probability` and the kept ones are scaled by `1 / (1 - probability)`, so the expected
/// output equals the input; while `maskSeed` is nil (evaluation, probes, Hessian-vector
/// products) the layer is the identity.
///
/// The layer is stateless: the mask of element `(row, column)` is a pure hash of
/// `(maskSeed, row, column)`, so the backward and R-passes recompute exactly the mask the
/// forward pass used, and a run whose seed is a function of (run seed, step) draws the same
/// masks when resumed. Given a mask, the layer is linear: backward and R-passes multiply by it.
public struct Dropout: Layer {
    /// Features per example.
    public let width: Int
    /// Probability of zeroing an element, in [0, 1).
    public let probability: Double
    /// Seed of the current masks; nil switches dropout off.
    public var maskSeed: UInt64?
    public var parameterOffset: Int = 0

    public init(width: Int, probability: Double, maskSeed: UInt64? = nil) {
        precondition(width > 0, "Dropout needs a positive width")
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1) (got \(probability))")
        self.width = width
        self.probability = probability
        self.maskSeed = maskSeed
    }

    public var inputWidth: Int { width }
    public var outputWidth: Int { width }
    public var parameterShapes: [ParameterShape] { [] }
    public var description: String { "Dropout(\(width), p \(probability))" }

    public func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {}

    /// Whether element `(row, column)` is kept under `seed`: a SplitMix64-style hash of the
    /// three, whose top 53 bits as a fraction of 2^53 are compared with `probability`.
    public func keeps(row: Int, column: Int, seed: UInt64) -> Bool {
        var z = seed ^ (UInt64(truncatingIfNeeded: row) &* 0x9E37_79B9_7F4A_7C15)
        z = Self.mix(z) ^ (UInt64(truncatingIfNeeded: column) &* 0xC2B2_AE3D_27D4_EB4F)
        z = Self.mix(z)
        return Double(z >> 11) * 0x1.0p-53 >= probability
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The `rows x width` mask: `1 / (1 - probability)` where kept, 0 where dropped.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func mask<Scalar: BLASScalar>(rows: Int, seed: UInt64) -> Matrix<Scalar> {
        let scale = Scalar(1 / (1 - probability))
        var result = Matrix<Scalar>(rows: rows, columns: width)
        result.storage.withUnsafeMutableBufferPointer { m in
            for row in 0..<rows {
                for column in 0..<width where keeps(row: row, column: column, seed: seed) {
                    m[row * width + column] = scale
                }
            }
        }
        return result
    }

    /// `values ⊙ mask` with `m` blocks per row, or `values` when dropout is off.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func masked<Scalar: BLASScalar>(_ values: Matrix<Scalar>, multiplicity m: Int) -> Matrix<Scalar> {
        precondition(values.columns == m * width, "\(self): \(values.columns) columns, expected \(m * width)")
        guard let maskSeed, probability > 0 else { return values }
        return multiplyBlocks(values, by: mask(rows: values.rows, seed: maskSeed), multiplicity: m)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        masked(input, multiplicity: 1)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>? {
        needsInputGradient ? masked(upstream, multiplicity: multiplicity) : nil
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> {
        guard let inputR else { return Matrix(rows: input.rows, columns: width) }
        return masked(inputR, multiplicity: 1)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? {
        needsInputGradient ? (masked(upstream, multiplicity: 1), masked(upstreamR, multiplicity: 1)) : nil
    }
}
