/// The value of an HDF5 attribute as records use them.
///
/// Strings are stored as variable-length UTF-8 (h5py reads them as Python `str`), string
/// arrays as one-dimensional arrays of such strings, integers as little-endian Int64 and
/// reals as Float64; arrays are one-dimensional.
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case strings([String])
    case int(Int64)
    case ints([Int64])
    case double(Double)
    case doubles([Double])

    /// A short name of the kind of value, used in error messages ("string", "string array", ...).
    public var kindName: String {
        switch self {
        case .string: return "string"
        case .strings: return "string array"
        case .int: return "integer"
        case .ints: return "integer array"
        case .double: return "real"
        case .doubles: return "real array"
        }
    }

    public var description: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .strings(let s): return "\(s)"
        case .int(let v): return "\(v)"
        case .ints(let v): return "\(v)"
        case .double(let v): return "\(v)"
        case .doubles(let v): return "\(v)"
        }
    }
}
