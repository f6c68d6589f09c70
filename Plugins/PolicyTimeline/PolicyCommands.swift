import ArgumentParser
import ValleyCore

/// Parses a `--from`/`--to` year.
func parseYear(_ text: String?, option: String) throws -> Int? {
    guard let text else { return nil }
    guard text.count == 4, let year = Int(text) else {
        throw ValleyError.invalidValue(field: option, value: text, expected: "a year like 2020")
    }
    return year
}

// MARK: - policy list

struct PolicyList: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "policy", abstract: "List policies by issue date.",
        discussion: "Fields for --where: \(PolicyFields.all.names.joined(separator: ", ")).")

    @Option(help: "First year (inclusive).") var from: String?
    @Option(help: "Last year (inclusive).") var to: String?
    @Option(help: "Only this level: national, provincial, municipal, district or park.") var level: Policy.Level?
    @Option(help: "Only policies with a measure containing this text.") var measure: String?
    @Option(help: "Only policies targeting this sector id.") var targets: String?
    @Option(name: .customLong("where"), help: "A filter, e.g. \"level = municipal and issued >= 2020\".") var filter: String?


    mutating func run(in context: inout CommandContext) throws {
        let first = try parseYear(from, option: "--from") ?? Int.min
        let last = try parseYear(to, option: "--to") ?? Int.max
        let condition = try PolicyFields.all.whereFilter(filter)
        var table = Table(columns: ["issued", "id", "title", "level", "instrument", "measures"])
        for policy in context.model.policies.sorted(by: { $0.issued < $1.issued })
        where (first...last).contains(policy.issued.year) && (level == nil || policy.level == level)
            && (measure.map { m in policy.measures.contains { $0.lowercased().contains(m.lowercased()) } } ?? true)
            && (targets.map(policy.targetSectors.contains) ?? true)
            && (condition?.matches(policy) ?? true) {
            table.append([.text(policy.issued.description), .text(policy.id), .text(policy.title), .text(policy.level.rawValue),
                          .text(policy.instrument.rawValue), .integer(policy.measures.count)])
        }
        context.emit(table)
    }
}

extension Policy.Level: ExpressibleByArgument {}
extension Policy.Instrument: ExpressibleByArgument {}

// MARK: - policy show

struct PolicyShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "policy", abstract: "Show a policy with its sources.")

    @Argument(help: "A policy id or title.") var policy: String


    mutating func run(in context: inout CommandContext) throws {
        let p = try context.model.resolve(Policy.self, policy)
        var table = Table(columns: ["field", "value"])
        table.append(["id", .text(p.id)])
        table.append(["title", .text(p.title)])
        table.append(["issuer", .text(p.issuer)])
        table.append(["level", .text(p.level.rawValue)])
        table.append(["instrument", .text(p.instrument.rawValue)])
        table.append(["issued", .text(p.issued.description)])
        if let effective = p.effective { table.append(["effective", .text(effective.description)]) }
        if let expiry = p.expiry { table.append(["expiry", .text(expiry.description)]) }
        if let status = p.status { table.append(["status", .text(status)]) }
        if let number = p.documentNumber { table.append(["document number", .text(number)]) }
        table.append(["measures", .text(p.measures.joined(separator: "; "))])
        table.append(["targets", .text((p.targetSectors + p.targetEnterprises + p.targetRegions).joined(separator: ", "))])
        for goal in p.goals {
            table.append(["goal", .text("\(goal.indicator) ≥ \(Cell.format(goal.value, digits: 0)) by \(goal.year)")])
        }
        for id in p.sources {
            let source = context.model.source(id: id)
            table.append(["source", .text(source.map { "\($0.title), \($0.publisher)" + ($0.published.map { ", \($0)" } ?? "") + " [\($0.reliability.rawValue)]" } ?? id)])
        }
        context.emit(table)
    }
}

// MARK: - policy events

struct PolicyEvents: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "events", _superCommandName: "policy", abstract: "List dated events (foundings, openings, approvals, milestones).")

    @Option(help: "First year (inclusive).") var from: String?
    @Option(help: "Last year (inclusive).") var to: String?


    mutating func run(in context: inout CommandContext) throws {
        let first = try parseYear(from, option: "--from") ?? Int.min
        let last = try parseYear(to, option: "--to") ?? Int.max
        var table = Table(columns: ["date", "kind", "subject", "summary", "sources"])
        for event in context.model.events.sorted(by: { $0.date < $1.date }) where (first...last).contains(event.date.year) {
            table.append([.text(event.date.description), .text(event.kind), .text(event.subject), .text(event.summary),
                          .text(event.sources.joined(separator: ", "))])
        }
        context.emit(table)
    }
}

// MARK: - indicator list / show

struct IndicatorList: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "indicator", abstract: "List indicators with their scope and latest value.")



    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "name", "unit", "scope", "region", "observations", "latest", "latest period"])
        for indicator in context.model.indicators {
            let latest = indicator.observations.max { $0.period < $1.period }
            table.append([.text(indicator.id), .text(indicator.name), .text(indicator.unit), .text(indicator.scope),
                          .text(indicator.region), .integer(indicator.observations.count),
                          latest.map(ObservationText.cell) ?? .empty, latest.map { .text($0.period.description) } ?? .empty])
        }
        context.emit(table)
    }
}

struct IndicatorShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "indicator", abstract: "Show an indicator's definition and every observation with its source.")

    @Argument(help: "An indicator id or name.") var indicator: String


    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.resolve(Indicator.self, indicator)
        context.emit(text: "\(found.name) (\(found.unit)); \(found.definition); scope: \(found.scope); region: \(found.region)")
        var table = Table(columns: ["period", "value", "floor", "source", "reliability"])
        for observation in found.observations.sorted(by: { $0.period < $1.period }) {
            let source = context.model.source(id: observation.source)
            table.append([.text(observation.period.description), .number(observation.value, digits: observation.value.rounded() == observation.value ? 0 : 2),
                          .boolean(observation.isFloor), .text(source?.title ?? observation.source),
                          .optional(source?.reliability.rawValue)])
        }
        context.emit(table)
    }
}

/// How an observation's value reads: `≥ 210` for a floor.
enum ObservationText {
    static func value(_ observation: Observation) -> String { cell(observation).text }

    /// The value as a typed cell: JSON `{"value": 210, "floor": true}`.
    static func cell(_ observation: Observation) -> Cell {
        let digits = observation.value.rounded() == observation.value ? 0 : 2
        return .bound(observation.value, digits: digits, limit: observation.isFloor ? .floor : .exact)
    }
}
