import Foundation

/// The files this process has open in a `RecordWriter`, by device and inode, so that a
/// second writer on the same file (which HDF5 would silently share) is refused.
/// All access happens under `HDF5Library.locked`.
enum WriterRegistry {
    /// A file's identity on disk.
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
    }

    nonisolated(unsafe) private static var open: Set<Identity> = []

    /// The identity of an existing file, nil when it cannot be determined.
    static func identity(of file: String) -> Identity? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value,
              let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value else { return nil }
        return Identity(device: device, inode: inode)
    }

    /// Registers `file` as open for writing; throws `RecordError.alreadyOpen` when it is.
    static func claim(_ file: String) throws -> Identity? {
        guard let identity = identity(of: file) else { return nil }
        guard open.insert(identity).inserted else { throw RecordError.alreadyOpen(file: file) }
        return identity
    }

    /// Whether a writer of this process has `file` open.
    static func isClaimed(_ file: String) -> Bool {
        identity(of: file).map { open.contains($0) } ?? false
    }

    /// Unregisters a file claimed with `claim`.
    static func release(_ identity: Identity?) {
        if let identity { open.remove(identity) }
    }
}
