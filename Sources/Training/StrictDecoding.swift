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
