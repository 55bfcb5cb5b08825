import Foundation

/// A JSON document as a value (internal to the study code): what an `Encodable` encodes to, taken apart and compared
/// field by field. Integers keep their exact value (seeds are 64-bit).
enum JSONValue: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The JSON that `value` encodes to.
    init(encoding value: some Encodable) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !array.isAtEnd { values.append(try array.decode(JSONValue.self)) }
            self = .array(values)
        } else if let object = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var values: [String: JSONValue] = [:]
            for key in object.allKeys { values[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
            self = .object(values)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { self = .null }
            else if let value = try? single.decode(Bool.self) { self = .bool(value) }
            else if let value = try? single.decode(Int64.self) { self = .integer(value) }
            else if let value = try? single.decode(UInt64.self) { self = .unsigned(value) }
            else if let value = try? single.decode(Double.self) { self = .number(value) }
            else { self = .string(try single.decode(String.self)) }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .integer(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .unsigned(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .number(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .array(let values):
            var array = encoder.unkeyedContainer()
            for value in values { try array.encode(value) }
        case .object(let values):
            var object = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in values { try object.encode(value, forKey: AnyCodingKey(stringValue: key)) }
        }
    }

    /// Decodes `type` from this JSON.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: JSONEncoder().encode(self))
    }

    /// The object without `key` (other values unchanged).
    func removing(_ key: String) -> JSONValue {
        guard case .object(var values) = self else { return self }
        values[key] = nil
        return .object(values)
    }

    /// The numeric value, for comparing an integer with an equal floating-point number.
    var numericValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .unsigned(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The first field (a dotted path, e.g. `optimizer.learningRate`) that this JSON gives and
    /// `other` lacks or holds differently, or nil when every field given here is in `other`
    /// with the same value. Objects compare field by field (`other` may have more fields),
    /// arrays element by element (same length), numbers by value.
    func firstDifference(from other: JSONValue, path: String = "") -> String? {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            for key in mine.keys.sorted() {
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let value = theirs[key] else { return field }
                if let difference = mine[key]!.firstDifference(from: value, path: field) { return difference }
            }
            return nil
        case (.array(let mine), .array(let theirs)):
            guard mine.count == theirs.count else { return path.isEmpty ? "(the whole value)" : path }
            for (index, (a, b)) in zip(mine, theirs).enumerated() {
                if let difference = a.firstDifference(from: b, path: "\(path)[\(index)]") { return difference }
            }
            return nil
        default:
            if self == other { return nil }
            if let a = numericValue, let b = other.numericValue, a == b { return nil }
            return path.isEmpty ? "(the whole value)" : path
        }
    }
}
