/// Fuzzy matching of record names: the one normalisation and the one score that the store's
/// name index, `registry find`, `registry duplicates` and completion share.
public enum NameSearch {
    /// Lower case, without spaces and punctuation: the letters and digits of any script.
    ///
    /// Made on the name's bytes (`NameSearchIndex.appendNormalised`) where lowercasing leaves
    /// all but ASCII capitals alone, through `String` otherwise (`normalisedByProperties`).
    /// - Complexity: O(length of `name`).
    public static func normalised(_ name: String) -> String {
        var bytes: [UInt8] = []
        NameSearchIndex.appendNormalised(name, to: &bytes)
        if !bytes.isEmpty { bytes.removeLast() }  // the separator the index puts after a name
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `normalised` through `String.lowercased()` and the Unicode properties of each scalar:
    /// the definition the byte paths reproduce.
    static func normalisedByProperties(_ name: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in name.lowercased().unicodeScalars where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            kept.append(scalar)
        }
        return String(kept)
    }

    /// How well normalised `name` matches normalised `query`: 100 exact, 80 prefix, 60
    /// substring, 50 − gaps (at least 30) for a subsequence, 25 one edit away, else 0.
    /// - Complexity: O(length of `name`), or O(length²) for the edit distance of a name of at
    ///   most 40 characters.
    public static func score(query: String, name: String) -> Int {
        if name.isEmpty { return 0 }
        if name == query { return 100 }
        if name.hasPrefix(query) { return 80 }
        if name.contains(query) { return 60 }
        var gaps = 0
        var iterator = name.makeIterator()
        var matchedAll = true
        for character in query {
            var found = false
            while let next = iterator.next() {
                if next == character { found = true; break }
                gaps += 1
            }
            if !found { matchedAll = false; break }
        }
        if matchedAll { return max(30, 50 - gaps) }
        if abs(name.count - query.count) <= 1, name.count <= 40, Suggestion.editDistance(Array(query), Array(name)) <= 1 { return 25 }
        return 0
    }
}

extension NameSearch {
    /// `name.lowercased()` as UTF-8, made on the bytes when lowercasing changes only ASCII
    /// capitals (true of English and Chinese names); nil for a name with another scalar that
    /// lowercasing changes, or one beyond the Basic Multilingual Plane.
    /// - Complexity: O(length of `name`).
    public static func lowercasedBytes(_ name: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        return lowercasedBytes(name, into: &bytes) ? bytes : nil
    }

    /// `lowercasedBytes(name)` into `bytes` (emptied first, its storage kept: a scan of a
    /// million names allocates nothing); false where that gives nil.
    /// - Complexity: O(length of `name`).
    public static func lowercasedBytes(_ name: String, into bytes: inout [UInt8]) -> Bool {
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(name.utf8.count)
        var utf8 = name.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte | 0x20)
            case 0..<0x80: bytes.append(byte)
            case 0xC0..<0xE0:
                let second = utf8.next() ?? 0
                guard NameSearchIndex.bmpClasses[Int(byte & 0x1F) << 6 | Int(second & 0x3F)] < 2 else { return false }
                bytes.append(byte)
                bytes.append(second)
            case 0xE0..<0xF0:
                let second = utf8.next() ?? 0
                let third = utf8.next() ?? 0
                guard NameSearchIndex.bmpClasses[Int(byte & 0x0F) << 12 | Int(second & 0x3F) << 6 | Int(third & 0x3F)] < 2 else { return false }
                bytes.append(byte)
                bytes.append(second)
                bytes.append(third)
            default: return false
            }
        }
        return true
    }

    /// `normalised` of the UTF-8 of a lower-case name from `lowercasedBytes`.
    /// - Complexity: O(length of `bytes`).
    public static func normalised(lowercasedBytes bytes: ArraySlice<UInt8>) -> String {
        var kept: [UInt8] = []
        appendNormalised(lowercasedBytes: bytes, to: &kept)
        return String(decoding: kept, as: UTF8.self)
    }

    /// Appends the UTF-8 of `normalised(lowercasedBytes:)` to `text`.
    /// - Complexity: O(length of `bytes`).
    public static func appendNormalised(lowercasedBytes bytes: ArraySlice<UInt8>, to text: inout [UInt8]) {
        NameSearchIndex.appendNormalised(bytes: bytes, to: &text)
    }
}
