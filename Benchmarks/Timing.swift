import Foundation

/// Median wall time in seconds of `body` over `repetitions` runs after `warmup` runs.
func medianSeconds(warmup: Int = 3, repetitions: Int = 15, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    times.sort()
    return times[times.count / 2]
}

/// A GEMM of shape (m x k) * (k x n): 2mnk floating-point operations.
struct GemmShape: Hashable {
    var m: Int, n: Int, k: Int
    var transposeA = false, transposeB = false
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

func format(_ seconds: Double) -> String { String(format: "%8.3f ms", seconds * 1e3) }
