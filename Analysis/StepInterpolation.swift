/// The value of a step series at `step`, linear in step between the rows around it.
///
/// `steps` ascending (ties allowed), parallel to `values`, `[n]`. At a step recorded by
/// several rows the last of them counts (the latest measurement, e.g. after a resume). Nil
/// outside `[steps.first, steps.last]`, for an empty series, or a non-finite `step`.
public func interpolatedInStep(_ steps: [Double], _ values: [Double], at step: Double) -> Double? {
    precondition(steps.count == values.count, "\(steps.count) steps, \(values.count) values")
    guard step.isFinite, let first = steps.first, let last = steps.last,
          step >= first, step <= last else { return nil }
    // The first row after `step` (binary search); the row before it is the last one <= step.
    var low = 0, high = steps.count
    while low < high {
        let middle = (low + high) / 2
        if steps[middle] <= step { low = middle + 1 } else { high = middle }
    }
    let before = low - 1
    if steps[before] == step || low == steps.count { return values[before] }
    let t = (step - steps[before]) / (steps[low] - steps[before])
    return values[before] + t * (values[low] - values[before])
}
