extension ClusterModel {
    /// Builds the name index of the kind named `kind` if it has none (before a completion
    /// reads it); the store keeps it current through every change after that.
    /// - Complexity: O(total length of the kind's names) the first time, then O(1).
    public mutating func prepareNameSearch(kind: String) {
        guard var table = tables.removeValue(forKey: kind) else { return }
        table.prepareNameSearch()
        tables[kind] = table
    }

    /// Builds the name index of the kind named `kind` and its completion order (see
    /// `RecordTable.names(startingWith:limit:)`) where missing or stale.
    /// - Complexity: O(1) when current; else O(n log n) for the order.
    public mutating func prepareCompletion(kind: String) {
        guard var table = tables.removeValue(forKey: kind) else { return }
        table.prepareCompletion()
        tables[kind] = table
    }

    /// The records of a kind with a name that matches `text` (normalised by
    /// `NameSearch.normalised`), ranked by `NameSearch.score`, then id; at most `limit`.
    /// Builds the kind's name index on first use.
    /// - Complexity: see `RecordTable.searchNames(for:limit:)`: O(records containing the
    ///   query) when they fill the list, else one pass of two words per record.
    /// - Throws: `ValleyError.interrupted` when the user presses Ctrl-C.
    public mutating func searchNames<R: Record>(_ type: R.Type, for text: String, limit: Int) throws -> [NameMatch] {
        guard tables[R.kind.name] != nil else { return [] }
        return try withTable(type) { try $0.searchNames(for: text, limit: limit) }
    }
}
