import ValleyCore

/// The handling rules of one kind of cold-chain cargo (fresh blood sample, cryopreserved product).
public struct CargoProfile: Codable, Hashable, Sendable, Identifiable {
    /// The physical state of the cargo.
    public enum State: String, Codable, Sendable, CaseIterable {
        case fresh, cryopreserved
    }

    /// Stable id, e.g. `car-t-apheresis`.
    public var id: String
    /// A readable name.
    public var name: String
    /// The physical state.
    public var state: State
    /// Lowest allowed temperature, °C.
    public var minimumCelsius: Double?
    /// Highest allowed temperature, °C.
    public var maximumCelsius: Double
    /// The product's own limit from collection to arrival.
    public var maximumDuration: TransitDuration
    /// The window promised in the contract or the public commitment.
    public var contractWindow: TransitDuration
    /// How long the shipper keeps the temperature.
    public var shipperHold: TransitDuration
    /// The hold time that must remain on arrival.
    public var holdMargin: TransitDuration
    /// True when the cargo must not pass X-ray.
    public var xRayForbidden: Bool
    /// Ids of the sources of this record.
    public var sources: [String]
    /// Values that are our assumptions rather than sourced facts.
    public var assumptions: [String]

    /// Creates a cargo profile.
    public init(id: String, name: String, state: State, minimumCelsius: Double?, maximumCelsius: Double,
                maximumDuration: TransitDuration, contractWindow: TransitDuration, shipperHold: TransitDuration,
                holdMargin: TransitDuration, xRayForbidden: Bool, sources: [String], assumptions: [String] = []) {
        self.id = id
        self.name = name
        self.state = state
        self.minimumCelsius = minimumCelsius
        self.maximumCelsius = maximumCelsius
        self.maximumDuration = maximumDuration
        self.contractWindow = contractWindow
        self.shipperHold = shipperHold
        self.holdMargin = holdMargin
        self.xRayForbidden = xRayForbidden
        self.sources = sources
        self.assumptions = assumptions
    }
}
