/// A dense row-major matrix: `rows x columns` scalars, element (i, j) at `storage[i * columns + j]`.
///
/// A batch of examples is a matrix with one example per row; a layer weight is a matrix
/// stored `[out, in]` like PyTorch's `nn.Linear`.
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    public var rows: Int
    public var columns: Int
    /// The elements, row after row; `count == rows * columns`.
    public var storage: [Scalar]

    /// A `rows x columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Scalar](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major storage.
    public init(rows: Int, columns: Int, storage: [Scalar]) {
        precondition(storage.count == rows * columns,
                     "storage holds \(storage.count) scalars, a \(rows)x\(columns) matrix needs \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A `rows x columns` matrix whose elements the caller writes: `fill` gets the storage
    /// uninitialized, and every element must be written (by `fill` or, for a BLAS output written
    /// with beta 0, right after) before it is read. Skips the zero fill of outputs that a
    /// computation overwrites entirely.
    public init(rows: Int, columns: Int, uninitializedFill fill: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Scalar](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            fill(buffer)
            initialized = rows * columns
        }
    }

    /// A matrix from an array of rows of equal length.
    public init(_ rowArrays: [[Scalar]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows differ in length")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    public var count: Int { storage.count }

    public subscript(row: Int, column: Int) -> Scalar {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Scalar] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { result.storage[j * rows + i] = storage[i * columns + j] }
        }
        return result
    }

    /// The same values in another precision.
    public func converted<Other: BLASScalar>(to: Other.Type = Other.self) -> Matrix<Other> {
        Matrix<Other>(rows: rows, columns: columns, storage: storage.map { Other($0) })
    }

    /// The rows in `range`, as a new matrix.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns,
               storage: Array(storage[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// The rows at the given indices, in that order (a minibatch gathered from a dataset).
    @_specialize(where Scalar == Float, C == [Int]) @_specialize(where Scalar == Double, C == [Int])
    public func gatherRows<C: Collection<Int>>(_ indices: C) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        result.storage.withUnsafeMutableBufferPointer { out in
            storage.withUnsafeBufferPointer { source in
                var offset = 0
                for index in indices {
                    precondition(index >= 0 && index < rows, "row \(index) out of 0..<\(rows)")
                    out.baseAddress!.advanced(by: offset)
                        .update(from: source.baseAddress!.advanced(by: index * columns), count: columns)
                    offset += columns
                }
            }
        }
        return result
    }
}
