import ValleyCore

/// A university, college, research institute or platform that trains or hosts talent.
public struct Institution: Codable, Hashable, Sendable, Identifiable {
    /// What kind of institution it is.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case comprehensiveUniversity = "comprehensive-university"
        case specialisedUniversity = "specialised-university"
        case specialisedCollege = "specialised-college"
        case researchInstitute = "research-institute"
        case platform
    }

    /// Stable id, e.g. `cpu`.
    public var id: String
    /// The English name.
    public var nameEN: String
    /// The Chinese name, when known.
    public var nameZH: String?
    /// What kind of institution it is.
    public var kind: Kind
    /// The city it is in.
    public var city: String
    /// Disciplines taught or researched that matter to the cluster.
    public var disciplines: [String]
    /// Ids of the sources of this record.
    public var sources: [String]

    /// Creates an institution.
    public init(id: String, nameEN: String, nameZH: String? = nil, kind: Kind, city: String,
                disciplines: [String] = [], sources: [String]) {
        self.id = id
        self.nameEN = nameEN
        self.nameZH = nameZH
        self.kind = kind
        self.city = city
        self.disciplines = disciplines
        self.sources = sources
    }
}
