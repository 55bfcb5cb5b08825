/// A phase of training: one third of a run's step range.
public enum StepWindow: Int, CaseIterable, Sendable, Equatable {
    /// The first third of the step range.
    case early
    /// The second third.
    case middle
    /// The last third.
    case late
}

/// The split of a step range `[first, last]` into thirds by step value (not by row count):
/// with `R = last - first`, a step `s` is early when `3 (s - first) < R`, middle when
/// `3 (s - first) < 2R`, late otherwise; a step on a boundary goes to the later window (exact
/// for integer steps). A range of zero width puts every step in `early`.
public struct StepWindows: Sendable, Equatable {
    /// The first step of the range.
    public let first: Double
    /// The last step of the range.
    public let last: Double

    /// The windows of `first...last` (`first <= last`).
    public init(first: Double, last: Double) {
        precondition(first <= last, "step range \(first)...\(last) is reversed")
        self.first = first
        self.last = last
    }

    /// The windows of the finite steps in `steps` (their min to max); nil when there is none.
    public init?(steps: [Double]) {
        let finite = steps.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        self.init(first: low, last: high)
    }

    /// The window of `step` (steps outside the range fall into the nearest end window).
    public func window(of step: Double) -> StepWindow {
        let width = last - first, offset = 3 * (step - first)
        if width == 0 || offset < width { return .early }
        return offset < 2 * width ? .middle : .late
    }
}

/// A quantity over a whole series and over its early, middle and late thirds.
public struct Windowed<Value: Sendable & Equatable>: Sendable, Equatable {
    /// Over all rows.
    public var whole: Value
    /// Over the rows of the first third of the step range.
    public var early: Value
    /// Over the rows of the second third.
    public var middle: Value
    /// Over the rows of the last third.
    public var late: Value

    /// A windowed quantity from its four values.
    public init(whole: Value, early: Value, middle: Value, late: Value) {
        self.whole = whole
        self.early = early
        self.middle = middle
        self.late = late
    }

    /// `compute` applied to all rows and to the rows of each window (`rows` lists row indices).
    public init(steps: [Double], windows: StepWindows, compute: ([Int]) -> Value) {
        var byWindow = [[Int]](repeating: [], count: StepWindow.allCases.count)
        for (row, step) in steps.enumerated() { byWindow[windows.window(of: step).rawValue].append(row) }
        self.init(whole: compute(Array(steps.indices)), early: compute(byWindow[0]),
                  middle: compute(byWindow[1]), late: compute(byWindow[2]))
    }

    /// The value of one window.
    public subscript(window: StepWindow) -> Value {
        switch window {
        case .early: early
        case .middle: middle
        case .late: late
        }
    }
}
