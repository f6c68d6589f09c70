import ValleyCore

/// One line of an actual shipment's log: who had the cargo, where, when, and its condition.
public struct ShipmentEvent: Hashable, Sendable {
    /// The instant (seconds since 1970 UTC), when recorded and readable.
    public var time: Int?
    /// Where it happened.
    public var place: String
    /// Who held or received the cargo.
    public var party: String
    /// What happened: `pickup`, `hand-over`, `depart`, `arrive`, `customs`, `x-ray`, `reading`, …
    public var kind: String
    /// The temperature read, °C.
    public var celsius: Double?
    /// The patient-linked identity code on the cargo.
    public var identity: String
    /// The log's line number.
    public var line: Int

    /// Creates an event.
    public init(time: Int?, place: String, party: String, kind: String, celsius: Double?, identity: String, line: Int) {
        self.time = time
        self.place = place
        self.party = party
        self.kind = kind
        self.celsius = celsius
        self.identity = identity
        self.line = line
    }

    /// True for a hand-over of custody.
    public var isHandOver: Bool { kind == "hand-over" || kind == "handover" }
    /// True for an X-ray screening.
    public var isXRay: Bool { kind == "x-ray" || kind == "xray" }
}
