#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ValleyCore

/// The JSON text of list and nested columns.
///
/// Lists of strings (a registry row has three or four) are written and read here by hand:
/// through `JSONEncoder`/`JSONDecoder` each costs a few microseconds of set-up, which at a
/// million rows is seconds. Everything else goes through the streaming encoder and Foundation's
/// decoder. Both sides write and read standard JSON, so `json_each` in sqlite3 and DuckDB's
/// JSON functions read the columns.
enum JSONText {
    /// A JSON string literal.
    static func string(_ text: String) -> String { TableRenderer.jsonString(text) }

    /// A JSON array of strings, compact: `["a","b"]`.
    static func array(_ strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        var out = "["
        for (index, text) in strings.enumerated() {
            if index > 0 { out += "," }
            out += TableRenderer.jsonString(text)
        }
        return out + "]"
    }

    /// The compact JSON of any value.
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try StreamingJSONEncoder().encode(value), as: UTF8.self)
    }

    /// Parses a JSON array of strings; nil when the text is anything else (the caller then
    /// goes the general way, which reports the error).
    static func parseStrings(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { parseStrings(bytes: $0) }
    }

    /// `parseStrings` over UTF-8 bytes.
    static func parseStrings(bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        do {
            var index = 0
            func skipSpace() {
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == 0x5B else { return nil }  // [
            index += 1
            skipSpace()
            var strings: [String] = []
            if index < bytes.count, bytes[index] == 0x5D {  // ]
                index += 1
                skipSpace()
                return index == bytes.count ? strings : nil
            }
            while true {
                guard index < bytes.count, bytes[index] == 0x22 else { return nil }
                index += 1
                let start = index
                var escaped = false
                while index < bytes.count, bytes[index] != 0x22 {
                    if bytes[index] < 0x20 { return nil }  // a raw control character: not JSON
                    if bytes[index] == 0x5C { escaped = true; index += 1 }
                    index += 1
                }
                guard index < bytes.count else { return nil }
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if escaped {
                    guard let unescaped = unescape(raw) else { return nil }
                    strings.append(unescaped)
                } else {
                    guard let plain = String(validating: raw, as: UTF8.self) else { return nil }
                    strings.append(plain)
                }
                index += 1
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == 0x2C { index += 1; skipSpace(); continue }  // ,
                guard bytes[index] == 0x5D else { return nil }
                index += 1
                skipSpace()
                return index == bytes.count ? strings : nil
            }
        }
    }

    /// The string of an escaped JSON string body; nil when an escape is malformed.
    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = 0
        func hex4(at position: Int) -> UInt32? {
            guard position + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for byte in raw[position..<position + 4] {
                guard let digit = Character(UnicodeScalar(byte)).hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == 0x5C else { bytes.append(byte); index += 1; continue }
            guard index + 1 < raw.count else { return nil }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case 0x22, 0x5C, 0x2F: bytes.append(escape)
            case 0x62: bytes.append(0x08)
            case 0x66: bytes.append(0x0C)
            case 0x6E: bytes.append(0x0A)
            case 0x72: bytes.append(0x0D)
            case 0x74: bytes.append(0x09)
            case 0x75:
                guard var code = hex4(at: index) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(code) {
                    guard index + 6 <= raw.count, raw[index] == 0x5C, raw[index + 1] == 0x75,
                          let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low) else { return nil }
                    index += 6
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                bytes.append(contentsOf: String(Character(scalar)).utf8)
            default: return nil
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
