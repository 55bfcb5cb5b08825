import Foundation

/// An exclusive lock on a study folder (`flock` on `<folder>/.study.lock`), held while one
/// `tasktrace study` plans or runs it, so that two never start the same runs. Released
/// when the value is deinitialised or the process ends.
final class StudyLock {
    private let descriptor: Int32

    /// Takes the lock; fails at once (one line, exit 2) when another process holds it.
    init(folder: URL) throws {
        let path = folder.appendingPathComponent(".study.lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw fail("\(path): cannot create the study lock: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw fail("\(folder.path): another tasktrace study is working in this folder")
        }
    }

    deinit { close(descriptor) }
}
