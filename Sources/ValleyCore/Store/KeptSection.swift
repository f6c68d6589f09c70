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

extension ClusterModel {
    /// Moves the kept records of `kind` (read from a workspace while no plugin declared it)
    /// into its table, through the kind's migration and the store's validation: the plugin
    /// that declares it was added since. On an error the caller rolls the journal back.
    /// - Returns: how many records were adopted (0 when none were kept).
    /// - Complexity: O(kept records)
    public mutating func adoptKeptRecords(of kind: any AnyRecordKind) throws -> Int {
        guard let section = keptSections[kind.name] else { return 0 }
        var adopter = KeptAdopter(section: section, model: self)
        self = ClusterModel(kinds: [])  // the adopter holds the only reference: no copy
        defer { self = adopter.model }
        let count = try kind.accept(&adopter)
        adopter.model.keptSections[kind.name] = nil
        // Journaled, so that undoing the adoption puts the kept records back as well.
        adopter.model.journal.append(KeptSectionChange(name: kind.name, section: section))
        return count
    }
}

/// A kept section taken out of the model (its records adopted by a kind): undo puts it back.
struct KeptSectionChange: ModelChange {
    let name: String
    /// The section as it was before the change (nil: there was none).
    let section: KeptSection?

    func revert(in model: inout ClusterModel) -> any ModelChange {
        let current = model.keptSections[name]
        model.keptSections[name] = section
        return KeptSectionChange(name: name, section: current)
    }

    var estimatedBytes: Int { 64 + (section?.records.count ?? 0) * 256 }
}

private struct KeptAdopter: RecordKindVisitor {
    let section: KeptSection
    var model: ClusterModel

    mutating func visit<R: Record>(_ kind: RecordKind<R>) throws -> Int {
        let place = "kept \(kind.name)"
        let records = try kind.migrated(section.records, from: section.schemaVersion, path: place)
        for record in records { try model.insert(record) }
        return records.count
    }
}
