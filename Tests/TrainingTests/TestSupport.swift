import Testing
import Training

/// Expects `actual` and `expected` to have equal length and to agree element by element
/// within `tolerance` (absolute).
func expectClose<Scalar: BinaryFloatingPoint>(
    _ actual: [Scalar], _ expected: [Double], tolerance: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        #expect(abs(Double(a) - e) <= tolerance, "element \(index): \(a) vs expected \(e)",
                sourceLocation: sourceLocation)
    }
}

/// Runs `body` and returns the `HyperparameterError` it throws (nil, with a failed expectation,
/// if it throws nothing or another error).
func hyperparameterError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> HyperparameterError? {
    do {
        try body()
        Issue.record("expected a HyperparameterError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as HyperparameterError {
        return error
    } catch {
        Issue.record("expected a HyperparameterError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The convex quadratic f(x) = 1/2 x^T A x - b^T x with A = [[3, 1], [1, 2]] (symmetric
/// positive definite, eigenvalues (5 ± sqrt 5) / 2) and b = [1, -1].
enum Quadratic {
    static func gradient<Scalar: BinaryFloatingPoint>(_ x: [Scalar]) -> [Scalar] {
        // grad f = A x - b
        [3 * x[0] + 1 * x[1] - 1, 1 * x[0] + 2 * x[1] + 1]
    }

    /// The minimiser of f + wd/2 |x|^2: (A + wd I)^{-1} b by the 2x2 inverse
    /// [[a, c], [c, d]]^{-1} = [[d, -c], [-c, a]] / (a d - c^2).
    static func minimizer(weightDecay wd: Double = 0) -> [Double] {
        let a = 3 + wd, c = 1.0, d = 2 + wd
        let det = a * d - c * c
        return [(d * 1 - c * -1) / det, (-c * 1 + a * -1) / det]
    }
}
