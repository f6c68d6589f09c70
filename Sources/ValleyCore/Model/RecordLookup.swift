/// Finding a record by id or by any of its names: the one resolver every command uses.
extension ClusterModel {
    /// The record `name` names: the one whose id equals it (an O(1) index lookup), or else the
    /// one whose id or names (`RecordKind.names`: English and Chinese names, aliases) equal it
    /// ignoring case. No match is an error with "did you mean" suggestions; several matches
    /// are an error listing their ids.
    /// - Complexity: O(1) on average for an id; O(n) for a name or an unknown name.
    public func resolve<R: Record>(_ type: R.Type, _ name: String) throws -> R {
        let table = self[R.self]
        if let exact = table[id: name] { return exact }
        let names = R.kind.names
        let wanted = CaseInsensitiveText(name)
        var matches: [R] = []
        if let indexed = indexedMatches(table, name) {
            matches = indexed.filter { wanted.equals($0.id) || names($0).contains(where: wanted.equals) }
        } else {
            for record in table {
                if wanted.equals(record.id) || names(record).contains(where: wanted.equals) { matches.append(record) }
            }
        }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw ValleyError.notFound(kind: R.kind.label, name: name, suggestions: suggestions(R.self, for: name))
        }
        throw ValleyError.ambiguous(kind: R.kind.label, name: name, candidates: matches.map(\.id))
    }

    /// The records whose id or a name may equal `name` ignoring case, from the table's name
    /// index (names equal ignoring case are equal once normalised: score 100); nil when the
    /// table has no index, the text normalises to nothing, or the search is cut short.
    /// - Complexity: O(records found) through the index.
    private func indexedMatches<R: Record>(_ table: RecordTable<R>, _ name: String) -> [R]? {
        guard table.nameSearch != nil, !NameSearch.normalised(name).isEmpty else { return nil }
        let limit = 64
        var reader = table  // not changed: the index exists, so nothing is built or copied
        guard let found = try? reader.searchNames(for: name, limit: limit) else { return nil }
        let exact = found.filter { $0.score == 100 }
        guard exact.count < limit else { return nil }
        return exact.compactMap { table[id: $0.id] }
    }

    /// The id of the record `name` names (see `resolve(_:_:)`).
    public func resolveID<R: Record>(_ type: R.Type, _ name: String) throws -> String { try resolve(type, name).id }

    /// Tables larger than this get prefix and substring suggestions only (no edit distance),
    /// so that a typo in a 1M-row registry costs a scan, not seconds.
    static let fuzzySuggestionLimit = 50_000

    /// Quoted ids (with the name in parentheses where a name was the close match) of records
    /// whose id or names are close to `name`: `'iaso-bio' (IASO Bio)`.
    /// - Complexity: O(n·k²) for n records with names of length about k; above
    ///   `fuzzySuggestionLimit` records, one pass comparing bytes (O(total length of the names)).
    public func suggestions<R: Record>(_ type: R.Type, for name: String, limit: Int = 3) -> [String] {
        let table = self[R.self]
        let names = R.kind.names
        var owner: [String: String] = [:]
        var candidates: [String] = []
        let fuzzy = table.count <= Self.fuzzySuggestionLimit
        let wanted = CaseInsensitiveText(name)
        func consider(_ candidate: String, id: String) {
            // The substring test first: in a large table almost nothing passes it, and a
            // dictionary lookup per name would cost more than the scan (issue 16: a miss at
            // 1M rows took 4.6 s).
            if !fuzzy, !wanted.isContained(in: candidate) { return }
            guard owner[candidate] == nil else { return }
            owner[candidate] = id
            candidates.append(candidate)
        }
        if !fuzzy, table.nameSearch != nil {
            // The table's name index ranks ids and names that contain the text or are a typo
            // away from it: the same candidates in milliseconds, and more of them.
            var reader = table  // not changed: the index exists, so nothing is built or copied
            for match in (try? reader.searchNames(for: name, limit: limit * 8)) ?? [] {
                guard owner[match.name] == nil else { continue }
                owner[match.name] = match.id
                candidates.append(match.name)
            }
        } else {
            for record in table {
                consider(record.id, id: record.id)
                for candidate in names(record) { consider(candidate, id: record.id) }
            }
        }
        var result: [String] = []
        for candidate in Suggestion.closest(to: name, among: candidates, limit: limit * 2) {
            guard let id = owner[candidate] else { continue }
            // One suggestion per record: its id, quoted, with the name that matched.
            let text = Suggestion.folded(candidate) == Suggestion.folded(id) ? "'\(id)'" : "'\(id)' (\(candidate))"
            if !result.contains(where: { $0.hasPrefix("'\(id)'") }) { result.append(text) }
            if result.count == limit { break }
        }
        return result
    }
}

/// A text compared ignoring case, as `lowercased()` compares, but on bytes where that cannot
/// differ: for an ASCII text, a candidate with no byte above 0x7F needs no lower-case copy,
/// and one with such bytes can match only through the few characters whose lower case is
/// ASCII (the Kelvin sign K, U+212A); only those candidates take the `String` path.
struct CaseInsensitiveText {
    let lowered: String
    private let bytes: [UInt8]
    private let isASCII: Bool

    init(_ text: String) {
        lowered = text.lowercased()
        bytes = Array(lowered.utf8)
        isASCII = bytes.allSatisfy { $0 < 0x80 }
    }

    @inline(__always) private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether a non-ASCII candidate could still lower-case to ASCII bytes that matter (it
    /// holds the Kelvin sign, E2 84 AA).
    private static func mayFoldToASCII(_ candidate: String) -> Bool {
        // On bytes: `String.contains` breaks graphemes, and ran on every Chinese name.
        var candidate = candidate
        return candidate.withUTF8 { utf8 in
            guard utf8.count >= 3 else { return false }
            for index in 0..<(utf8.count - 2) where utf8[index] == 0xE2 && utf8[index + 1] == 0x84 && utf8[index + 2] == 0xAA { return true }
            return false
        }
    }

    /// `candidate.lowercased() == text.lowercased()`.
    /// - Complexity: O(length of the candidate), without allocating for ASCII texts.
    func equals(_ candidate: String) -> Bool {
        guard isASCII else { return candidate.lowercased() == lowered }
        var candidate = candidate
        let fast: Bool? = candidate.withUTF8 { utf8 in
            if utf8.count != bytes.count {
                // Different lengths can still be equal only through a non-ASCII character.
                return utf8.contains(where: { $0 >= 0x80 }) ? nil : false
            }
            for index in 0..<utf8.count {
                let byte = utf8[index]
                if byte >= 0x80 { return nil }
                if Self.lower(byte) != bytes[index] { return false }
            }
            return true
        }
        if let fast { return fast }
        return Self.mayFoldToASCII(candidate) && candidate.lowercased() == lowered
    }

    /// `candidate.lowercased().contains(text.lowercased())`.
    /// - Complexity: O(length of the candidate × length of the text) at worst, without
    ///   allocating for ASCII texts.
    func isContained(in candidate: String) -> Bool {
        guard isASCII, !bytes.isEmpty else { return candidate.lowercased().contains(lowered) }
        var candidate = candidate
        let found: Bool = candidate.withUTF8 { utf8 in
            guard utf8.count >= bytes.count else { return false }
            let first = bytes[0]
            var start = 0
            while start + bytes.count <= utf8.count {
                if Self.lower(utf8[start]) == first {
                    var index = 1
                    while index < bytes.count, Self.lower(utf8[start + index]) == bytes[index] { index += 1 }
                    if index == bytes.count { return true }
                }
                start += 1
            }
            return false
        }
        return found || (Self.mayFoldToASCII(candidate) && candidate.lowercased().contains(lowered))
    }
}
