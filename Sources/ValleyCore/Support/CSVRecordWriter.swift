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
        separate()
        fieldStart = bytes.count
    }

    /// The comma before every field of a record but its first.
    @inlinable mutating func separate() {
        if fieldsInRecord > 0 { bytes.append(UInt8(ascii: ",")) }
        fieldsInRecord += 1
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
        text.withUnsafeBufferPointer { appendQuoted($0) }
    }

    /// Appends UTF-8 text as a quoted field, its quotes doubled.
    mutating func appendQuoted(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<text.count where text[index] == UInt8(ascii: "\"") {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...index]))
            runStart = index  // the quote is written again as the next run's first byte
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a field of text (nil is empty).
    ///
    /// The text's bytes are looked at where they are and copied once, quoted or not: copying
    /// them through `append(contentsOf: text.utf8)` and then looking for quotes in the copy
    /// was a fifth of a million-row export.
    /// - Complexity: O(length of the text).
    public mutating func field(_ text: String?) {
        separate()
        guard let text else { return }
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            if CSVWriter.needsQuotes(utf8) { appendQuoted(utf8) } else { bytes.append(contentsOf: utf8) }
        }
        if written == nil {
            // Text without contiguous UTF-8 (bridged): through a copy.
            fieldStart = bytes.count
            bytes.append(contentsOf: text.utf8)
            endField()
        }
    }

    /// Writes text kept as bytes (nil is empty).
    /// - Complexity: O(length of the text), no allocation.
    public mutating func field(_ text: ArenaText?) {
        separate()
        text?.withUTF8 { utf8 in
            if CSVWriter.needsQuotes(utf8) { appendQuoted(utf8) } else { bytes.append(contentsOf: utf8) }
        }
    }

    /// Writes a packed credit code, or `other` when there is none (nil is empty).
    /// - Complexity: O(1) for a packed code, no allocation.
    public mutating func field(_ code: CreditCode.Packed?, else other: @autoclosure () -> String?) {
        guard let code else { return field(other()) }
        beginField()
        // Letters and digits: never quoted.
        code.withUTF8 { bytes.append(contentsOf: $0) }
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
    ///
    /// The items come as a span (`array.span`), which borrows the array where it is: handed
    /// over as an array, a list that many records share (sectors, sources) was retained and
    /// released for each record, on every core at once.
    /// - Complexity: O(length of the field).
    @inlinable public mutating func field<Element>(joining items: Span<Element>, separator: UInt8, _ item: (borrowing Element, inout [UInt8]) -> Void) {
        beginField()
        for index in items.indices {
            if index > 0 { bytes.append(separator) }
            item(items[index], &bytes)
        }
        endField()
    }

    /// Writes `count` empty fields.
    /// - Complexity: O(count)
    public mutating func emptyFields(_ count: Int) {
        for _ in 0..<count { separate() }
    }

    /// Ends the record with CRLF.
    /// - Complexity: O(1)
    public mutating func endRecord() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        fieldsInRecord = 0
    }
}

extension Array where Element == UInt8 {
    /// Appends a string's UTF-8 bytes, copied from where they are (`append(contentsOf:
    /// text.utf8)` went through the sequence's iterator protocol).
    /// - Complexity: O(length of the text).
    @inlinable package mutating func append(utf8 text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if copied == nil { append(contentsOf: text.utf8) }
    }
}
