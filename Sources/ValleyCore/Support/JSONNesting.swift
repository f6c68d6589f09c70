#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A guard for JSON from outside valley (workspaces, journals, imports, plugins) before it
/// reaches Foundation's `JSONDecoder`.
///
/// Foundation's scanner refuses input nested deeper than 512 levels by throwing, except when
/// the 513th level opens on the input's last byte: building that error's source location then
/// traps, ending the process (a 513-byte `[[[…` file; found by the workspace fuzzer). Input is
/// refused here first, with the byte where it goes too deep.
public enum JSONNesting {
    /// The deepest nesting of arrays and objects accepted: Foundation's own limit.
    public static let limit = 512

    /// What is wrong with `data`'s nesting, naming the byte, or nil when it is within `limit`.
    /// - Complexity: O(n)
    public static func problem(in data: Data) -> String? {
        tooDeep(data).map { "arrays and objects nested deeper than \(limit) levels (at byte \($0 + 1))" }
    }

    /// The offset of the first byte that opens an array or object deeper than `limit`, or nil.
    /// Strings (and the brackets in them) are skipped; the brackets need not balance (the
    /// decoder reports that).
    /// - Complexity: O(n)
    public static func tooDeep(_ data: Data) -> Int? {
        data.withUnsafeBytes { bytes in
            var depth = 0
            var inString = false, escaped = false
            for index in bytes.indices {
                let byte = bytes[index]
                if inString {
                    if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                    continue
                }
                switch byte {
                case 0x22: inString = true
                case 0x5B, 0x7B:
                    depth += 1
                    if depth > limit { return index }
                case 0x5D, 0x7D: depth -= 1
                default: break
                }
            }
            return nil
        }
    }
}

extension JSONDecoder {
    /// Decodes JSON from outside valley: as `decode(_:from:)`, after refusing input nested
    /// deeper than `JSONNesting.limit` with a `DecodingError.dataCorrupted` that names the byte
    /// (see `JSONNesting`).
    /// - Complexity: O(n) for the check, plus the decoding.
    public func decodeChecked<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let problem = JSONNesting.problem(in: data) {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: problem))
        }
        return try decode(type, from: data)
    }
}
