import Foundation
import Synchronization

/// The last SIGINT or SIGTERM received (0: none). A lock-free atomic, so the signal handler
/// may store into it.
private let receivedSignal = Atomic<Int32>(0)

/// SIGINT and SIGTERM ask a recording run to stop at the next step boundary: it then writes a
/// checkpoint, closes its record as `interrupted` and exits with 128 + the signal number.
enum StopSignal {
    /// Routes SIGINT and SIGTERM to `received` instead of terminating the process, and
    /// unblocks them: a process inherits its parent's signal mask, and some parents (test
    /// runners among them) block SIGTERM, which would leave it pending forever.
    static func install() {
        signal(SIGINT) { receivedSignal.store($0, ordering: .relaxed) }
        signal(SIGTERM) { receivedSignal.store($0, ordering: .relaxed) }
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// The signal received so far, or 0.
    static var received: Int32 { receivedSignal.load(ordering: .relaxed) }
}
