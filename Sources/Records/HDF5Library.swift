import CHDF5
import Foundation

/// Process-wide access to the serial (not thread-safe) HDF5 library.
///
/// Every HDF5 call in this module runs inside `HDF5Library.locked`, which holds one
/// recursive lock, so writers and readers on different threads (or parallel tests) never
/// enter HDF5 at the same time even with a non-thread-safe HDF5 build. It also silences
/// HDF5's own error-stack printing: failures are reported as `RecordError`s carrying
/// HDF5's most specific message instead.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// Runs `body` holding the HDF5 lock, with HDF5's error printing silenced on this thread
    /// (in thread-safe builds of HDF5, such as Debian's, that setting is per thread).
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        tt_H5_silence_errors()
        return try body()
    }

    /// HDF5's most specific message on the current error stack (one line), then clears the stack.
    static func takeErrorMessage() -> String {
        final class Box { var messages: [String] = [] }
        let box = Box()
        let walker: H5E_walk2_t = { _, error, data in
            guard let error, let data else { return 0 }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            if let desc = error.pointee.desc {
                box.messages.append(String(cString: desc))
            }
            return 0
        }
        _ = withExtendedLifetime(box) {
            H5Ewalk2(tt_H5E_DEFAULT(), H5E_WALK_UPWARD, walker, Unmanaged.passUnretained(box).toOpaque())
        }
        H5Eclear2(tt_H5E_DEFAULT())
        let message = box.messages.first { !$0.isEmpty } ?? "unknown HDF5 error"
        return message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Throws `RecordError.hdf5` naming `operation` when an HDF5 status is negative.
    static func check(_ status: herr_t, file: String, _ operation: @autoclosure () -> String) throws {
        if status < 0 {
            throw RecordError.hdf5(file: file, operation: operation(), reason: takeErrorMessage())
        }
    }

    /// Returns `id` or throws `RecordError.hdf5` naming `operation` when it is negative.
    static func id(_ id: hid_t, file: String, _ operation: @autoclosure () -> String) throws -> hid_t {
        if id < 0 {
            throw RecordError.hdf5(file: file, operation: operation(), reason: takeErrorMessage())
        }
        return id
    }
}
