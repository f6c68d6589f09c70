#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ValleyCore

/// The character encodings a table file may be in.
///
/// Decoding other than UTF-8 goes through glibc's `iconv` (GB18030 is a mapping table of
/// 63,000 entries; glibc ships it), so no encoding tables are compiled into Valley.
public enum TextEncoding: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// UTF-8, with or without a byte-order mark.
    case utf8 = "utf-8"
    /// UTF-16 little-endian (with a BOM when detected).
    case utf16le = "utf-16le"
    /// UTF-16 big-endian.
    case utf16be = "utf-16be"
    /// GB18030, the superset of GBK and GB2312 that Excel on Chinese Windows writes.
    case gb18030

    /// Accepts common spellings: `utf8`, `UTF-8`, `gbk`, `gb2312`, `cp936`, `utf16`.
    public init?(argument: String) {
        let key = argument.lowercased().filter { $0 != "-" && $0 != "_" }
        switch key {
        case "utf8": self = .utf8
        case "utf16", "utf16le": self = .utf16le
        case "utf16be": self = .utf16be
        case "gb18030", "gbk", "gb2312", "cp936", "936": self = .gb18030
        default: return nil
        }
    }

    /// The name iconv knows.
    var iconvName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16le: return "UTF-16LE"
        case .utf16be: return "UTF-16BE"
        case .gb18030: return "GB18030"
        }
    }

    /// The encoding of a file from its first bytes: a byte-order mark decides; otherwise
    /// UTF-8 when the bytes are valid UTF-8 (a character cut at the end of `head` is allowed),
    /// else GB18030. Returns the encoding and the length of the mark.
    static func detect(head: [UInt8]) -> (encoding: TextEncoding, bom: Int, detected: String) {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3, "UTF-8 with BOM") }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16le, 2, "UTF-16LE with BOM") }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16be, 2, "UTF-16BE with BOM") }
        if isUTF8(head, allowCutEnd: true) { return (.utf8, 0, "UTF-8") }
        return (.gb18030, 0, "GB18030 (not valid UTF-8)")
    }

    static func isUTF8(_ bytes: [UInt8], allowCutEnd: Bool) -> Bool {
        var end = bytes.count
        if allowCutEnd {
            // Step back over a character the head may have cut (at most 3 continuation bytes).
            var back = end - 1
            while back >= 0, end - back <= 4, bytes[back] & 0xC0 == 0x80 { back -= 1 }
            if back >= 0, bytes[back] >= 0xC0 { end = back }
        }
        return String(validating: bytes[..<end], as: UTF8.self) != nil
    }

    /// The bytes converted to UTF-8; an invalid sequence is an error naming its line.
    func toUTF8(_ bytes: ArraySlice<UInt8>, name: String) throws -> [UInt8] {
        if self == .utf8 { return Array(bytes) }
        guard let converter = iconv_open("UTF-8", iconvName), converter != iconv_t(bitPattern: -1) else {
            throw ValleyError.refused("this system's iconv cannot decode \(iconvName)")
        }
        defer { iconv_close(converter) }
        var input = Array(bytes)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inputLeft = input.count
        var outputLeft = output.count
        var failedAt: Int?
        input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                source.baseAddress!.withMemoryRebound(to: CChar.self, capacity: source.count) { sourceStart in
                    target.baseAddress!.withMemoryRebound(to: CChar.self, capacity: target.count) { targetStart in
                        var inPointer: UnsafeMutablePointer<CChar>? = sourceStart
                        var outPointer: UnsafeMutablePointer<CChar>? = targetStart
                        if iconv(converter, &inPointer, &inputLeft, &outPointer, &outputLeft) == -1 {
                            failedAt = source.count - inputLeft
                        }
                    }
                }
            }
        }
        if let failedAt {
            let line = 1 + input[..<failedAt].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw ValleyError.located(file: name, line: line, .invalidValue(
                field: "text", value: "bytes \(input[failedAt..<min(failedAt + 4, input.count)].map { String($0, radix: 16) }.joined(separator: " "))",
                expected: "valid \(iconvName)" + (self == .gb18030 ? " (the file is not UTF-8 either)" : "")
                    + "; give the file's encoding with --encoding (utf-8, gb18030, utf-16le, utf-16be)"))
        }
        output.removeSubrange((output.count - outputLeft)...)
        return output
    }
}
