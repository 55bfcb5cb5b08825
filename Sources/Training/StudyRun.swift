/// One planned run of a study, as listed in `study.json`. Paths are relative to the study
/// folder; the name fixes both: `st-<task>-seed<seed>` or `mt-<variant>-seed<seed>`.
public struct StudyRun: Codable, Sendable, Hashable {
    /// Single-task (one task alone) or multi-task (all tasks, one variant's weights).
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case st, mt
    }

    /// `st-<task>-seed<seed>` or `mt-<variant>-seed<seed>`.
    public var name: String
    /// The record, `<name>.h5`.
    public var file: String
    /// The run's full configuration (JSON, what `tasktrace record --config` reads), `configs/<name>.json`.
    public var configFile: String
    public var mode: Mode
    /// ST: the task trained; nil for MT.
    public var task: String?
    /// MT: the variant's name; nil for ST.
    public var variant: String?
    /// MT: the weights, one per task of the study (equal weights written out); nil for ST.
    public var weights: [Double]?
    /// The run's seed (initialisation and batch order).
    public var seed: UInt64

    /// The ST run of `task` with `seed`.
    public static func singleTask(_ task: String, seed: UInt64) -> StudyRun {
        StudyRun(name: "st-\(task)-seed\(seed)", mode: .st, task: task, variant: nil, weights: nil, seed: seed)
    }

    /// The MT run of `variant` with `seed`, for a dataset of `taskCount` tasks.
    public static func multiTask(_ variant: StudyVariant, taskCount: Int, seed: UInt64) -> StudyRun {
        StudyRun(name: "mt-\(variant.name)-seed\(seed)", mode: .mt, task: nil, variant: variant.name,
                 weights: variant.resolvedWeights(taskCount: taskCount), seed: seed)
    }

    init(name: String, mode: Mode, task: String?, variant: String?, weights: [Double]?, seed: UInt64) {
        self.name = name
        self.file = name + ".h5"
        self.configFile = "configs/" + name + ".json"
        self.mode = mode
        self.task = task
        self.variant = variant
        self.weights = weights
        self.seed = seed
    }
}

/// An MT run and, for one of its tasks, the ST run of that task with the same seed: the
/// two trajectories the analysis compares. Runs are named by their files (`study.json`
/// keys `st` and `mt`).
public struct StudyPair: Codable, Sendable, Hashable {
    public var task: String
    public var seed: UInt64
    /// The MT run's variant.
    public var variant: String
    /// The ST run's record, relative to the study folder.
    public var singleTaskFile: String
    /// The MT run's record, relative to the study folder.
    public var multiTaskFile: String

    public init(task: String, seed: UInt64, variant: String, singleTaskFile: String, multiTaskFile: String) {
        self.task = task
        self.seed = seed
        self.variant = variant
        self.singleTaskFile = singleTaskFile
        self.multiTaskFile = multiTaskFile
    }

    enum CodingKeys: String, CodingKey {
        case task, seed, variant
        case singleTaskFile = "st"
        case multiTaskFile = "mt"
    }
}
