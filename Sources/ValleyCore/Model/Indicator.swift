/// A measured quantity (revenue, enterprise counts, graduates) with its definition and scope.
///
/// Observations of one indicator share its definition and scope; figures of another scope
/// belong to another indicator, so they are never added up by accident.
public struct Indicator: Codable, Hashable, Sendable, Identifiable {
    /// Stable id, e.g. `nanjing-biomed-revenue`.
    public var id: String
    /// A readable name.
    public var name: String
    /// The unit, e.g. `CNY bn` or `enterprises`.
    public var unit: String
    /// What is counted.
    public var definition: String
    /// The scope of the count, e.g. `biomedicine` or `new medicine and life health`.
    public var scope: String
    /// The region it covers.
    public var region: String
    /// The observed values.
    public var observations: [Observation]
    /// For a reported count of enterprises: which registry records it counts (`registry coverage`).
    public var registryCount: RegistryCount?

    /// Creates an indicator.
    public init(id: String, name: String, unit: String, definition: String, scope: String,
                region: String, observations: [Observation] = [], registryCount: RegistryCount? = nil) {
        self.id = id
        self.name = name
        self.unit = unit
        self.definition = definition
        self.scope = scope
        self.region = region
        self.observations = observations
        self.registryCount = registryCount
    }
}

/// Which registry enterprises a reported total counts: holders of a designation (or, for
/// `listed`, enterprises with a listing), optionally only in one park.
public struct RegistryCount: Codable, Hashable, Sendable {
    /// The designation counted; nil counts every enterprise.
    public var designation: String?
    /// Only enterprises in this park, when given.
    public var park: String?

    /// Creates a count definition.
    public init(designation: String? = nil, park: String? = nil) {
        self.designation = designation
        self.park = park
    }
}

/// One value of an indicator for one period.
public struct Observation: Codable, Hashable, Sendable {
    /// The period, e.g. `2024`.
    public var period: CalendarDate
    /// The value in the indicator's unit.
    public var value: Double
    /// True when the source gives a floor ("over 210 bn"): the true value is at least `value`.
    public var isFloor: Bool
    /// Id of the source.
    public var source: String
    /// When the figure was reported.
    public var asOf: CalendarDate?

    /// Creates an observation.
    public init(period: CalendarDate, value: Double, isFloor: Bool = false, source: String, asOf: CalendarDate? = nil) {
        self.period = period
        self.value = value
        self.isFloor = isFloor
        self.source = source
        self.asOf = asOf
    }
}
