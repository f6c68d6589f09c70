/// Appends JSON to a byte buffer: the rows the plugin host streams to a plugin and the records
/// of a JSON export (a million records through `Codable` cost seconds in generic metadata
/// lookups; these are plain strings and numbers). Numbers and strings are written as
/// `StreamingJSONEncoder` writes them.
package struct JSONBytes {
    package var bytes: [UInt8] = []

    package init() {}

    package mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    package mutating func string(_ text: String) {
        bytes.append(0x22)
        // The bytes where they are (`withUTF8` needs a mutable copy of the string).
        let escaped: Void? = text.utf8.withContiguousStorageIfAvailable { escape($0) }
        if escaped == nil { Array(text.utf8).withUnsafeBufferPointer { escape($0) } }
        bytes.append(0x22)
    }

    /// `string(_:)` for text given as UTF-8 bytes.
    package mutating func string(utf8 text: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        escape(text)
        bytes.append(0x22)
    }

    /// Appends UTF-8 text with JSON's escapes, without the quotes.
    private mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            switch byte {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            default:
                let digits: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
            }
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    /// A number as `StreamingJSONEncoder` writes it (integral values without a fraction, -0 as
    /// `-0.0`); `null` for one that is not finite.
    package mutating func number(_ value: Double) {
        if value.isZero {
            if value.sign == .minus { raw("-0.0") } else { raw("0") }
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else if value.isFinite {
            bytes.append(contentsOf: "\(value)".utf8)
        } else {
            raw("null")
        }
    }

    /// An integer.
    package mutating func number(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A date as its ISO string.
    package mutating func date(_ value: CalendarDate) {
        bytes.append(0x22)
        value.appendDescription(to: &bytes)
        bytes.append(0x22)
    }

    /// `"key":`, for keys that need no escape.
    package mutating func key(_ key: StaticString) {
        bytes.append(0x22)
        raw(key)
        raw("\":")
    }

    /// An array of strings.
    /// - Complexity: O(length of the JSON).
    package mutating func strings(_ items: Span<String>) {
        array(items) { item, json in json.string(item) }
    }

    /// An array whose elements `element` appends.
    ///
    /// The items come as a span (`array.span`), which borrows the array where it is: handed
    /// over as an array, a list that many records share (sectors, sources) was retained and
    /// released for each record, on every core at once.
    /// - Complexity: O(length of the JSON).
    package mutating func array<Element>(_ items: Span<Element>, _ element: (borrowing Element, inout JSONBytes) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for index in items.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element(items[index], &self)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
