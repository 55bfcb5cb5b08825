import CHDF5

/// Reconstructs a `RecordLayout` and opens every dataset of an existing record, for
/// `RecordWriter(resuming:)`. Datasets whose first dimension is unlimited are appendable
/// (row shape = the remaining dimensions), all others fixed. Callers hold the HDF5 lock.
enum LayoutDiscovery {
    /// On failure closes the datasets it opened but not the file.
    static func open(fileID: hid_t, file: String) throws -> RecordWriter.OpenState {
        var state = RecordWriter.OpenState(fileID: fileID, buffers: [], fixed: [:], layout: RecordLayout())
        do {
            try visitGroup("/", fileID: fileID, file: file, state: &state)
        } catch {
            state.fileID = -1
            state.close()
            throw error
        }
        return state
    }

    private static func visitGroup(_ path: String, fileID: hid_t, file: String,
                                   state: inout RecordWriter.OpenState) throws {
        let group = try HDF5Objects.openGroup(fileID, path, file: file)
        defer { H5Gclose(group) }
        var attributes: [String: AttributeValue] = [:]
        for name in try AttributeIO.names(of: group, file: file, path: path) {
            attributes[name] = try AttributeIO.read(name, of: group, file: file, path: path)
        }
        if path == "/" {
            attributes["status"] = nil
            state.layout.rootAttributes = attributes
        } else if !attributes.isEmpty {
            state.layout.groupAttributes[path] = attributes
        }
        for name in try HDF5Objects.childNames(group, file: file, path: path) {
            let child = RecordPath.join(path, name)
            switch HDF5Objects.kind(fileID, child) {
            case .group: try visitGroup(child, fileID: fileID, file: file, state: &state)
            case .dataset: try openDataset(child, fileID: fileID, file: file, state: &state)
            default: continue
            }
        }
    }

    private static func openDataset(_ path: String, fileID: hid_t, file: String,
                                    state: inout RecordWriter.OpenState) throws {
        let dataset = try HDF5Objects.openDataset(fileID, path, file: file)
        do {
            guard let type = try HDF5Objects.elementType(dataset, file: file, path: path) else {
                H5Dclose(dataset)  // not numeric: not part of the record's layout
                return
            }
            let (dims, maxDims) = try HDF5Objects.extent(dataset, file: file, path: path)
            var attributes: [String: AttributeValue] = [:]
            for name in try AttributeIO.names(of: dataset, file: file, path: path) {
                attributes[name] = try AttributeIO.read(name, of: dataset, file: file, path: path)
            }
            func text(_ name: String) -> String {
                if case .string(let s)? = attributes.removeValue(forKey: name) { return s }
                return ""
            }
            let description = text("description"), units = text("units")
            let (chunkRows, gzip, fill) = try creationProperties(dataset, file: file, path: path)
            if let first = maxDims.first, first == nil {
                let spec = DatasetSpec.appendable(path, type, row: Array(dims.dropFirst()), description: description,
                                                  units: units, chunkRows: chunkRows, gzipLevel: gzip,
                                                  attributes: attributes)
                state.layout.datasets.append(spec)
                state.buffers.append(AppendBuffer(spec: spec, dataset: dataset, writtenRows: dims[0]))
            } else {
                let spec = DatasetSpec.fixed(path, type, shape: dims, description: description, units: units,
                                             fillValue: fill, attributes: attributes)
                state.layout.datasets.append(spec)
                state.fixed[path] = (dataset, spec)
            }
        } catch {
            H5Dclose(dataset)
            throw error
        }
    }

    /// Chunk rows (chunked datasets), gzip level (when deflated) and fill value of a dataset.
    private static func creationProperties(_ dataset: hid_t, file: String, path: String)
        throws -> (chunkRows: Int?, gzip: Int?, fill: Double) {
        let dcpl = try HDF5Library.id(H5Dget_create_plist(dataset), file: file, "H5Dget_create_plist \(path)")
        defer { H5Pclose(dcpl) }
        var chunkRows: Int?
        if H5Pget_layout(dcpl) == H5D_CHUNKED {
            var chunk = [hsize_t](repeating: 0, count: 32)
            let rank = H5Pget_chunk(dcpl, 32, &chunk)
            if rank > 0 { chunkRows = Int(chunk[0]) }
        }
        var gzip: Int?
        var flags: UInt32 = 0
        var count = 1
        var values: [UInt32] = [0]
        if H5Pget_filter_by_id2(dcpl, H5Z_filter_t(H5Z_FILTER_DEFLATE), &flags, &count, &values, 0, nil, nil) >= 0 {
            gzip = Int(values[0])
        }
        var fill = 0.0
        if H5Pget_fill_value(dcpl, tt_H5T_NATIVE_DOUBLE(), &fill) < 0 { fill = 0 }
        H5Eclear2(tt_H5E_DEFAULT())
        return (chunkRows, gzip, fill)
    }
}
