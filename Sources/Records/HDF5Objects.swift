import CHDF5

/// Small operations on open HDF5 objects shared by the writer and the reader.
/// Callers hold `HDF5Library.locked`. `file` is the record's path, used in errors.
enum HDF5Objects {
    /// What an existing link points to.
    enum Kind { case group, dataset, other }

    /// Whether every component of `path` exists below `location` (a file or group id).
    static func exists(_ location: hid_t, _ path: String) -> Bool {
        var current = ""
        for part in RecordPath.components(path) {
            current += "/" + part
            if H5Lexists(location, current, tt_H5P_DEFAULT()) <= 0 {
                H5Eclear2(tt_H5E_DEFAULT())
                return false
            }
        }
        return true
    }

    /// The kind of object at `path`, or nil when there is none.
    static func kind(_ location: hid_t, _ path: String) -> Kind? {
        if path == "/" { return .group }
        guard exists(location, path) else { return nil }
        let object = H5Oopen(location, path, tt_H5P_DEFAULT())
        guard object >= 0 else {
            H5Eclear2(tt_H5E_DEFAULT())
            return nil
        }
        defer { H5Oclose(object) }
        switch H5Iget_type(object) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// Opens the object at `path` (group, dataset, ...); close with `H5Oclose`.
    static func openObject(_ location: hid_t, _ path: String, file: String) throws -> hid_t {
        guard exists(location, path) else { throw RecordError.missingGroup(file: file, path: path) }
        return try HDF5Library.id(H5Oopen(location, path, tt_H5P_DEFAULT()), file: file, "H5Oopen \(path)")
    }

    /// Opens the dataset at `path`; close with `H5Dclose`.
    static func openDataset(_ location: hid_t, _ path: String, file: String) throws -> hid_t {
        guard kind(location, path) == .dataset else { throw RecordError.missingDataset(file: file, path: path) }
        return try HDF5Library.id(H5Dopen2(location, path, tt_H5P_DEFAULT()), file: file, "H5Dopen \(path)")
    }

    /// Opens the group at `path`; close with `H5Gclose`.
    static func openGroup(_ location: hid_t, _ path: String, file: String) throws -> hid_t {
        guard kind(location, path) == .group else { throw RecordError.missingGroup(file: file, path: path) }
        return try HDF5Library.id(H5Gopen2(location, path, tt_H5P_DEFAULT()), file: file, "H5Gopen \(path)")
    }

    /// Current and maximum dimensions of a dataset (maximum `nil` per dimension when unlimited).
    static func extent(_ dataset: hid_t, file: String, path: String) throws -> (dims: [Int], maxDims: [Int?]) {
        let space = try HDF5Library.id(H5Dget_space(dataset), file: file, "H5Dget_space \(path)")
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank > 0 else { return ([], []) }
        var dims = [hsize_t](repeating: 0, count: rank)
        var maxDims = [hsize_t](repeating: 0, count: rank)
        try HDF5Library.check(H5Sget_simple_extent_dims(space, &dims, &maxDims), file: file, "H5Sget_simple_extent_dims \(path)")
        let unlimited = tt_H5S_UNLIMITED()
        return (dims.map { Int($0) }, maxDims.map { $0 == unlimited ? nil : Int($0) })
    }

    /// The element type a dataset stores, or nil for non-numeric types.
    static func elementType(_ dataset: hid_t, file: String, path: String) throws -> RecordElementType? {
        let type = try HDF5Library.id(H5Dget_type(dataset), file: file, "H5Dget_type \(path)")
        defer { H5Tclose(type) }
        return RecordElementType.of(hdf5Type: type)
    }

    /// Names of the links in a group, sorted by name.
    static func childNames(_ group: hid_t, file: String, path: String) throws -> [String] {
        var info = H5G_info_t()
        try HDF5Library.check(H5Gget_info(group, &info), file: file, "H5Gget_info \(path)")
        var names: [String] = []
        names.reserveCapacity(Int(info.nlinks))
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, tt_H5P_DEFAULT())
            guard length >= 0 else {
                throw RecordError.hdf5(file: file, operation: "H5Lget_name_by_idx \(path)", reason: HDF5Library.takeErrorMessage())
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, tt_H5P_DEFAULT())
            names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names.sorted()
    }
}
