import CHDF5

extension RecordWriter {
    /// A handle for the appendable dataset at `path`, for `append(_:row:)` without a lookup.
    public func handle(_ path: String) throws -> AppendHandle {
        guard let index = bufferIndex[path] else { throw unknownAppendable(path) }
        return AppendHandle(owner: ObjectIdentifier(self), index: index, path: path)
    }

    /// Rows of the appendable dataset at `path`: rows in the file plus rows buffered.
    public func rowCount(_ path: String) throws -> Int {
        guard let index = bufferIndex[path] else { throw unknownAppendable(path) }
        return buffers[index].rowCount
    }

    /// Row counts (file plus buffered) of every appendable dataset, keyed by path.
    public func rowCounts() -> [String: Int] {
        Dictionary(uniqueKeysWithValues: buffers.map { ($0.spec.path, $0.rowCount) })
    }

    /// Rows buffered in memory over all datasets, not yet written by `flush`.
    public var pendingRowCount: Int { buffers.reduce(0) { $0 + $1.pendingRows } }

    // MARK: - Appending (no HDF5 calls: rows are buffered until flush)
    // Array literals such as `[1, 2, 3]` pick the `[Double]` overloads.

    /// Buffers one row for the appendable dataset at `path`; `row.count` must equal the
    /// product of the row shape (1 for scalar rows). Float32 and Float64 datasets accept it.
    public func append(_ path: String, row: [Double]) throws {
        try row.withUnsafeBufferPointer { try appendDoubles(lookup(path), $0) }
    }

    /// Buffers one row of Float values (Float32 and Float64 datasets).
    @_disfavoredOverload
    public func append(_ path: String, row: [Float]) throws {
        try row.withUnsafeBufferPointer { try appendFloats(lookup(path), $0) }
    }

    /// Buffers one row of Int64 values (Int64 datasets, and Float32/Float64 by conversion).
    @_disfavoredOverload
    public func append(_ path: String, row: [Int64]) throws {
        try row.withUnsafeBufferPointer { try appendInt64s(lookup(path), $0) }
    }

    /// Buffers a one-number row (row shape `[]`) of a Float32 or Float64 dataset.
    public func append(_ path: String, value: Double) throws {
        try withUnsafePointer(to: value) { try appendDoubles(lookup(path), UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Buffers a one-number row (row shape `[]`) of an Int64 (or floating-point) dataset.
    public func append(_ path: String, integer: Int64) throws {
        try withUnsafePointer(to: integer) { try appendInt64s(lookup(path), UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Buffers one row through a handle (no path lookup).
    public func append(_ handle: AppendHandle, row: [Double]) throws {
        try row.withUnsafeBufferPointer { try appendDoubles(check(handle), $0) }
    }

    /// Buffers one row of Float values through a handle.
    @_disfavoredOverload
    public func append(_ handle: AppendHandle, row: [Float]) throws {
        try row.withUnsafeBufferPointer { try appendFloats(check(handle), $0) }
    }

    /// Buffers one row of Int64 values through a handle.
    @_disfavoredOverload
    public func append(_ handle: AppendHandle, row: [Int64]) throws {
        try row.withUnsafeBufferPointer { try appendInt64s(check(handle), $0) }
    }

    /// Buffers one row of Float values from memory the caller owns (e.g. a gradient buffer).
    public func append(_ handle: AppendHandle, row: UnsafeBufferPointer<Float>) throws {
        try appendFloats(check(handle), row)
    }

    /// Buffers one row of Double values from memory the caller owns.
    public func append(_ handle: AppendHandle, row: UnsafeBufferPointer<Double>) throws {
        try appendDoubles(check(handle), row)
    }

    @inline(__always)
    private func lookup(_ path: String) throws -> Int {
        guard isOpen else { throw RecordError.closed(file: file) }
        guard let index = bufferIndex[path] else { throw unknownAppendable(path) }
        return index
    }

    @inline(__always)
    private func check(_ handle: AppendHandle) throws -> Int {
        guard isOpen else { throw RecordError.closed(file: file) }
        guard handle.owner == ObjectIdentifier(self), handle.index < buffers.count else {
            throw RecordError.invalidLayout(file: file, reason: "handle for \(handle.path) belongs to another writer")
        }
        return handle.index
    }

    @inline(__always)
    private func checkLength(_ index: Int, _ count: Int) throws {
        if count != buffers[index].rowLength {
            throw RecordError.wrongShape(file: file, path: buffers[index].spec.path,
                                         expected: buffers[index].spec.shape, found: [count])
        }
    }

    private func appendDoubles(_ index: Int, _ row: UnsafeBufferPointer<Double>) throws {
        try checkLength(index, row.count)
        switch buffers[index].spec.elementType {
        case .float64: buffers[index].doubles.append(contentsOf: row)
        case .float32: buffers[index].floats.append(contentsOf: row.lazy.map { Float($0) })
        case .int64, .uint64: throw wrongRowType(index, "Double")
        }
        buffers[index].pendingRows += 1
    }

    private func appendFloats(_ index: Int, _ row: UnsafeBufferPointer<Float>) throws {
        try checkLength(index, row.count)
        switch buffers[index].spec.elementType {
        case .float32: buffers[index].floats.append(contentsOf: row)
        case .float64: buffers[index].doubles.append(contentsOf: row.lazy.map { Double($0) })
        case .int64, .uint64: throw wrongRowType(index, "Float")
        }
        buffers[index].pendingRows += 1
    }

    private func appendInt64s(_ index: Int, _ row: UnsafeBufferPointer<Int64>) throws {
        try checkLength(index, row.count)
        switch buffers[index].spec.elementType {
        case .int64: buffers[index].int64s.append(contentsOf: row)
        case .float64: buffers[index].doubles.append(contentsOf: row.lazy.map { Double($0) })
        case .float32: buffers[index].floats.append(contentsOf: row.lazy.map { Float($0) })
        case .uint64:
            guard row.allSatisfy({ $0 >= 0 }) else { throw wrongRowType(index, "negative Int64") }
            buffers[index].uint64s.append(contentsOf: row.lazy.map { UInt64($0) })
        }
        buffers[index].pendingRows += 1
    }

    private func wrongRowType(_ index: Int, _ given: String) -> RecordError {
        .wrongType(file: file, path: buffers[index].spec.path,
                   expected: buffers[index].spec.elementType.rawValue, found: "\(given) rows")
    }

    func unknownAppendable(_ path: String) -> RecordError {
        if fixedDatasets[path] != nil || layout.dataset(path) != nil {
            return .wrongKind(file: file, path: path, expected: "appendable")
        }
        return .missingDataset(file: file, path: path)
    }

    // MARK: - Flushing

    /// Writes every buffered row of every appendable dataset (one extent change and one
    /// hyperslab write per dataset with pending rows) and flushes the file, so SWMR readers
    /// see all rows appended so far. Also makes earlier `writeFixed` and `truncate` durable.
    public func flush() throws {
        guard isOpen else { throw RecordError.closed(file: file) }
        try HDF5Library.locked {
            for index in buffers.indices where buffers[index].pendingRows > 0 {
                try writePending(index)
            }
            try HDF5Library.check(H5Fflush(fileID, H5F_SCOPE_LOCAL), file: file, "H5Fflush")
        }
    }

    private func writePending(_ index: Int) throws {
        let path = buffers[index].spec.path
        let rowShape = buffers[index].spec.shape.map { hsize_t($0) }
        let start = hsize_t(buffers[index].writtenRows)
        let count = hsize_t(buffers[index].pendingRows)
        let dataset = buffers[index].dataset
        var newDims = [start + count] + rowShape
        try HDF5Library.check(H5Dset_extent(dataset, &newDims), file: file, "H5Dset_extent \(path)")
        let fileSpace = try HDF5Library.id(H5Dget_space(dataset), file: file, "H5Dget_space \(path)")
        defer { H5Sclose(fileSpace) }
        var offset = [start] + rowShape.map { _ in hsize_t(0) }
        var block = [count] + rowShape
        try HDF5Library.check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &offset, nil, &block, nil),
                              file: file, "H5Sselect_hyperslab \(path)")
        let memorySpace = try HDF5Library.id(H5Screate_simple(Int32(block.count), &block, nil),
                                             file: file, "H5Screate_simple \(path)")
        defer { H5Sclose(memorySpace) }
        let memoryType = buffers[index].spec.elementType.memoryType
        let status = buffers[index].withPendingBytes {
            H5Dwrite(dataset, memoryType, memorySpace, fileSpace, tt_H5P_DEFAULT(), $0.baseAddress)
        }
        try HDF5Library.check(status, file: file, "H5Dwrite \(path)")
        buffers[index].writtenRows += buffers[index].pendingRows
        buffers[index].clearPending()
    }
}
