/// Swift scalar types that map one-to-one onto a `RecordElementType`.
public protocol RecordElement: Sendable {
    /// The element type a dataset of this Swift type stores.
    static var recordElementType: RecordElementType { get }
    /// Zero of this type (for buffers).
    static var zero: Self { get }
}

extension Float: RecordElement {
    public static var recordElementType: RecordElementType { .float32 }
}

extension Double: RecordElement {
    public static var recordElementType: RecordElementType { .float64 }
}

extension Int64: RecordElement {
    public static var recordElementType: RecordElementType { .int64 }
}

extension UInt64: RecordElement {
    public static var recordElementType: RecordElementType { .uint64 }
}
