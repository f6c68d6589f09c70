import ValleyCore

/// One step of a shipment between two sites, with its duration and where it comes from.
public struct Leg: Codable, Hashable, Sendable, Identifiable {
    /// What happens on the leg.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case courier, road, flight, customs, handOver = "hand-over", processing
    }

    /// Stable id, e.g. `hk-pickup`.
    public var id: String
    /// The site it starts at.
    public var from: String
    /// The site it ends at.
    public var to: String
    /// What happens on it.
    public var kind: Kind
    /// How long it takes once started.
    public var duration: TransitDuration
    /// Why the duration is what it is; set when the duration is our assumption, not a sourced fact.
    public var assumption: String?
    /// Ids of the sources of this record.
    public var sources: [String]
    /// When the leg can start, in the `from` site's local time: fixed departures, or office
    /// hours within which the whole leg must fit. Nil: it can start at any time.
    public var schedule: WeeklySchedule?

    /// Creates a leg.
    public init(id: String, from: String, to: String, kind: Kind, duration: TransitDuration,
                assumption: String? = nil, sources: [String] = [], schedule: WeeklySchedule? = nil) {
        self.id = id
        self.from = from
        self.to = to
        self.kind = kind
        self.duration = duration
        self.assumption = assumption
        self.sources = sources
        self.schedule = schedule
    }
}
