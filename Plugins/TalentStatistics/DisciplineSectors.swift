import ValleyCore

/// Which sectors a discipline's graduates work in: where talent meets the registry.
public struct DisciplineSectors: Record {
    /// The discipline, e.g. `pharmacy` (the key).
    public var id: String
    /// Sector ids.
    public var sectors: [String]

    /// Maps a discipline to sectors.
    public init(discipline: String, sectors: [String]) {
        self.id = discipline
        self.sectors = sectors
    }

    /// Discipline → sectors. Version 1 workspaces wrote this section as one object
    /// (`{"pharmacy": ["innovative-drugs"]}`); it is read in either form.
    public static let kind = RecordKind<DisciplineSectors>(
        name: "disciplineSectors", label: "discipline mapping", title: "discipline mappings", owner: "talent",
        references: [.list("sector", to: Sector.self, get: { $0.sectors }, set: { $0.sectors = $1 })],
        decodeSection: { decoder in
            if let records = try? [DisciplineSectors](from: decoder) { return records }
            let legacy = try [String: [String]](from: decoder)
            return legacy.keys.sorted().map { DisciplineSectors(discipline: $0, sectors: legacy[$0]!) }
        }
    )
}
