import CHDF5
import Foundation

extension RecordWriter {
    /// Reopens an existing record to continue appending, e.g. after a crash.
    ///
    /// Clears the "open for writing" mark a killed writer leaves in the superblock (in
    /// code, the way `h5clear -s` does: the file-access property "clear_status_flags"),
    /// opens the file read-write, rediscovers its layout and open datasets (row counts as
    /// in the file), sets `status` back to "running" and restarts SWMR writing. Then
    /// `truncate` drops rows written after the last checkpoint and `append` continues.
    /// Close any `RecordReader` of the same file in this process first: HDF5 refuses to
    /// open a file read-write that this process has open read-only.
    public convenience init(resuming file: String) throws {
        let state = try HDF5Library.locked { try RecordWriter.resume(file: file) }
        self.init(file: file, state: state)
    }

    static func resume(file: String) throws -> OpenState {
        guard FileManager.default.fileExists(atPath: file) else { throw RecordError.fileNotFound(file: file) }
        guard tt_H5_is_hdf5(file) > 0 else {
            H5Eclear2(tt_H5E_DEFAULT())
            throw RecordError.notHDF5(file: file)
        }
        let identity = try WriterRegistry.claim(file)
        var opened = false
        defer { if !opened { WriterRegistry.release(identity) } }
        let fapl = try latestFormatAccessList(file: file)
        defer { H5Pclose(fapl) }
        try HDF5Library.check(tt_H5P_set_clear_status_flags(fapl), file: file,
                              "H5Pset(clear_status_flags) (clear the mark with `h5clear -s \(file)` instead)")
        let fileID = H5Fopen(file, tt_H5F_ACC_RDWR(), fapl)
        guard fileID >= 0 else { throw RecordError.cannotOpen(file: file, reason: HDF5Library.takeErrorMessage()) }
        var state: OpenState
        do {
            state = try LayoutDiscovery.open(fileID: fileID, file: file)
        } catch {
            H5Fclose(fileID)
            throw error
        }
        state.identity = identity
        opened = true
        do {
            try AttributeIO.write(.string("running"), name: "status", on: fileID, file: file, path: "/")
            try HDF5Library.check(H5Fstart_swmr_write(fileID), file: file, "H5Fstart_swmr_write")
        } catch {
            state.close()
            throw error
        }
        return state
    }

    /// Cuts the appendable dataset at `path` to its first `rows` rows (file and buffer),
    /// e.g. to drop rows recorded after the last checkpoint before resuming. Readers see
    /// the shorter dataset after the next `flush()`.
    public func truncate(_ path: String, rows: Int) throws {
        guard isOpen else { throw RecordError.closed(file: file) }
        guard let index = bufferIndex[path] else { throw unknownAppendable(path) }
        let available = buffers[index].rowCount
        guard rows >= 0, rows <= available else {
            throw RecordError.truncateBeyondEnd(file: file, path: path, requested: rows, available: available)
        }
        if rows >= buffers[index].writtenRows {
            buffers[index].keepPending(rows: rows - buffers[index].writtenRows)
            return
        }
        buffers[index].clearPending()
        var dims = [hsize_t(rows)] + buffers[index].spec.shape.map { hsize_t($0) }
        let dataset = buffers[index].dataset
        try HDF5Library.locked {
            try HDF5Library.check(H5Dset_extent(dataset, &dims), file: file, "H5Dset_extent \(path)")
        }
        buffers[index].writtenRows = rows
    }

    /// Truncates every appendable dataset named in `rowCounts` to its count (see `truncate(_:rows:)`).
    public func truncate(to rowCounts: [String: Int]) throws {
        for (path, rows) in rowCounts.sorted(by: { $0.key < $1.key }) {
            try truncate(path, rows: rows)
        }
    }
}
