import ArgumentParser
import ValleyCore

// MARK: - logistics profiles

struct LogisticsProfiles: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", _superCommandName: "logistics", abstract: "List cargo profiles and their limits.")

    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "name", "state", "°C", "limit", "window", "hold", "margin", "x-ray"])
        for profile in context.model.cargoProfiles {
            let range = (profile.minimumCelsius.map { Cell.format($0, digits: 0) + "…" } ?? "≤ ") + Cell.format(profile.maximumCelsius, digits: 0)
            table.append([.text(profile.id), .text(profile.name), .text(profile.state.rawValue), .text(range),
                          .text(profile.maximumDuration.description), .text(profile.contractWindow.description),
                          .text(profile.shipperHold.description), .text(profile.holdMargin.description),
                          .text(profile.xRayForbidden ? "forbidden" : "allowed")])
        }
        context.emit(table)
    }
}

// MARK: - logistics route list / show

struct RouteList: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "logistics route", abstract: "List routes with their total planned time.")

    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "name", "legs", "total", "assumed legs", "note"])
        for route in context.model.routes {
            let legs = try RoutePlan.legs(of: route, in: context.model)
            table.append([.text(route.id), .text(route.name), .integer(legs.count),
                          .text(legs.reduce(TransitDuration(seconds: 0)) { $0 + $1.duration }.description),
                          .integer(legs.filter { $0.assumption != nil }.count), .optional(route.note)])
        }
        context.emit(table)
    }
}

struct RouteShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "logistics route", abstract: "Show a route leg by leg, with every assumption marked.")

    @Argument(help: "A route id or name.") var route: String
    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        let found = try RecordLookup.find(route, in: context.model.routes, kind: "route") { [$0.name] }
        var table = Table(columns: ["#", "leg", "from", "to", "kind", "duration", "basis"])
        for (index, leg) in try RoutePlan.legs(of: found, in: context.model).enumerated() {
            table.append([.integer(index + 1), .text(leg.id), .text(leg.from), .text(leg.to), .text(leg.kind.rawValue),
                          .text(leg.duration.description),
                          .text(leg.assumption.map { "ASSUMPTION: \($0)" } ?? "sourced: " + leg.sources.joined(separator: ", "))])
        }
        context.emit(table)
    }
}

// MARK: - logistics check

struct LogisticsCheck: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", _superCommandName: "logistics",
        abstract: "Check a route's total time against a cargo profile's limit and window.",
        discussion: "Durations only: departure timetables and office hours come with the logistics issue.")

    @Argument(help: "A route id or name.") var route: String
    @Option(help: "A cargo profile id or name.") var cargo: String
    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        let found = try RecordLookup.find(route, in: context.model.routes, kind: "route") { [$0.name] }
        let profile = try RecordLookup.find(cargo, in: context.model.cargoProfiles, kind: "cargo profile") { [$0.name] }
        let legs = try RoutePlan.legs(of: found, in: context.model)
        let total = legs.reduce(TransitDuration(seconds: 0)) { $0 + $1.duration }
        var table = Table(columns: ["#", "leg", "kind", "duration", "elapsed"])
        var elapsed = TransitDuration(seconds: 0)
        for (index, leg) in legs.enumerated() {
            elapsed = elapsed + leg.duration
            table.append([.integer(index + 1), .text(leg.id), .text(leg.kind.rawValue), .text(leg.duration.description), .text(elapsed.description)])
        }
        context.emit(table)
        let result = RoutePlan.verdict(total: total, legs: legs, profile: profile)
        var summary = Table(columns: ["check", "limit", "total", "slack", "result"])
        for line in result { summary.append([.text(line.check), .text(line.limit.description), .text(total.description), .text(line.slack.description), .text(line.passes ? "pass" : "FAIL")]) }
        context.emit(summary)
        if let critical = legs.max(by: { $0.duration < $1.duration }) {
            context.emit(text: "critical leg: \(critical.id) (\(critical.duration)); verdict: \(result.allSatisfy(\.passes) ? "PASS" : "FAIL")")
        }
    }
}

/// Route arithmetic shared by the commands.
enum RoutePlan {
    /// The legs of a route, in order; a missing leg is an error naming it.
    static func legs(of route: Route, in model: ClusterModel) throws -> [Leg] {
        try route.legs.map { id in
            guard let leg = model.legs.first(where: { $0.id == id }) else { throw ValleyError.notFound(kind: "leg", name: id) }
            return leg
        }
    }

    struct Line {
        let check: String
        let limit: TransitDuration
        let slack: TransitDuration
        var passes: Bool { slack.seconds >= 0 }
    }

    /// The time checks: product limit, contract window, and shipper hold less its margin.
    static func verdict(total: TransitDuration, legs: [Leg], profile: CargoProfile) -> [Line] {
        [
            Line(check: "product limit", limit: profile.maximumDuration, slack: profile.maximumDuration - total),
            Line(check: "contract window", limit: profile.contractWindow, slack: profile.contractWindow - total),
            Line(check: "shipper hold − margin", limit: profile.shipperHold - profile.holdMargin, slack: profile.shipperHold - profile.holdMargin - total),
        ]
    }
}
