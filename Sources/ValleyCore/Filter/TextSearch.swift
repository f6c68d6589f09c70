#if canImport(Glibc)
import Glibc
#endif

/// Case-insensitive text tests on UTF-8 bytes, without lowercasing (and so allocating) a copy
/// of every row's text: `~` over a million Chinese names lowercased each one and took 2.3 s.
///
/// The result is the same as comparing `text.lowercased()` with the lowercased literal when
/// either the literal has no cased letters (Chinese, digits, punctuation: then case cannot
/// matter, and bytes are compared as they are) or the text is ASCII (then ASCII folding is the
/// whole of lowercasing). Any other text takes the general path. One difference is kept on
/// purpose: bytes match where a combining mark follows the match in the text ("1" is found in
/// "1\u{301}"), which `String.contains`, comparing whole characters, would not report.
struct TextSearch: Sendable {
    /// The literal, lowercased.
    let lowered: String
    private let bytes: [UInt8]
    private let isCaseless: Bool

    init(lowered: String) {
        self.lowered = lowered
        self.bytes = Array(lowered.utf8)
        self.isCaseless = lowered.uppercased() == lowered
    }

    /// True when `text` contains the literal, ignoring case.
    func isContained(in text: String) -> Bool {
        if bytes.isEmpty { return true }
        if isCaseless { return Self.find(bytes, in: text, foldingASCII: false) }
        if Self.isASCII(text) { return Self.find(bytes, in: text, foldingASCII: true) }
        return text.lowercased().contains(lowered)
    }

    /// True when `text` equals the literal, ignoring case.
    func isEqual(to text: String) -> Bool {
        if isCaseless { return text.utf8.elementsEqual(bytes) }
        if Self.isASCII(text) {
            return text.utf8.count == bytes.count && zip(text.utf8, bytes).allSatisfy { Self.fold($0) == $1 }
        }
        return text.lowercased() == lowered
    }

    /// `isContained(in:)` for ASCII text given as bytes.
    func isContained(inASCII text: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return true }
        return Self.search(bytes, in: text, foldingASCII: !isCaseless)
    }

    /// `isEqual(to:)` for ASCII text given as bytes.
    func isEqual(toASCII text: UnsafeBufferPointer<UInt8>) -> Bool {
        if isCaseless { return text.elementsEqual(bytes) }
        return text.count == bytes.count && zip(text, bytes).allSatisfy { Self.fold($0) == $1 }
    }

    static func fold(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { buffer in buffer.allSatisfy { $0 < 0x80 } } ?? text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Finds `needle` in the UTF-8 bytes of `text` (memmem when no folding is needed).
    static func find(_ needle: [UInt8], in text: String, foldingASCII: Bool) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { haystack -> Bool in
            search(needle, in: haystack, foldingASCII: foldingASCII)
        }
        if let found { return found }
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer { search(needle, in: $0, foldingASCII: foldingASCII) }
    }

    private static func search(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, foldingASCII: Bool) -> Bool {
        guard haystack.count >= needle.count, let base = haystack.baseAddress else { return false }
        if !foldingASCII {
            // memchr for the first byte, memcmp for the rest (memmem is a GNU extension Swift's
            // Glibc module does not export).
            return needle.withUnsafeBytes { wanted -> Bool in
                let first = Int32(needle[0]), end = base + haystack.count
                var cursor = base
                while end - cursor >= needle.count {
                    guard let hit = memchr(cursor, first, end - cursor - needle.count + 1) else { return false }
                    let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(at, wanted.baseAddress!, needle.count) == 0 { return true }
                    cursor = at + 1
                }
                return false
            }
        }
        let first = needle[0], last = haystack.count - needle.count
        var start = 0
        while start <= last {
            if fold(haystack[start]) == first {
                var offset = 1
                while offset < needle.count, fold(haystack[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}
