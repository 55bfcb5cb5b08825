import Linalg

/// Runs the given GEMM shapes back to back through plain sgemm on random data: the rate
/// the training step's GEMMs would reach with nothing else around them. Returns the wall
/// time in seconds of each timed run of all shapes.
func bareGemmSeconds(_ shapes: [GemmShape]) -> [Double] {
    var generator = RandomGenerator(seed: 1)
    let buffers = shapes.map { shape -> ([Float], [Float], [Float]) in
        (( 0..<(shape.m * shape.k)).map { _ in Float(generator.normal()) },
         (0..<(shape.k * shape.n)).map { _ in Float(generator.normal()) },
         [Float](repeating: 0, count: shape.m * shape.n))
    }
    var outputs = buffers.map(\.2)
    return timedSeconds(budget: 1.5) {
        for (index, shape) in shapes.enumerated() {
            buffers[index].0.withUnsafeBufferPointer { a in
                buffers[index].1.withUnsafeBufferPointer { b in
                    outputs[index].withUnsafeMutableBufferPointer { c in
                        Float.gemm(transposeA: shape.transposeA, transposeB: shape.transposeB,
                                   m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                                   a: a.baseAddress!, lda: shape.transposeA ? shape.m : shape.k,
                                   b: b.baseAddress!, ldb: shape.transposeB ? shape.k : shape.n,
                                   beta: 0, c: c.baseAddress!, ldc: shape.n)
                    }
                }
            }
        }
    }
}
