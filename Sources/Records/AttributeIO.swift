import CHDF5
import Foundation

/// Writing and reading `AttributeValue`s on open HDF5 objects.
/// Callers hold `HDF5Library.locked`; `file` and `path` only name things in errors.
enum AttributeIO {
    /// A new variable-length UTF-8 string type; close with `H5Tclose`.
    private static func stringType(file: String) throws -> hid_t {
        let type = try HDF5Library.id(H5Tcopy(tt_H5T_C_S1()), file: file, "H5Tcopy")
        guard H5Tset_size(type, tt_H5T_VARIABLE()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else {
            H5Tclose(type)
            throw RecordError.hdf5(file: file, operation: "H5Tset_size", reason: HDF5Library.takeErrorMessage())
        }
        return type
    }

    /// Writes `value` as attribute `name` of `object`, replacing any attribute of that name.
    /// Needs a file that is not (yet) in SWMR-write mode unless the attribute already exists
    /// with the same type and shape.
    static func write(_ value: AttributeValue, name: String, on object: hid_t, file: String, path: String) throws {
        let operation = "write attribute \(name) on \(path)"
        if H5Aexists(object, name) > 0 {
            try HDF5Library.check(H5Adelete(object, name), file: file, operation)
        }
        H5Eclear2(tt_H5E_DEFAULT())

        let count: Int?
        let fileType: hid_t
        let memoryType: hid_t
        var ownedType: hid_t = -1
        switch value {
        case .string:
            count = nil
            ownedType = try stringType(file: file)
            fileType = ownedType
            memoryType = ownedType
        case .strings(let s):
            count = s.count
            ownedType = try stringType(file: file)
            fileType = ownedType
            memoryType = ownedType
        case .int:
            count = nil; fileType = tt_H5T_STD_I64LE(); memoryType = tt_H5T_NATIVE_INT64()
        case .ints(let v):
            count = v.count; fileType = tt_H5T_STD_I64LE(); memoryType = tt_H5T_NATIVE_INT64()
        case .double:
            count = nil; fileType = tt_H5T_IEEE_F64LE(); memoryType = tt_H5T_NATIVE_DOUBLE()
        case .doubles(let v):
            count = v.count; fileType = tt_H5T_IEEE_F64LE(); memoryType = tt_H5T_NATIVE_DOUBLE()
        }
        defer { if ownedType >= 0 { H5Tclose(ownedType) } }

        let space: hid_t
        if let count {
            var dims = [hsize_t(count)]
            space = H5Screate_simple(1, &dims, nil)
        } else {
            space = H5Screate(H5S_SCALAR)
        }
        _ = try HDF5Library.id(space, file: file, operation)
        defer { H5Sclose(space) }

        let attribute = try HDF5Library.id(
            H5Acreate2(object, name, fileType, space, tt_H5P_DEFAULT(), tt_H5P_DEFAULT()), file: file, operation)
        defer { H5Aclose(attribute) }
        if count == 0 { return }

        let status: herr_t
        switch value {
        case .string(let s):
            status = writeStrings([s], attribute: attribute, type: memoryType)
        case .strings(let s):
            status = writeStrings(s, attribute: attribute, type: memoryType)
        case .int(let v):
            var v = v
            status = H5Awrite(attribute, memoryType, &v)
        case .ints(let v):
            status = v.withUnsafeBytes { H5Awrite(attribute, memoryType, $0.baseAddress) }
        case .double(let v):
            var v = v
            status = H5Awrite(attribute, memoryType, &v)
        case .doubles(let v):
            status = v.withUnsafeBytes { H5Awrite(attribute, memoryType, $0.baseAddress) }
        }
        try HDF5Library.check(status, file: file, operation)
    }

    /// Overwrites the value of the existing scalar string attribute `name` of `object` in
    /// place. Unlike `write`, this creates nothing, so it also works in SWMR-write mode.
    static func overwriteString(_ value: String, name: String, on object: hid_t, file: String, path: String) throws {
        let operation = "overwrite attribute \(name) on \(path)"
        guard H5Aexists(object, name) > 0 else {
            H5Eclear2(tt_H5E_DEFAULT())
            throw RecordError.missingAttribute(file: file, path: path, name: name)
        }
        let attribute = try HDF5Library.id(H5Aopen(object, name, tt_H5P_DEFAULT()), file: file, operation)
        defer { H5Aclose(attribute) }
        let fileType = try HDF5Library.id(H5Aget_type(attribute), file: file, operation)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING, H5Tis_variable_str(fileType) > 0 else {
            throw RecordError.wrongAttributeType(file: file, path: path, name: name,
                                                 expected: "variable-length string", found: "another type")
        }
        let memoryType = try stringType(file: file)
        defer { H5Tclose(memoryType) }
        try HDF5Library.check(writeStrings([value], attribute: attribute, type: memoryType), file: file, operation)
    }

    private static func writeStrings(_ strings: [String], attribute: hid_t, type: hid_t) -> herr_t {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBytes { H5Awrite(attribute, type, $0.baseAddress) }
    }

    /// Names of all attributes of `object`, sorted.
    static func names(of object: hid_t, file: String, path: String) throws -> [String] {
        let count = tt_H5_num_attrs(object)
        guard count >= 0 else {
            throw RecordError.hdf5(file: file, operation: "count attributes of \(path)", reason: HDF5Library.takeErrorMessage())
        }
        var names: [String] = []
        for index in 0..<hsize_t(count) {
            let length = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, tt_H5P_DEFAULT())
            guard length >= 0 else {
                throw RecordError.hdf5(file: file, operation: "H5Aget_name_by_idx \(path)", reason: HDF5Library.takeErrorMessage())
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, tt_H5P_DEFAULT())
            names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names.sorted()
    }

    /// Reads attribute `name` of `object`. Strings (variable or fixed length), integers and
    /// reals are supported; scalars give `.string`/`.int`/`.double`, 1-D arrays the array cases.
    static func read(_ name: String, of object: hid_t, file: String, path: String) throws -> AttributeValue {
        guard H5Aexists(object, name) > 0 else {
            H5Eclear2(tt_H5E_DEFAULT())
            throw RecordError.missingAttribute(file: file, path: path, name: name)
        }
        let operation = "read attribute \(name) on \(path)"
        let attribute = try HDF5Library.id(H5Aopen(object, name, tt_H5P_DEFAULT()), file: file, operation)
        defer { H5Aclose(attribute) }
        let type = try HDF5Library.id(H5Aget_type(attribute), file: file, operation)
        defer { H5Tclose(type) }
        let space = try HDF5Library.id(H5Aget_space(attribute), file: file, operation)
        defer { H5Sclose(space) }

        let rank = Int(H5Sget_simple_extent_ndims(space))
        let count = Int(H5Sget_simple_extent_npoints(space))
        let isArray = rank >= 1
        func unsupported(_ what: String) -> RecordError {
            .wrongAttributeType(file: file, path: path, name: name, expected: "string, integer or real", found: what)
        }

        switch H5Tget_class(type) {
        case H5T_STRING:
            let strings = try readStrings(attribute: attribute, fileType: type, space: space, count: count,
                                          file: file, operation: operation)
            return isArray ? .strings(strings) : .string(strings.first ?? "")
        case H5T_INTEGER:
            var values = [Int64](repeating: 0, count: count)
            if count > 0 {
                try HDF5Library.check(values.withUnsafeMutableBytes { H5Aread(attribute, tt_H5T_NATIVE_INT64(), $0.baseAddress) },
                                      file: file, operation)
            }
            return isArray ? .ints(values) : .int(values.first ?? 0)
        case H5T_FLOAT:
            var values = [Double](repeating: 0, count: count)
            if count > 0 {
                try HDF5Library.check(values.withUnsafeMutableBytes { H5Aread(attribute, tt_H5T_NATIVE_DOUBLE(), $0.baseAddress) },
                                      file: file, operation)
            }
            return isArray ? .doubles(values) : .double(values.first ?? 0)
        default:
            throw unsupported("of an unsupported HDF5 type")
        }
    }

    private static func readStrings(attribute: hid_t, fileType: hid_t, space: hid_t, count: Int,
                                    file: String, operation: String) throws -> [String] {
        guard count > 0 else { return [] }
        if H5Tis_variable_str(fileType) > 0 {
            let memoryType = try stringType(file: file)
            defer { H5Tclose(memoryType) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try HDF5Library.check(pointers.withUnsafeMutableBytes { H5Aread(attribute, memoryType, $0.baseAddress) },
                                  file: file, operation)
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = pointers.withUnsafeMutableBytes { tt_H5_vlen_reclaim(memoryType, space, $0.baseAddress) }
            return strings
        }
        let size = H5Tget_size(fileType)
        let memoryType = try HDF5Library.id(H5Tcopy(fileType), file: file, operation)
        defer { H5Tclose(memoryType) }
        var bytes = [UInt8](repeating: 0, count: size * count)
        try HDF5Library.check(bytes.withUnsafeMutableBytes { H5Aread(attribute, memoryType, $0.baseAddress) },
                              file: file, operation)
        return (0..<count).map { index in
            let slice = bytes[(index * size)..<((index + 1) * size)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
        }
    }
}
