/// BLAS level-1 operations on flat vectors (parameter buffers, gradients, directions).

/// x . y, computed by BLAS dot.
public func dot<Scalar: BLASScalar>(_ x: [Scalar], _ y: [Scalar]) -> Scalar {
    precondition(x.count == y.count, "dot of vectors of lengths \(x.count) and \(y.count)")
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { px in
        y.withUnsafeBufferPointer { py in Scalar.dot(x.count, px.baseAddress!, 1, py.baseAddress!, 1) }
    }
}

/// x . y accumulated in Double, for reductions that decide results (cosines, Gramians).
public func preciseDot<Scalar: BLASScalar>(_ x: UnsafeBufferPointer<Scalar>, _ y: UnsafeBufferPointer<Scalar>) -> Double {
    precondition(x.count == y.count, "dot of vectors of lengths \(x.count) and \(y.count)")
    if x.isEmpty { return 0 }
    return Scalar.preciseDot(x.count, x.baseAddress!, 1, y.baseAddress!, 1)
}

/// y += alpha * x, by BLAS axpy.
public func axpy<Scalar: BLASScalar>(_ alpha: Scalar, _ x: [Scalar], _ y: inout [Scalar]) {
    precondition(x.count == y.count, "axpy of vectors of lengths \(x.count) and \(y.count)")
    if x.isEmpty { return }
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in Scalar.axpy(x.count, alpha, px.baseAddress!, 1, py.baseAddress!, 1) }
    }
}

/// The Euclidean norm |x|, by BLAS nrm2.
public func norm<Scalar: BLASScalar>(_ x: [Scalar]) -> Scalar {
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { Scalar.nrm2(x.count, $0.baseAddress!, 1) }
}

/// x *= alpha, by BLAS scal.
public func scale<Scalar: BLASScalar>(_ x: inout [Scalar], by alpha: Scalar) {
    if x.isEmpty { return }
    let n = x.count
    x.withUnsafeMutableBufferPointer { Scalar.scal(n, alpha, $0.baseAddress!, 1) }
}


/// The Euclidean distance |x - y| in one pass over both vectors: SIMD lanes of `Scalar`
/// within blocks of 1024 elements, Double across blocks.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func distance<Scalar: BLASScalar>(_ x: [Scalar], _ y: [Scalar]) -> Double {
    precondition(x.count == y.count, "distance between vectors of lengths \(x.count) and \(y.count)")
    return x.withUnsafeBufferPointer { px in
        y.withUnsafeBufferPointer { py in
            var total = 0.0
            var start = 0
            while start < px.count {
                let end = min(px.count, start + 1024)
                var lanes = SIMD8<Scalar>()
                var k = start
                while k + 8 <= end {
                    let d = UnsafeRawPointer(px.baseAddress! + k).loadUnaligned(as: SIMD8<Scalar>.self)
                        - UnsafeRawPointer(py.baseAddress! + k).loadUnaligned(as: SIMD8<Scalar>.self)
                    lanes += d * d
                    k += 8
                }
                var block = lanes.sum()
                while k < end {
                    let d = px[k] - py[k]
                    block += d * d
                    k += 1
                }
                total += Double(block)
                start = end
            }
            return total.squareRoot()
        }
    }
}
