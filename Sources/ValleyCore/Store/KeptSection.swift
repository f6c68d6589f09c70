/// The records of a kind no plugin here declares, read from a workspace and kept untouched so
/// that saving writes them back: a workspace opened without one of its plugins loses nothing.
public struct KeptSection: Codable, Hashable, Sendable {
    /// The records, each a JSON object keyed by its stored field names.
    public var records: [JSONValue]
    /// The plugin that declared the kind (empty when the workspace did not say: JSON version 1 and 2).
    public var owner: String
    /// The schema version the records are stored at.
    public var schemaVersion: Int

    /// A kept section.
    public init(records: [JSONValue], owner: String, schemaVersion: Int) {
        self.records = records
        self.owner = owner
        self.schemaVersion = schemaVersion
    }
}

extension ClusterModel {
    /// Keeps the records of kind `name` that no plugin here declares, to be written back by
    /// the next save. Ignored when the model has a table of that kind.
    public mutating func keep(_ section: KeptSection, as name: String) {
        guard tables[name] == nil else { return }
        keptSections[name] = section
    }
}
