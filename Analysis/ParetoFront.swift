/// Whether `a` Pareto-dominates `b` when higher is better in every coordinate: at least as
/// good everywhere and better somewhere. NaN coordinates never dominate nor are dominated.
public func dominates(_ a: [Double], _ b: [Double]) -> Bool {
    precondition(a.count == b.count, "points of different dimension")
    guard (a + b).allSatisfy(\.isFinite) else { return false }
    return zip(a, b).allSatisfy { $0 >= $1 } && zip(a, b).contains { $0 > $1 }
}

/// The indices of the points that no other point dominates (higher is better in every
/// coordinate), in the points' order; points with a NaN coordinate are never on the front.
public func paretoFront(_ points: [[Double]]) -> [Int] {
    points.indices.filter { i in
        points[i].allSatisfy(\.isFinite) && !points.indices.contains { j in j != i && dominates(points[j], points[i]) }
    }
}
