/// Writes CSV records field by field straight into bytes: the bytes `CSVWriter.append` makes of
/// an array of strings, without the array or the strings.
///
/// A million-row export made a `[String]` of 25 fields per row (and a `String` per date and
/// per joined list) before writing them; making the bytes in place is what lets it keep up
/// with DuckDB's `COPY … TO`.
public struct CSVRecordWriter {
    /// The records written so far.
    public var bytes: [UInt8]
    @usableFromInline var fieldStart = 0
    @usableFromInline var fieldsInRecord = 0

    /// A writer whose buffer holds `capacity` bytes before it grows.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Calls `body` with a writer that appends records to `bytes`.
    /// - Complexity: O(1) besides `body`.
    @inlinable public static func appending(to bytes: inout [UInt8], _ body: (inout CSVRecordWriter) throws -> Void) rethrows {
        var writer = CSVRecordWriter()
        swap(&writer.bytes, &bytes)
        defer { swap(&writer.bytes, &bytes) }
        try body(&writer)
    }

    /// Starts the next field: what is appended to `bytes` until `endField()` is its text.
    /// - Complexity: O(1)
    @inlinable public mutating func beginField() {
        if fieldsInRecord > 0 { bytes.append(UInt8(ascii: ",")) }
        fieldsInRecord += 1
        fieldStart = bytes.count
    }

    /// Ends the field `beginField()` started, quoting it when it holds a comma, a quote or a
    /// line break (looked for among the scalars, `CSVWriter.needsQuotes`), quotes doubled.
    /// - Complexity: O(length of the field).
    @inlinable public mutating func endField() {
        let start = fieldStart
        let quote = bytes.withUnsafeBufferPointer { CSVWriter.needsQuotes(UnsafeBufferPointer(rebasing: $0[start...])) }
        if quote { quoteField(from: start) }
    }

    @usableFromInline mutating func quoteField(from start: Int) {
        let text = Array(bytes[start...])
        bytes.removeSubrange(start...)
        bytes.append(UInt8(ascii: "\""))
        for byte in text {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a field of text (nil is empty).
    /// - Complexity: O(length of the text).
    public mutating func field(_ text: String?) {
        beginField()
        if let text { bytes.append(contentsOf: text.utf8) }
        endField()
    }

    /// Writes a date in its ISO form (nil is empty).
    /// - Complexity: O(1)
    public mutating func field(_ date: CalendarDate?) {
        beginField()
        date?.appendDescription(to: &bytes)
    }

    /// Writes an integer (nil is empty).
    /// - Complexity: O(1)
    public mutating func field(_ number: Int?) {
        beginField()
        if let number { bytes.append(contentsOf: String(number).utf8) }
    }

    /// Writes a field made of `items` separated by `separator`, each item appended by `item`
    /// (which may append several parts; the field is quoted as a whole).
    /// - Complexity: O(length of the field).
    @inlinable public mutating func field<C: Collection>(joining items: C, separator: UInt8, _ item: (C.Element, inout [UInt8]) -> Void) {
        beginField()
        var first = true
        for element in items {
            if !first { bytes.append(separator) }
            first = false
            item(element, &bytes)
        }
        endField()
    }

    /// Ends the record with CRLF.
    /// - Complexity: O(1)
    public mutating func endRecord() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        fieldsInRecord = 0
    }
}
