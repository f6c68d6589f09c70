import ValleyCore

// The logistics plugin's record kinds: cargo profiles, sites, legs and routes.

/// The longest duration a leg or a profile may state; keeps every sum of a route's legs and
/// every arrival time far inside the calendar's range.
let maximumTransit = TransitDuration(seconds: 90 * 86_400)

/// One source list, rewritten when a source is merged or dropped.
private func replaceSource(_ sources: inout [String], _ old: String, _ new: String?) {
    sources = sources.compactMap { $0 == old ? new : $0 }
}

extension CargoProfile: Record {
    /// Cold-chain cargo profiles.
    public static let kind = RecordKind<CargoProfile>(
        name: "cargoProfiles", label: "cargo profile", title: "cargo profiles", owner: "logistics", names: { [$0.name] },
        references: [.sources({ $0.sources }) { replaceSource(&$0.sources, $1, $2) }],
        validate: { profile in
            for (field, duration) in [("maximum-duration", profile.maximumDuration), ("contract-window", profile.contractWindow),
                                      ("shipper-hold", profile.shipperHold), ("hold-margin", profile.holdMargin)]
            where duration.seconds < 0 || duration > maximumTransit {
                throw ValleyError.invalidValue(field: field, value: duration.description, expected: "a duration from 0 to 90d")
            }
            for (field, celsius) in [("maximum-celsius", profile.maximumCelsius), ("minimum-celsius", profile.minimumCelsius ?? 0)]
            where !celsius.isFinite || !(-273.15...200).contains(celsius) {
                throw ValleyError.invalidValue(field: field, value: "\(celsius)", expected: "a temperature from -273.15 to 200 °C")
            }
        }
    )
}

extension Site: Record {
    /// Places a shipment passes.
    public static let kind = RecordKind<Site>(
        name: "sites", label: "site", owner: "logistics", names: { [$0.name] },
        references: [.optional("enterprise", to: Enterprise.self, get: { $0.enterprise }, set: { $0.enterprise = $1 })],
        validate: { site in
            try LocalClock.validate(site.timeZone)
        }
    )
}

extension Leg: Record {
    /// Legs between sites, with their durations and timetables.
    public static let kind = RecordKind<Leg>(
        name: "legs", label: "leg", owner: "logistics",
        references: [
            .required("from", to: Site.self, get: { $0.from }, set: { $0.from = $1 }),
            .required("to", to: Site.self, get: { $0.to }, set: { $0.to = $1 }),
            .sources({ $0.sources }) { replaceSource(&$0.sources, $1, $2) },
        ],
        citations: { leg in leg.sources.map { ("leg", $0) } + (leg.assumption == nil ? [] : [("leg duration", "valley-assumption")]) },
        validate: { leg in
            guard leg.duration.seconds >= 0, leg.duration <= maximumTransit else {
                throw ValleyError.invalidValue(field: "duration", value: leg.duration.description, expected: "a duration from 0 to 90d")
            }
            if let schedule = leg.schedule {
                let week = 0...(7 * 1440)
                // The message names the raw minutes: `summary` indexes days by minute, so it is
                // only safe to call on a schedule that passed this check.
                let badDeparture = schedule.departures.first { !(week.contains($0) && $0 < 7 * 1440) }.map { "departure minute \($0)" }
                let badOpening = schedule.openings.first { !(week.contains($0.lowerBound) && $0.lowerBound < 7 * 1440 && week.contains($0.upperBound)) }
                    .map { "opening minutes \($0.lowerBound)-\($0.upperBound)" }
                if let bad = badDeparture ?? badOpening {
                    throw ValleyError.invalidValue(field: "schedule", value: bad, expected: "times within one week (minute 0 to 10080)")
                }
            }
        }
    )
}

extension Route: Record {
    /// Routes: legs in order.
    public static let kind = RecordKind<Route>(
        name: "routes", label: "route", owner: "logistics", names: { [$0.name] },
        references: [.requiredList("leg", to: Leg.self, get: { $0.legs }, set: { $0.legs = $1 })],
        validate: { route in
            guard !route.legs.isEmpty else { throw ValleyError.invalidValue(field: "legs", value: "", expected: "at least one leg") }
        }
    )
}

extension ClusterModel {
    /// Cold-chain cargo profiles.
    var cargoProfiles: RecordTable<CargoProfile> { self[CargoProfile.self] }
    /// Shipment sites.
    var sites: RecordTable<Site> { self[Site.self] }
    /// Shipment legs.
    var legs: RecordTable<Leg> { self[Leg.self] }
    /// Shipment routes.
    var routes: RecordTable<Route> { self[Route.self] }
}
