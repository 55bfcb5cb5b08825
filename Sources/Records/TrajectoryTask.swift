/// One task of a run as the record describes it: name, kind and the units of its loss and metric.
public struct TrajectoryTask: Sendable, Hashable {
    /// Whether a task is a classification or a regression task.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case classification
        case regression
    }

    /// Task name (one entry of `/tasks` attribute `names`).
    public var name: String
    /// Task kind (one entry of `/tasks` attribute `kinds`).
    public var kind: Kind
    /// Units of the task's loss: default "nats" (cross-entropy) for classification,
    /// "squared target units" (squared error) for regression.
    public var lossUnits: String
    /// What the task's metric is: default "error rate" for classification,
    /// "mean squared error" for regression.
    public var metric: String
    /// Units of the task's metric: default "fraction" for classification,
    /// "squared target units" for regression.
    public var metricUnits: String

    /// A task; units and metric default from `kind` and can be given explicitly.
    public init(name: String, kind: Kind, lossUnits: String? = nil, metric: String? = nil, metricUnits: String? = nil) {
        self.name = name
        self.kind = kind
        switch kind {
        case .classification:
            self.lossUnits = lossUnits ?? "nats"
            self.metric = metric ?? "error rate"
            self.metricUnits = metricUnits ?? "fraction"
        case .regression:
            self.lossUnits = lossUnits ?? "squared target units"
            self.metric = metric ?? "mean squared error"
            self.metricUnits = metricUnits ?? "squared target units"
        }
    }
}
