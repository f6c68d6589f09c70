import ValleyCore

/// When each leg of a route starts and ends, waiting counted, for one departure.
struct ShipmentPlan {
    struct Step {
        let leg: Leg
        let ready: Int
        let start: Int
        let end: Int
        var wait: Int { start - ready }
    }

    let depart: Int?
    let steps: [Step]

    var total: TransitDuration { TransitDuration(seconds: (steps.last?.end ?? depart ?? 0) - (depart ?? 0)) }

    /// Plans the legs from `depart`; with no departure time, legs run back to back (no waits).
    static func plan(_ legs: [Leg], depart: Int?, offsets: (String) throws -> Int) throws -> ShipmentPlan {
        var ready = depart ?? 0
        var steps: [Step] = []
        for leg in legs {
            let start = depart == nil ? ready : try earliestStart(leg, ready: ready, offset: offsets(leg.from))
            steps.append(Step(leg: leg, ready: ready, start: start, end: start + leg.duration.seconds))
            ready = start + leg.duration.seconds
        }
        return ShipmentPlan(depart: depart, steps: steps)
    }

    /// The first instant ≥ `ready` at which the leg can start: its next departure, or the
    /// first opening span in which the whole leg fits. `offset` is the from-site's UTC offset
    /// (taken as constant over the wait).
    static func earliestStart(_ leg: Leg, ready: Int, offset: Int) throws -> Int {
        guard let schedule = leg.schedule else { return ready }
        let (minute, seconds) = LocalClock.minuteOfWeek(ready, offset: offset)
        let weekStart = ready - seconds - minute * 60
        if !schedule.departures.isEmpty {
            let departures = schedule.departures
            var low = 0, high = departures.count
            let wanted = seconds > 0 ? minute + 1 : minute
            while low < high {
                let middle = (low + high) / 2
                if departures[middle] < wanted { low = middle + 1 } else { high = middle }
            }
            let next = low < departures.count ? departures[low] : departures[0] + WeeklySchedule.week
            return weekStart + next * 60
        }
        for week in 0..<3 {
            for span in schedule.openings {
                let open = weekStart + (span.lowerBound + week * WeeklySchedule.week) * 60
                let close = weekStart + (span.upperBound + week * WeeklySchedule.week) * 60
                let start = max(ready, open)
                if start + leg.duration.seconds <= close { return start }
            }
        }
        throw ValleyError.refused("leg \(leg.id) (\(leg.duration)) never fits in its office hours (\(schedule.summary))")
    }
}

/// Checks a planned total against a cargo profile.
struct WindowVerdict {
    struct Line {
        let check: String
        let limit: TransitDuration
        let slack: TransitDuration
        var passes: Bool { slack.seconds >= 0 }
    }

    let lines: [Line]
    var passes: Bool { lines.allSatisfy(\.passes) }
    var slack: TransitDuration { lines.map(\.slack).min() ?? TransitDuration(seconds: 0) }

    init(total: TransitDuration, profile: CargoProfile) {
        lines = [
            Line(check: "product limit", limit: profile.maximumDuration, slack: profile.maximumDuration - total),
            Line(check: "contract window", limit: profile.contractWindow, slack: profile.contractWindow - total),
            Line(check: "shipper hold − margin", limit: profile.shipperHold - profile.holdMargin, slack: profile.shipperHold - profile.holdMargin - total),
        ]
    }
}

extension ClusterModel {
    /// The legs of a route, in order, checked to join up; a missing leg is an error naming it.
    func legs(of route: Route) throws -> [Leg] {
        guard !route.legs.isEmpty else { throw ValleyError.refused("route \(route.id) has no legs") }
        // Each leg by the store's index: O(1) a leg, so a 20,000-leg route costs 20,000 lookups.
        let table = self.legs
        let legs = try route.legs.map { id in
            guard let leg = table[id: id] else {
                throw ValleyError.notFound(kind: "leg", name: id)
            }
            return leg
        }
        for (previous, next) in zip(legs, legs.dropFirst()) where previous.to != next.from {
            throw ValleyError.refused("route \(route.id) breaks between \(previous.id) (to \(previous.to)) and \(next.id) (from \(next.from))")
        }
        return legs
    }

    /// A site's UTC offset at an instant, from its IANA zone.
    func offset(ofSite id: String, at instant: Int) throws -> Int {
        guard let site = sites[id: id] else { throw ValleyError.notFound(kind: "site", name: id) }
        return try LocalClock.zone(site.timeZone).offset(at: instant)
    }

    /// A site's zone.
    func zone(ofSite id: String) throws -> ZoneRules {
        guard let site = sites[id: id] else { throw ValleyError.notFound(kind: "site", name: id) }
        return try LocalClock.zone(site.timeZone)
    }
}
