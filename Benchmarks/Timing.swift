import Foundation

/// Wall times in seconds of `repetitions` runs of `body` after `warmup` untimed runs.
func timedSeconds(warmup: Int = 3, repetitions: Int = 15, _ body: () -> Void) -> [Double] {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    return times
}

/// Median wall time in seconds of `body` over `repetitions` runs after `warmup` runs.
func medianSeconds(warmup: Int = 3, repetitions: Int = 15, _ body: () -> Void) -> Double {
    median(timedSeconds(warmup: warmup, repetitions: repetitions, body))
}

/// The middle value (the upper middle of an even count).
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// A GEMM of shape (m x k) * (k x n): 2mnk floating-point operations.
struct GemmShape: Hashable {
    var m: Int, n: Int, k: Int
    var transposeA = false, transposeB = false
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

func format(_ seconds: Double) -> String { String(format: "%8.3f ms", seconds * 1e3) }

/// Wall times in seconds of `body` after `warmup` untimed runs and one probe run, as many runs
/// as fit in about `budget` seconds (at least `minimum`, at most `maximum`). The PyTorch side
/// (`Benchmarks/reference/timing.py`) follows the same rule.
func timedSeconds(budget: Double, minimum: Int = 10, maximum: Int = 1000, warmup: Int = 3, _ body: () -> Void) -> [Double] {
    let probe = timedSeconds(warmup: warmup, repetitions: 1, body)[0]
    let repetitions = min(maximum, max(minimum, Int(budget / max(probe, 1e-9))))
    return timedSeconds(warmup: 0, repetitions: repetitions, body)
}
