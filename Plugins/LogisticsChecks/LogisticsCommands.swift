import ArgumentParser
import ValleyCore

/// Parses a `--depart` option; without an offset, the time is local at `origin` (a site id).
func departure(_ text: String?, origin: String?, in model: ClusterModel) throws -> Int? {
    guard let text else { return nil }
    let zone = try origin.map { try model.zone(ofSite: $0) }
    do {
        return try LocalClock.parse(text, in: zone)
    } catch ValleyError.invalidValue(_, let value, let expected) {
        throw ValleyError.invalidValue(field: "--depart", value: value == text + "Z" ? text : value, expected: expected + (zone == nil ? "" : ", or a local time such as 2025-03-07T15:30 at the origin"))
    }
}

/// Parses a duration option.
func duration(_ text: String, option: String) throws -> TransitDuration {
    guard let value = TransitDuration(text) else { throw ValleyError.invalidValue(field: option, value: text, expected: "a duration like 30h, 2d6h or 90m") }
    return value
}

extension ClusterModel {
    func route(named name: String) throws -> Route { try resolve(Route.self, name) }
    func cargo(named name: String) throws -> CargoProfile { try resolve(CargoProfile.self, name) }
}

// MARK: - logistics profiles

struct LogisticsProfiles: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", _superCommandName: "logistics", abstract: "List cargo profiles and their limits.")



    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "name", "state", "°C", "limit", "window", "hold", "margin", "x-ray", "assumptions"])
        for profile in context.model.cargoProfiles {
            let range = (profile.minimumCelsius.map { Cell.format($0, digits: 0) + "…" } ?? "≤ ") + Cell.format(profile.maximumCelsius, digits: 0)
            table.append([.text(profile.id), .text(profile.name), .text(profile.state.rawValue), .text(range),
                          profile.maximumDuration.cell, profile.contractWindow.cell,
                          profile.shipperHold.cell, profile.holdMargin.cell,
                          .text(profile.xRayForbidden ? "forbidden" : "allowed"), .text(profile.assumptions.joined(separator: "; "))])
        }
        context.emit(table)
    }
}

// MARK: - logistics site add|list

struct LogisticsSite: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "site", abstract: "Shipment sites.", subcommands: [SiteList.self, SiteShow.self, SiteAdd.self])
}

struct SiteList: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "logistics site", abstract: "List sites with their time zones.")

    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "name", "city", "time zone", "enterprise"])
        for site in context.model.sites {
            table.append([.text(site.id), .text(site.name), .text(site.city), .text(site.timeZone), .optional(site.enterprise)])
        }
        context.emit(table)
    }
}

struct SiteShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "logistics site", abstract: "Show a site and the legs from and to it.")
    @Argument(help: "A site id or name.") var site: String

    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.resolve(Site.self, site)
        var table = Table(columns: ["field", "value"])
        table.append(["id", .text(found.id)])
        table.append(["name", .text(found.name)])
        table.append(["city", .text(found.city)])
        table.append(["time zone", .text(found.timeZone)])
        table.append(["enterprise", .optional(found.enterprise)])
        for leg in context.model.legs where leg.from == found.id || leg.to == found.id {
            table.append([.text(leg.from == found.id ? "leg out" : "leg in"), .text("\(leg.id): \(leg.from) → \(leg.to), \(leg.duration)")])
        }
        context.emit(table)
    }
}

struct SiteAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "logistics site", abstract: "Add a site.")
    @Argument(help: "A new site id.") var id: String
    @Option(help: "A readable name.") var name: String
    @Option(help: "City.") var city: String
    @Option(name: .customLong("time-zone"), help: "IANA time zone, e.g. Europe/London.") var timeZone: String
    @Option(help: "The registry enterprise operating it.") var enterprise: String?

    mutating func run(in context: inout CommandContext) throws {
        guard !context.model.sites.contains(id: id) else { throw ValleyError.duplicateID(kind: "site", id: id) }
        _ = try LocalClock.zone(timeZone)
        let enterprise = try self.enterprise.map { try context.model.resolveID(Enterprise.self, $0) }
        try context.model.insert(Site(id: id, name: name, city: city, timeZone: timeZone, enterprise: enterprise))
    }
}

// MARK: - logistics leg add|list

struct LogisticsLeg: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leg", abstract: "Shipment legs.", subcommands: [LegList.self, LegShow.self, LegAdd.self])
}

extension Leg.Kind: ExpressibleByArgument {}

struct LegList: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "logistics leg", abstract: "List legs with durations, schedules and assumptions.")

    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "from", "to", "kind", "duration", "schedule", "basis"])
        for leg in context.model.legs { table.append(LegRow.cells(leg)) }
        context.emit(table)
    }
}

enum LegRow {
    static func cells(_ leg: Leg) -> [Cell] {
        [.text(leg.id), .text(leg.from), .text(leg.to), .text(leg.kind.rawValue), leg.duration.cell,
         .text(leg.schedule?.summary ?? "any time"),
         .text(leg.assumption.map { "ASSUMPTION: \($0)" } ?? "sourced: " + leg.sources.joined(separator: ", "))]
    }
}

struct LegShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "logistics leg", abstract: "Show a leg with its schedule, basis and sources.")
    @Argument(help: "A leg id.") var leg: String

    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.resolve(Leg.self, leg)
        var table = Table(columns: ["id", "from", "to", "kind", "duration", "schedule", "basis"])
        table.append(LegRow.cells(found))
        context.emit(table)
        let routes = context.model.routes.filter { $0.legs.contains(found.id) }.map(\.id)
        context.emit(text: "on routes: " + (routes.isEmpty ? "none" : routes.joined(separator: ", ")))
    }
}

struct LegAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "logistics leg", abstract: "Add a leg between two sites.")
    @Argument(help: "A new leg id.") var id: String
    @Option(help: "From site.") var from: String
    @Option(help: "To site.") var to: String
    @Option(help: "courier, road, flight, customs, hand-over or processing.") var kind: Leg.Kind
    @Option(help: "Duration, e.g. 2h30m.") var duration: String
    @Option(help: "Departures 'Mon-Sat 10:00,18:30' or office hours 'daily 08:00-20:00' (local to the from site).") var schedule: String?
    @Option(help: "Why the duration is assumed (marks it as an assumption).") var assumption: String?
    @Option(help: "A source id (repeatable).") var source: [String] = []

    mutating func run(in context: inout CommandContext) throws {
        guard !context.model.legs.contains(id: id) else { throw ValleyError.duplicateID(kind: "leg", id: id) }
        let from = try context.model.resolveID(Site.self, self.from), to = try context.model.resolveID(Site.self, self.to)
        let parsedSchedule = try schedule.map { text in
            guard let parsed = WeeklySchedule.parse(text) else {
                throw ValleyError.invalidValue(field: "--schedule", value: text, expected: "departures like 'Mon-Sat 10:00,18:30' or hours like 'daily 08:00-20:00'")
            }
            return parsed
        }
        guard assumption != nil || !source.isEmpty else { throw ValidationError("give --source, or --assumption saying why the duration is assumed") }
        let source = try self.source.map { try context.model.resolveID(Source.self, $0) }
        try context.model.insert(Leg(id: id, from: from, to: to, kind: kind, duration: try LogisticsChecks.duration(self.duration, option: "--duration"),
                                      assumption: assumption, sources: source, schedule: parsedSchedule))
    }
}

// MARK: - logistics route add|list|show

struct LogisticsRoute: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route", abstract: "Shipment routes.", subcommands: [RouteList.self, RouteShow.self, RouteAdd.self])
}

struct RouteList: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "logistics route", abstract: "List routes with their total leg time.")

    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "name", "legs", "leg time", "assumed legs", "note"])
        for route in context.model.routes {
            let legs = try context.model.legs(of: route)
            table.append([.text(route.id), .text(route.name), .integer(legs.count),
                          legs.reduce(TransitDuration(seconds: 0)) { $0 + $1.duration }.cell,
                          .integer(legs.filter { $0.assumption != nil }.count), .optional(route.note)])
        }
        context.emit(table)
    }
}

struct RouteShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "logistics route", abstract: "Show a route leg by leg, with every assumption marked.")
    @Argument(help: "A route id or name.") var route: String

    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.route(named: route)
        var table = Table(columns: ["#", "leg", "from", "to", "kind", "duration", "schedule", "basis"])
        for (index, leg) in try context.model.legs(of: found).enumerated() { table.append([.integer(index + 1)] + LegRow.cells(leg)) }
        context.emit(table)
        if let note = found.note { context.emit(text: "note: \(note)") }
    }
}

struct RouteAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "logistics route", abstract: "Add a route as an ordered list of legs.")
    @Argument(help: "A new route id.") var id: String
    @Option(help: "A readable name.") var name: String
    @Option(help: "Leg ids in order, comma-separated.") var legs: String
    @Option(help: "A note.") var note: String?

    mutating func run(in context: inout CommandContext) throws {
        guard !context.model.routes.contains(id: id) else { throw ValleyError.duplicateID(kind: "route", id: id) }
        let route = Route(id: id, name: name, legs: legs.split(separator: ",").map { String($0) }, note: note)
        guard !route.legs.isEmpty else { throw ValleyError.invalidValue(field: "--legs", value: legs, expected: "at least one leg id") }
        _ = try context.model.legs(of: route)
        try context.model.insert(route)
    }
}
