/// Finding a record by id or by any of its names.
public enum RecordLookup {
    /// The record whose id equals `name` (an O(1) index lookup), or else whose names include
    /// it, case-insensitively (a scan); no match or several matches are errors that say so.
    /// - Complexity: O(1) on average for an id; O(n) for a name.
    public static func find<R: Record>(
        _ name: String, in table: RecordTable<R>, kind: String? = nil, names: (R) -> [String]
    ) throws -> R {
        if let exact = table[id: name] { return exact }
        let label = kind ?? R.kind.label
        let wanted = name.lowercased()
        let matches = table.filter { names($0).contains { $0.lowercased() == wanted } }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw ValleyError.notFound(kind: label, name: name) }
        throw ValleyError.ambiguous(kind: label, name: name, candidates: matches.map(\.id))
    }
}
