/// Where a fact comes from: a document with its publisher, address, date and reliability.
public struct Source: Codable, Hashable, Sendable, Identifiable {
    /// How far a source can be trusted.
    public enum Reliability: String, Codable, Sendable, CaseIterable {
        /// The issuer's own publication (a government page, a company's site).
        case primary
        /// A named news outlet or report quoting the issuer.
        case secondary
        /// A repost of someone else's page.
        case mirror
    }

    /// Stable short id, e.g. `seed-chinaorg-2025`.
    public var id: String
    /// The document's title.
    public var title: String
    /// Who published it.
    public var publisher: String
    /// A web address or file path, when there is one.
    public var address: String?
    /// When it was published.
    public var published: CalendarDate?
    /// How far it can be trusted.
    public var reliability: Reliability

    /// Creates a source record.
    public init(id: String, title: String, publisher: String, address: String? = nil,
                published: CalendarDate? = nil, reliability: Reliability) {
        self.id = id
        self.title = title
        self.publisher = publisher
        self.address = address
        self.published = published
        self.reliability = reliability
    }
}
