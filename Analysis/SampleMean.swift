/// The arithmetic mean of `values`; NaN when empty.
public func sampleMean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}
