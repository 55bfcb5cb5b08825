/// A coding key for any string, used to list the keys a JSON object actually holds.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Throws a `HyperparameterError` naming the first key of the decoder's object that is not in
/// `Keys`, so a misspelt configuration field (`"momentun"`) is an error instead of being ignored.
func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(
    in decoder: any Decoder, allowed _: Keys.Type, context: String
) throws {
    let allowed = Set(Keys.allCases.map(\.stringValue))
    let container = try decoder.container(keyedBy: AnyCodingKey.self)
    for key in container.allKeys.map(\.stringValue).sorted() where !allowed.contains(key) {
        throw HyperparameterError(
            field: key,
            message: "\(key) is not a field of \(context) (fields: \(allowed.sorted().joined(separator: ", ")))")
    }
}

extension KeyedDecodingContainer {
    /// A seed: a non-negative integer. Decoded as a signed number first, so that a negative
    /// value is an error naming the field (Foundation's decoder reports a negative number for
    /// an unsigned field as invalid JSON, without the field).
    func decodeSeedIfPresent(forKey key: Key, field: String) throws -> UInt64? {
        guard contains(key) else { return nil }
        if let signed = try? decode(Int64.self, forKey: key) {
            guard signed >= 0 else {
                throw HyperparameterError(field: field, message: "\(field) must be a non-negative integer (got \(signed))")
            }
            return UInt64(signed)
        }
        return try decode(UInt64.self, forKey: key)
    }
}
