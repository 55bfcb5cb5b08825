/// One member of a population-based training run: its trainer, the record it writes and
/// whether it diverged.
public struct PBTMember {
    /// The member's index i (its run seed is the PBT seed + i).
    public let index: Int
    /// The member's training run; its `weights` are the member's weights now.
    public var trainer: Trainer
    /// The record the member writes now.
    public var recorder: RunRecorder
    /// How often the member restarted after a divergence: 0 while it writes `member-<i>.h5`,
    /// k while it writes `member-<i>-r<k>.h5`.
    public var restarts: Int
    /// True from a diverged step (its record closed as diverged) until the member is
    /// replaced at a synchronisation; a diverged member takes no steps.
    public var isDiverged: Bool

    /// The file name of member `index`'s record after `restarts` restarts.
    public static func fileName(index: Int, restarts: Int) -> String {
        restarts == 0 ? "member-\(index).h5" : "member-\(index)-r\(restarts).h5"
    }

    /// The file name of the record the member writes now.
    public var fileName: String { Self.fileName(index: index, restarts: restarts) }
}
