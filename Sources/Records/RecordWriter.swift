import CHDF5
import Foundation

/// A cheap reference to one appendable dataset of one `RecordWriter`, for the hot path:
/// `append(handle, row:)` skips the path lookup. Valid only for the writer that made it.
public struct AppendHandle: Sendable, Hashable {
    let owner: ObjectIdentifier
    let index: Int
    /// The dataset's absolute path.
    public let path: String
}

/// Writes one record file: an HDF5 file whose structure (a `RecordLayout`) is created up
/// front, whose appendable datasets grow row by row, and which SWMR readers (h5py with
/// `swmr=True`, `RecordReader`) can read while it is written.
///
/// Life cycle: `init(creating:layout:)` (or `init(resuming:)`) creates or opens the file
/// with libver bounds "latest", creates every group, dataset and attribute, then switches
/// the file to SWMR-write mode (`H5Fstart_swmr_write`); from then on no objects or
/// attributes can be created. `append` only buffers rows in memory; `flush` writes every
/// buffered row (extent change + hyperslab write per dataset) and flushes the file so
/// readers see the rows; `writeFixed` overwrites a fixed-shape dataset whole. `finish`
/// flushes, overwrites the root attribute `status` (created as "running") and closes.
/// A writer dropped without `finish` or `close` flushes and closes in `deinit`.
///
/// Not thread-safe: use one writer from one task at a time (it is not `Sendable`). HDF5
/// calls of all writers and readers are serialised by a process-wide lock.
public final class RecordWriter {
    /// The record's file path.
    public let file: String
    /// The structure of the record (for a resumed record, as found in the file).
    public private(set) var layout: RecordLayout
    /// True until `finish` or `close`.
    public private(set) var isOpen = true

    var fileID: hid_t
    var buffers: [AppendBuffer]
    var bufferIndex: [String: Int]
    var fixedDatasets: [String: (dataset: hid_t, spec: DatasetSpec)]
    var identity: WriterRegistry.Identity?

    /// The open file and datasets a writer starts with.
    struct OpenState {
        var fileID: hid_t
        var buffers: [AppendBuffer]
        var fixed: [String: (dataset: hid_t, spec: DatasetSpec)]
        var layout: RecordLayout
        /// The file's entry in `WriterRegistry`.
        var identity: WriterRegistry.Identity? = nil

        /// Closes every dataset and the file (each exactly once) and unregisters the file.
        func close() {
            for buffer in buffers where buffer.dataset >= 0 { H5Dclose(buffer.dataset) }
            for (_, entry) in fixed where entry.dataset >= 0 { H5Dclose(entry.dataset) }
            if fileID >= 0 { H5Fclose(fileID) }
            WriterRegistry.release(identity)
        }
    }

    init(file: String, state: OpenState) {
        self.file = file
        self.layout = state.layout
        self.fileID = state.fileID
        self.buffers = state.buffers
        self.fixedDatasets = state.fixed
        self.identity = state.identity
        var index: [String: Int] = [:]
        for (i, buffer) in state.buffers.enumerated() { index[buffer.spec.path] = i }
        self.bufferIndex = index
    }

    /// Creates the record file at `file` with every group, dataset and attribute of
    /// `layout`, sets the root attribute `status` to "running" and starts SWMR writing.
    ///
    /// Throws `RecordError.fileExists` when `file` exists and `overwrite` is false,
    /// `RecordError.invalidLayout` for an inconsistent layout.
    public convenience init(creating file: String, layout: RecordLayout, overwrite: Bool = false) throws {
        let state = try HDF5Library.locked {
            try RecordWriter.create(file: file, layout: layout, overwrite: overwrite)
        }
        self.init(file: file, state: state)
    }

    deinit {
        if isOpen { try? close() }
    }

    // MARK: - Creating

    static func create(file: String, layout: RecordLayout, overwrite: Bool) throws -> OpenState {
        try layout.validate(file: file)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) {
            if !overwrite || isDirectory.boolValue { throw RecordError.fileExists(file: file) }
            if WriterRegistry.isClaimed(file) { throw RecordError.alreadyOpen(file: file) }
        }
        let fapl = try latestFormatAccessList(file: file)
        defer { H5Pclose(fapl) }
        let flags = overwrite ? tt_H5F_ACC_TRUNC() : tt_H5F_ACC_EXCL()
        let fileID = H5Fcreate(file, flags, tt_H5P_DEFAULT(), fapl)
        guard fileID >= 0 else {
            let reason = HDF5Library.takeErrorMessage()
            if !overwrite && FileManager.default.fileExists(atPath: file) { throw RecordError.fileExists(file: file) }
            throw RecordError.cannotOpen(file: file, reason: reason)
        }
        var state = OpenState(fileID: fileID, buffers: [], fixed: [:], layout: layout)
        do {
            state.identity = try WriterRegistry.claim(file)
            for group in layout.groupPaths {
                let id = try HDF5Library.id(
                    H5Gcreate2(fileID, group, tt_H5P_DEFAULT(), tt_H5P_DEFAULT(), tt_H5P_DEFAULT()),
                    file: file, "H5Gcreate \(group)")
                defer { H5Gclose(id) }
                for (name, value) in (layout.groupAttributes[group] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    try AttributeIO.write(value, name: name, on: id, file: file, path: group)
                }
            }
            var root = layout.rootAttributes.merging(layout.groupAttributes["/"] ?? [:]) { a, _ in a }
            root["status"] = .string("running")
            for (name, value) in root.sorted(by: { $0.key < $1.key }) {
                try AttributeIO.write(value, name: name, on: fileID, file: file, path: "/")
            }
            for spec in layout.datasets {
                let dataset = try createDataset(spec, in: fileID, file: file)
                if spec.isAppendable {
                    state.buffers.append(AppendBuffer(spec: spec, dataset: dataset, writtenRows: 0))
                } else {
                    state.fixed[spec.path] = (dataset, spec)
                }
            }
            try HDF5Library.check(H5Fstart_swmr_write(fileID), file: file, "H5Fstart_swmr_write")
        } catch {
            state.close()
            throw error
        }
        return state
    }

    /// A file-access property list with libver bounds (latest, latest), which SWMR needs.
    static func latestFormatAccessList(file: String) throws -> hid_t {
        let fapl = try HDF5Library.id(H5Pcreate(tt_H5P_FILE_ACCESS()), file: file, "H5Pcreate(file access)")
        let latest = tt_H5F_LIBVER_LATEST()
        guard H5Pset_libver_bounds(fapl, latest, latest) >= 0 else {
            H5Pclose(fapl)
            throw RecordError.hdf5(file: file, operation: "H5Pset_libver_bounds", reason: HDF5Library.takeErrorMessage())
        }
        return fapl
    }

    /// Creates one dataset with its `description`, `units` and extra attributes; returns it open.
    static func createDataset(_ spec: DatasetSpec, in fileID: hid_t, file: String) throws -> hid_t {
        let operation = "H5Dcreate \(spec.path)"
        let dcpl = try HDF5Library.id(H5Pcreate(tt_H5P_DATASET_CREATE()), file: file, operation)
        defer { H5Pclose(dcpl) }
        var dims: [hsize_t]
        var maxDims: [hsize_t]
        switch spec.storage {
        case .appendable(_, let gzip):
            dims = [0] + spec.shape.map { hsize_t($0) }
            maxDims = [tt_H5S_UNLIMITED()] + spec.shape.map { hsize_t($0) }
            var chunk = [hsize_t(spec.resolvedChunkRows)] + spec.shape.map { hsize_t($0) }
            try HDF5Library.check(H5Pset_chunk(dcpl, Int32(chunk.count), &chunk), file: file, operation)
            if let gzip, gzip > 0 {
                try HDF5Library.check(H5Pset_shuffle(dcpl), file: file, operation)
                try HDF5Library.check(H5Pset_deflate(dcpl, UInt32(gzip)), file: file, operation)
            }
        case .fixed(let fill):
            dims = spec.shape.map { hsize_t($0) }
            maxDims = dims
            try HDF5Library.check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), file: file, operation)
            try withFillValue(fill, spec.elementType) { pointer in
                try HDF5Library.check(H5Pset_fill_value(dcpl, spec.elementType.memoryType, pointer), file: file, operation)
            }
        }
        let space = dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), &dims, &maxDims)
        _ = try HDF5Library.id(space, file: file, operation)
        defer { H5Sclose(space) }
        let dataset = try HDF5Library.id(
            H5Dcreate2(fileID, spec.path, spec.elementType.fileType, space, tt_H5P_DEFAULT(), dcpl, tt_H5P_DEFAULT()),
            file: file, operation)
        do {
            var attributes = spec.attributes
            attributes["description"] = .string(spec.description)
            attributes["units"] = .string(spec.units)
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
                try AttributeIO.write(value, name: name, on: dataset, file: file, path: spec.path)
            }
        } catch {
            H5Dclose(dataset)
            throw error
        }
        return dataset
    }

    private static func withFillValue(_ fill: Double, _ type: RecordElementType,
                                      _ body: (UnsafeRawPointer) throws -> Void) throws {
        switch type {
        case .float32: var v = Float(fill); try body(&v)
        case .float64: var v = fill; try body(&v)
        case .int64: var v = Int64(fill); try body(&v)
        case .uint64: var v = UInt64(max(0, fill)); try body(&v)
        }
    }

    // MARK: - Closing

    /// Flushes buffered rows and closes the file, leaving the `status` attribute as it is
    /// ("running"). Prefer `finish(status:)`. Closing twice is a no-op.
    public func close() throws {
        guard isOpen else { return }
        var flushError: Error?
        do { try flush() } catch { flushError = error }
        closeHandles()
        if let flushError { throw flushError }
    }

    /// Closes every dataset and the file exactly once and marks the writer closed.
    func closeHandles() {
        guard isOpen else { return }
        HDF5Library.locked {
            OpenState(fileID: fileID, buffers: buffers, fixed: fixedDatasets, layout: layout, identity: identity).close()
        }
        fileID = -1
        for i in buffers.indices { buffers[i].dataset = -1 }
        fixedDatasets.removeAll()
        isOpen = false
    }

    /// Ends the record: flushes every buffered row, overwrites the root attribute `status`
    /// (for tasktrace/1: "complete", "diverged" or "interrupted") and closes the file, which
    /// clears its "open for writing" mark. After this the writer is closed.
    ///
    /// The status is written in place in SWMR-write mode (the attribute exists since
    /// creation, and overwriting an existing attribute's value creates nothing). Closing and
    /// reopening without SWMR instead would fail while any reader, even a SWMR reader, holds
    /// the file: HDF5 1.10's file locks refuse the exclusive open.
    public func finish(status: String) throws {
        guard isOpen else { throw RecordError.closed(file: file) }
        var firstError: Error?
        do { try flush() } catch { firstError = error }
        do {
            try HDF5Library.locked {
                try AttributeIO.overwriteString(status, name: "status", on: fileID, file: file, path: "/")
                try HDF5Library.check(H5Fflush(fileID, H5F_SCOPE_LOCAL), file: file, "H5Fflush")
            }
        } catch {
            if firstError == nil { firstError = error }
        }
        closeHandles()
        if let firstError { throw firstError }
    }
}
