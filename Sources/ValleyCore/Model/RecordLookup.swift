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
        let wanted = name.lowercased()
        var matches: [R] = []
        for record in table {
            if record.id.lowercased() == wanted || names(record).contains(where: { $0.lowercased() == wanted }) { matches.append(record) }
        }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw ValleyError.notFound(kind: R.kind.label, name: name, suggestions: suggestions(R.self, for: name))
        }
        throw ValleyError.ambiguous(kind: R.kind.label, name: name, candidates: matches.map(\.id))
    }

    /// The id of the record `name` names (see `resolve(_:_:)`).
    public func resolveID<R: Record>(_ type: R.Type, _ name: String) throws -> String { try resolve(type, name).id }

    /// Tables larger than this get prefix and substring suggestions only (no edit distance),
    /// so that a typo in a 1M-row registry costs a scan, not seconds.
    static let fuzzySuggestionLimit = 50_000

    /// Quoted ids (with the name in parentheses where a name was the close match) of records
    /// whose id or names are close to `name`: `'iaso-bio' (IASO Bio)`.
    /// - Complexity: O(n·k²) for n records with names of length about k.
    public func suggestions<R: Record>(_ type: R.Type, for name: String, limit: Int = 3) -> [String] {
        let table = self[R.self]
        let names = R.kind.names
        var owner: [String: String] = [:]
        var candidates: [String] = []
        let fuzzy = table.count <= Self.fuzzySuggestionLimit
        let wanted = name.lowercased()
        for record in table {
            for candidate in [record.id] + names(record) where owner[candidate] == nil {
                if !fuzzy, !candidate.lowercased().contains(wanted) { continue }
                owner[candidate] = record.id
                candidates.append(candidate)
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
