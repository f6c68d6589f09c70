/// An entry of the model's sector taxonomy (cell therapy, innovative drugs, …).
public struct Sector: Codable, Hashable, Sendable, Identifiable {
    /// Stable id, e.g. `cell-therapy`.
    public var id: String
    /// The English name.
    public var name: String
    /// The Chinese name, when known.
    public var nameZH: String?
    /// Other names imports and filters accept (`CRO/CDMO`, `CXO`, `体外诊断`).
    public var aliases: [String]

    /// Creates a sector.
    public init(id: String, name: String, nameZH: String? = nil, aliases: [String] = []) {
        self.id = id
        self.name = name
        self.nameZH = nameZH
        self.aliases = aliases
    }

    /// Every name the sector answers to: id, name, Chinese name and aliases.
    public var allNames: [String] { [id, name] + [nameZH].compactMap { $0 } + aliases }

    enum CodingKeys: String, CodingKey { case id, name, nameZH, aliases }

    /// Decodes a sector; `aliases` may be absent (workspaces saved before it existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
                  nameZH: try container.decodeIfPresent(String.self, forKey: .nameZH),
                  aliases: try container.decodeIfPresent([String].self, forKey: .aliases) ?? [])
    }
}

/// Finds sectors by id, name, Chinese name or alias, in any case, in O(1) per lookup.
public struct SectorResolver: Sendable {
    private var ids: [String: String] = [:]

    /// Indexes the sectors of `table`.
    /// - Complexity: O(sectors).
    public init(_ table: RecordTable<Sector>) {
        for sector in table { add(sector) }
    }

    /// Indexes one more sector.
    public mutating func add(_ sector: Sector) {
        for name in sector.allNames where ids[Self.key(name)] == nil { ids[Self.key(name)] = sector.id }
    }

    /// The id of the sector `text` names, or nil.
    /// - Complexity: O(1) on average.
    public func id(for text: String) -> String? { ids[Self.key(text)] }

    /// True when no sector is known.
    public var isEmpty: Bool { ids.isEmpty }

    static func key(_ text: String) -> String { text.trimmingSpaces.lowercased() }
}
