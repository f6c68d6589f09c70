/// A company in the cluster, with its names, sectors, designations and listings.
public struct Enterprise: Codable, Hashable, Sendable, Identifiable {
    /// Whether the company is operating.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case active, deregistered, revoked, merged
        /// Moved its registration out of the area (迁出).
        case movedOut = "moved-out"
        case unknown
    }

    /// Stable id, e.g. `iaso-bio`.
    public var id: String
    /// The English name, when known.
    public var nameEN: String?
    /// The Chinese name, when known.
    public var nameZH: String?
    /// Other and former names (including names used by a single source).
    public var aliases: [String]
    /// The 18-character unified social credit code, when known.
    public var creditCode: String?
    /// When the company was founded.
    public var founded: CalendarDate?
    /// Operating status.
    public var status: Status
    /// Ids of sectors in the model's taxonomy.
    public var sectors: [String]
    /// The park the company sits in, e.g. `NJBPV`.
    public var park: String?
    /// The region, e.g. `Jiangbei New Area, Nanjing`.
    public var region: String?
    /// Designations held (high-tech enterprise, little giant, …).
    public var designations: [Designation]
    /// Stock listings.
    public var listings: [Listing]
    /// Number of employees, when reported.
    public var headcount: Int?
    /// Ids of the sources of this record.
    public var sources: [String]
    /// When the record was last known to be true.
    public var asOf: CalendarDate?
    /// A free note (e.g. why two names were judged the same company).
    public var note: String?
    /// Registration details from a registry export (capital, legal representative, address…).
    public var registration: Registration? {
        get { registrationBox?.value }
        set { registrationBox = newValue.flatMap { $0.isEmpty ? nil : Boxed($0) } }
    }
    private var registrationBox: Boxed<Registration>?

    enum CodingKeys: String, CodingKey {
        case id, nameEN, nameZH, aliases, creditCode, founded, status, sectors, park, region, designations, listings,
             headcount, sources, asOf, note
        case registrationBox = "registration"
    }

    /// Creates an enterprise record.
    public init(id: String, nameEN: String? = nil, nameZH: String? = nil, aliases: [String] = [],
                creditCode: String? = nil, founded: CalendarDate? = nil, status: Status = .active,
                sectors: [String] = [], park: String? = nil, region: String? = nil,
                designations: [Designation] = [], listings: [Listing] = [], headcount: Int? = nil,
                sources: [String], asOf: CalendarDate? = nil, note: String? = nil, registration: Registration? = nil) {
        self.id = id
        self.nameEN = nameEN
        self.nameZH = nameZH
        self.aliases = aliases
        self.creditCode = creditCode
        self.founded = founded
        self.status = status
        self.sectors = sectors
        self.park = park
        self.region = region
        self.designations = designations
        self.listings = listings
        self.headcount = headcount
        self.sources = sources
        self.asOf = asOf
        self.note = note
        self.registration = registration
    }

    /// The name to show: English, else Chinese, else the id.
    public var displayName: String { nameEN ?? nameZH ?? id }

    /// Every name the company is known by: English, Chinese and aliases.
    public var allNames: [String] { [nameEN, nameZH].compactMap { $0 } + aliases }
}

/// A designation an enterprise holds, with its validity and source.
public struct Designation: Codable, Hashable, Sendable {
    /// The designation, e.g. `high-tech enterprise` or `little giant`.
    public var name: String
    /// The tier, where the designation has tiers (e.g. `national`).
    public var tier: String?
    /// When it was granted.
    public var granted: CalendarDate?
    /// Until when it is valid.
    public var validUntil: CalendarDate?
    /// Id of the source that reports it.
    public var source: String

    /// Creates a designation.
    public init(name: String, tier: String? = nil, granted: CalendarDate? = nil,
                validUntil: CalendarDate? = nil, source: String) {
        self.name = name
        self.tier = tier
        self.granted = granted
        self.validUntil = validUntil
        self.source = source
    }
}

/// A stock listing of an enterprise.
public struct Listing: Codable, Hashable, Sendable {
    /// The exchange, e.g. `HKEX`.
    public var exchange: String
    /// The ticker, e.g. `2096.HK`.
    public var ticker: String
    /// The listing date.
    public var date: CalendarDate?
    /// Id of the source that reports it.
    public var source: String

    /// Creates a listing.
    public init(exchange: String, ticker: String, date: CalendarDate? = nil, source: String) {
        self.exchange = exchange
        self.ticker = ticker
        self.date = date
        self.source = source
    }
}
