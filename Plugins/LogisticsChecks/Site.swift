import ValleyCore

/// A place a shipment passes: a hospital, an airport, a customs office, a factory.
public struct Site: Codable, Hashable, Sendable, Identifiable {
    /// Stable id, e.g. `hkg-airport`.
    public var id: String
    /// A readable name.
    public var name: String
    /// The city.
    public var city: String
    /// The IANA time zone, e.g. `Asia/Hong_Kong`.
    public var timeZone: String
    /// The registry enterprise operating the site, when there is one.
    public var enterprise: String?

    /// Creates a site.
    public init(id: String, name: String, city: String, timeZone: String, enterprise: String? = nil) {
        self.id = id
        self.name = name
        self.city = city
        self.timeZone = timeZone
        self.enterprise = enterprise
    }
}
