import CHDF5

extension RecordWriter {
    /// Overwrites the whole fixed-shape dataset at `path` (e.g. a checkpoint array) with
    /// `values` in row-major order; `values.count` must equal the product of its shape.
    /// Floating-point values go to Float32/Float64 datasets, integers to Int64/UInt64
    /// datasets. The write reaches readers with the next `flush()`.
    public func writeFixed<T: RecordElement>(_ path: String, values: [T]) throws {
        guard isOpen else { throw RecordError.closed(file: file) }
        let entry = try fixedEntry(path)
        try checkCompatible(T.recordElementType, stored: entry.spec.elementType, path: path)
        guard values.count == entry.spec.elementCount else {
            throw RecordError.wrongShape(file: file, path: path, expected: entry.spec.shape, found: [values.count])
        }
        try HDF5Library.locked {
            let status = values.withUnsafeBytes {
                H5Dwrite(entry.dataset, T.recordElementType.memoryType, tt_H5S_ALL(), tt_H5S_ALL(),
                         tt_H5P_DEFAULT(), $0.baseAddress)
            }
            try HDF5Library.check(status, file: file, "H5Dwrite \(path)")
        }
    }

    /// Reads the whole fixed-shape dataset at `path` (e.g. a checkpoint array after
    /// `init(resuming:)`), row-major, converted to `T` by HDF5.
    public func readFixed<T: RecordElement>(_ path: String, as type: T.Type = T.self) throws -> [T] {
        guard isOpen else { throw RecordError.closed(file: file) }
        let entry = try fixedEntry(path)
        try checkCompatible(T.recordElementType, stored: entry.spec.elementType, path: path)
        var values = [T](repeating: T.zero, count: entry.spec.elementCount)
        try HDF5Library.locked {
            let status = values.withUnsafeMutableBytes {
                H5Dread(entry.dataset, T.recordElementType.memoryType, tt_H5S_ALL(), tt_H5S_ALL(),
                        tt_H5P_DEFAULT(), $0.baseAddress)
            }
            try HDF5Library.check(status, file: file, "H5Dread \(path)")
        }
        return values
    }

    private func fixedEntry(_ path: String) throws -> (dataset: hid_t, spec: DatasetSpec) {
        if let entry = fixedDatasets[path] { return entry }
        if bufferIndex[path] != nil { throw RecordError.wrongKind(file: file, path: path, expected: "fixed-shape") }
        throw RecordError.missingDataset(file: file, path: path)
    }

    private func checkCompatible(_ given: RecordElementType, stored: RecordElementType, path: String) throws {
        if given.isInteger != stored.isInteger {
            throw RecordError.wrongType(file: file, path: path, expected: stored.rawValue, found: given.rawValue)
        }
    }
}
