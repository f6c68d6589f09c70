/// Finding a record by id or by any of its names.
public enum RecordLookup {
    /// The record whose id equals `name`, or whose names include it (case-insensitively);
    /// no match or several matches are errors that say so.
    public static func find<Record: Identifiable>(
        _ name: String, in records: [Record], kind: String, names: (Record) -> [String]
    ) throws -> Record where Record.ID == String {
        if let exact = records.first(where: { $0.id == name }) { return exact }
        let wanted = name.lowercased()
        let matches = records.filter { names($0).contains { $0.lowercased() == wanted } }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw ValleyError.notFound(kind: kind, name: name) }
        throw ValleyError.ambiguous(kind: kind, name: name, candidates: matches.map(\.id))
    }
}
