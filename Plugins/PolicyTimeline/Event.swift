import ValleyCore

/// A dated event in the cluster's history (a founding, a centre opening, an approval, …).
public struct Event: Codable, Hashable, Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// When it happened.
    public var date: CalendarDate
    /// What kind of event, e.g. `founded`, `centre opened`, `approval`, `delivery milestone`.
    public var kind: String
    /// What it concerns: an enterprise id or a region name.
    public var subject: String
    /// A short summary in our own words.
    public var summary: String
    /// Ids of the sources of this record.
    public var sources: [String]

    /// Creates an event.
    public init(id: String, date: CalendarDate, kind: String, subject: String, summary: String, sources: [String]) {
        self.id = id
        self.date = date
        self.kind = kind
        self.subject = subject
        self.summary = summary
        self.sources = sources
    }
}
