/// One record of a study as the analysis needs to know it: which record, whether it is a
/// single-task or a multi-task run, which multi-task variant (weighting or method), and its
/// seed. ST and MT runs pair by task and seed.
public struct StudyRecord: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable { case st, mt }

    /// Path of the record.
    public var file: String
    public var mode: Mode
    /// The MT variant's name (empty for ST runs).
    public var variant: String
    public var seed: Int64

    public init(file: String, mode: Mode, variant: String = "", seed: Int64) {
        self.file = file
        self.mode = mode
        self.variant = variant
        self.seed = seed
    }
}
