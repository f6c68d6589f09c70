import ValleyCore

/// An ordered list of legs from an origin to a destination.
public struct Route: Codable, Hashable, Sendable, Identifiable {
    /// Stable id, e.g. `hk-to-nanjing-sample`.
    public var id: String
    /// A readable name.
    public var name: String
    /// Leg ids, in order.
    public var legs: [String]
    /// A note on the route's standing (e.g. "planned expansion").
    public var note: String?

    /// Creates a route.
    public init(id: String, name: String, legs: [String], note: String? = nil) {
        self.id = id
        self.name = name
        self.legs = legs
        self.note = note
    }
}
