import Foundation

/// The average of `values` over the train-loss interval spanned by `levels`, measured in
/// `log l`: the trapezoid rule in `log l`,
/// `sum_i (v_i + v_{i+1})/2 |log l_i - log l_{i+1}|`, divided by `|log l_first - log l_last|`.
///
/// `levels` and `values` are parallel, `[L]`, levels monotone (either direction) and > 0.
/// With one level, or levels spanning no width, the plain mean of `values`. NaN when `levels`
/// is empty; a non-finite value makes the result non-finite.
public func logLossAverage(of values: [Double], over levels: [Double]) -> Double {
    precondition(values.count == levels.count, "\(values.count) values over \(levels.count) levels")
    guard let first = levels.first, let last = levels.last else { return .nan }
    let width = abs(log(first) - log(last))
    guard width > 0 else { return values.reduce(0, +) / Double(values.count) }
    var integral = 0.0
    for i in 0..<(levels.count - 1) {
        integral += 0.5 * (values[i] + values[i + 1]) * abs(log(levels[i]) - log(levels[i + 1]))
    }
    return integral / width
}
