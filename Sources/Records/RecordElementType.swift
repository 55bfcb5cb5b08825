import CHDF5

/// The numeric element types a record's datasets store.
public enum RecordElementType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// IEEE 754 single precision (4 bytes).
    case float32
    /// IEEE 754 double precision (8 bytes).
    case float64
    /// Signed 64-bit integer.
    case int64
    /// Unsigned 64-bit integer (RNG state).
    case uint64

    public var description: String { rawValue }

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// Whether the type stores integers.
    public var isInteger: Bool { self == .int64 || self == .uint64 }

    /// The little-endian type stored in the file.
    var fileType: hid_t {
        switch self {
        case .float32: return tt_H5T_IEEE_F32LE()
        case .float64: return tt_H5T_IEEE_F64LE()
        case .int64: return tt_H5T_STD_I64LE()
        case .uint64: return tt_H5T_STD_U64LE()
        }
    }

    /// The native in-memory type matching the Swift element type.
    var memoryType: hid_t {
        switch self {
        case .float32: return tt_H5T_NATIVE_FLOAT()
        case .float64: return tt_H5T_NATIVE_DOUBLE()
        case .int64: return tt_H5T_NATIVE_INT64()
        case .uint64: return tt_H5T_NATIVE_UINT64()
        }
    }

    /// The closest element type for an HDF5 datatype, or nil for non-numeric types.
    /// Integers narrower than 64 bits map to int64/uint64, floats to float32/float64 by size.
    static func of(hdf5Type type: hid_t) -> RecordElementType? {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            return size <= 4 ? .float32 : .float64
        case H5T_INTEGER:
            return H5Tget_sign(type) == H5T_SGN_NONE ? .uint64 : .int64
        default:
            return nil
        }
    }
}
