/// The one shared in-memory model every plugin reads and writes.
///
/// A value type: the shell runs each command on a copy and keeps the copy only when the
/// command succeeds, so a failed command leaves the model exactly as it was, and undo is a
/// stack of earlier values (cheap, as the arrays are copy-on-write).
public struct ClusterModel: Codable, Hashable, Sendable {
    /// Every source any record cites.
    public var sources: [Source] = []
    /// The sector taxonomy.
    public var sectors: [Sector] = []
    /// Companies in the cluster.
    public var enterprises: [Enterprise] = []
    /// Policies, plans and designations.
    public var policies: [Policy] = []
    /// Dated events.
    public var events: [Event] = []
    /// Indicators and their observations (including reported totals).
    public var indicators: [Indicator] = []
    /// Universities, colleges, institutes and platforms.
    public var institutions: [Institution] = []
    /// Graduate counts.
    public var cohorts: [GraduateCohort] = []
    /// Discipline → sector ids, used to meet the registry.
    public var disciplineSectors: [String: [String]] = [:]
    /// Cold-chain cargo profiles.
    public var cargoProfiles: [CargoProfile] = []
    /// Shipment sites.
    public var sites: [Site] = []
    /// Shipment legs.
    public var legs: [Leg] = []
    /// Shipment routes.
    public var routes: [Route] = []

    /// An empty model.
    public init() {}
}

// MARK: - Counts

extension ClusterModel {
    /// The number of records of each entity type, in a fixed order.
    public var entityCounts: [(entity: String, count: Int)] {
        [
            ("sources", sources.count), ("sectors", sectors.count), ("enterprises", enterprises.count),
            ("policies", policies.count), ("events", events.count), ("indicators", indicators.count),
            ("observations", indicators.reduce(0) { $0 + $1.observations.count }),
            ("institutions", institutions.count), ("graduate cohorts", cohorts.count),
            ("cargo profiles", cargoProfiles.count), ("sites", sites.count), ("legs", legs.count),
            ("routes", routes.count),
        ]
    }
}

// MARK: - Merging plugin contributions

extension ClusterModel {
    /// Adds the records of `other`, keeping the first record of any id already present.
    public mutating func absorb(_ other: ClusterModel) {
        func merge<T: Identifiable>(_ mine: inout [T], _ theirs: [T]) where T.ID == String {
            var seen = Set(mine.map(\.id))
            for record in theirs where seen.insert(record.id).inserted { mine.append(record) }
        }
        merge(&sources, other.sources)
        merge(&sectors, other.sectors)
        merge(&enterprises, other.enterprises)
        merge(&policies, other.policies)
        merge(&events, other.events)
        merge(&indicators, other.indicators)
        merge(&institutions, other.institutions)
        merge(&cohorts, other.cohorts)
        disciplineSectors.merge(other.disciplineSectors) { mine, _ in mine }
        merge(&cargoProfiles, other.cargoProfiles)
        merge(&sites, other.sites)
        merge(&legs, other.legs)
        merge(&routes, other.routes)
    }

    /// The source with the given id, if any.
    public func source(id: String) -> Source? { sources.first { $0.id == id } }

    /// The ids cited by any record that name no source in the model.
    public var danglingSourceIDs: Set<String> {
        var cited = Set<String>()
        enterprises.forEach { e in cited.formUnion(e.sources); e.designations.forEach { cited.insert($0.source) }; e.listings.forEach { cited.insert($0.source) } }
        policies.forEach { cited.formUnion($0.sources) }
        events.forEach { cited.formUnion($0.sources) }
        indicators.forEach { $0.observations.forEach { cited.insert($0.source) } }
        institutions.forEach { cited.formUnion($0.sources) }
        cohorts.forEach { cited.insert($0.source) }
        cargoProfiles.forEach { cited.formUnion($0.sources) }
        legs.forEach { cited.formUnion($0.sources) }
        return cited.subtracting(sources.map(\.id))
    }
}
