/// An entry of the model's sector taxonomy (cell therapy, innovative drugs, …).
public struct Sector: Codable, Hashable, Sendable, Identifiable {
    /// Stable id, e.g. `cell-therapy`.
    public var id: String
    /// The English name.
    public var name: String
    /// The Chinese name, when known.
    public var nameZH: String?

    /// Creates a sector.
    public init(id: String, name: String, nameZH: String? = nil) {
        self.id = id
        self.name = name
        self.nameZH = nameZH
    }
}
