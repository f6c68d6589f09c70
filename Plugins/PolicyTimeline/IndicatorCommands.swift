import ArgumentParser
import ValleyCore

// MARK: - indicator add / observe

struct IndicatorAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "indicator", abstract: "Add an indicator with its definition and scope.")

    @Argument(help: "A new stable id.") var id: String
    @Option(help: "A readable name.") var name: String
    @Option(help: "The unit, e.g. 'CNY bn'.") var unit: String
    @Option(help: "What is counted.") var definition: String
    @Option(help: "The scope, e.g. 'biomedicine'.") var scope: String
    @Option(help: "The region.") var region: String

    mutating func run(in context: inout CommandContext) throws {
        try context.model.insert(Indicator(id: id, name: name, unit: unit, definition: definition, scope: scope, region: region))
        context.emit(text: "added \(id)")
    }
}

struct IndicatorObserve: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "observe", _superCommandName: "indicator", abstract: "Add an observation to an indicator.")

    @Argument(help: "An indicator id or name.") var indicator: String
    @Option(help: "The period: YYYY, YYYY-MM or YYYY-MM-DD.") var period: String
    @Option(help: "The value in the indicator's unit.") var value: Double
    @Flag(help: "The source gives a floor ('over …').") var floor = false
    @Option(help: "The source id.") var source: String

    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.indicator(named: indicator)
        guard let date = CalendarDate(period) else { throw ValleyError.invalidValue(field: "--period", value: period, expected: "YYYY, YYYY-MM or YYYY-MM-DD") }
        guard value.isFinite else { throw ValleyError.invalidValue(field: "--value", value: String(value), expected: "a finite number") }
        let source = try context.model.resolveID(Source.self, self.source)
        guard !found.observations.contains(where: { $0.period == date && $0.source == source }) else {
            throw ValleyError.refused("\(found.id) already has an observation for \(date) from \(source)")
        }
        try context.model.update(Indicator.self, id: found.id) { $0.observations.append(Observation(period: date, value: value, isFloor: floor, source: source)) }
    }
}

// MARK: - indicator series

struct IndicatorSeries: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "series", _superCommandName: "indicator",
        abstract: "An indicator's values over time, with year-on-year growth and CAGR (--growth).",
        discussion: "A name that matches indicators of different scopes is refused unless --mix-scopes is given.")

    @Argument(help: "An indicator id or name, or part of names (e.g. 'revenue').") var name: String
    @Flag(help: "Add year-on-year growth and the CAGR.") var growth = false
    @Flag(name: .customLong("mix-scopes"), help: "Allow observations of different scopes in one series.") var mixScopes = false


    mutating func run(in context: inout CommandContext) throws {
        let indicators = try matching(in: context.model)
        let scopes = Array(Set(indicators.map(\.scope))).sorted()
        if scopes.count > 1, !mixScopes {
            throw ValleyError.refused("'\(name)' matches indicators of different scopes (\(scopes.joined(separator: "; "))): "
                + "figures of different scopes are not combined; name one indicator (\(indicators.map(\.id).joined(separator: ", "))) or pass --mix-scopes")
        }
        let units = Set(indicators.map(\.unit))
        guard units.count == 1 else {
            throw ValleyError.refused("'\(name)' matches indicators in different units (\(units.sorted().joined(separator: ", "))); name one of \(indicators.map(\.id).joined(separator: ", "))")
        }
        let points = indicators.flatMap { indicator in indicator.observations.map { (indicator, $0) } }.sorted { $0.1.period < $1.1.period }
        var table = Table(columns: growth ? ["period", "value", "unit", "scope", "source", "growth % a year", "note"] : ["period", "value", "unit", "scope", "source"])
        var previous: (Indicator, Observation)?
        for (indicator, observation) in points {
            var row: [Cell] = [.text(observation.period.description), ObservationText.cell(observation), .text(indicator.unit),
                               .text(indicator.scope), .text(observation.source)]
            if growth {
                if let (lastIndicator, last) = previous, let rate = GrowthMath.rate(from: last, to: observation) {
                    let gap = observation.period.year - last.period.year
                    var notes: [String] = []
                    if gap > 1 { notes.append("annualised over \(gap) years") }
                    if lastIndicator.scope != indicator.scope { notes.append("scope changes: \(lastIndicator.scope) → \(indicator.scope)") }
                    row += [rate.cell, notes.isEmpty ? .empty : .text(notes.joined(separator: "; "))]
                } else {
                    row += [.empty, .empty]
                }
            }
            table.append(row)
            previous = (indicator, observation)
        }
        context.emit(table)
        if growth, let first = points.first, let last = points.last, let rate = GrowthMath.rate(from: first.1, to: last.1) {
            context.emit(text: "CAGR \(first.1.period.year)–\(last.1.period.year): \(rate.text) % a year"
                + (scopes.count > 1 ? " (mixes scopes: \(scopes.joined(separator: "; ")))" : ""))
        }
    }

    private func matching(in model: ClusterModel) throws -> [Indicator] {
        if let exact = try? model.indicator(named: name) { return [exact] }
        let wanted = name.lowercased()
        let found = model.indicators.filter { $0.id.lowercased().contains(wanted) || $0.name.lowercased().contains(wanted) }
        guard !found.isEmpty else { throw ValleyError.notFound(kind: "indicator", name: name, suggestions: model.suggestions(Indicator.self, for: name)) }
        return found
    }
}

// MARK: - sources

/// `sources`: provenance of any record; `sources add` records a new document.
struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Where records come from.", subcommands: [SourcesShow.self, SourcesAdd.self], defaultSubcommand: SourcesShow.self)
}

struct SourcesAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "sources", abstract: "Record a source document.")

    @Argument(help: "A new source id.") var id: String
    @Option(help: "The document's title.") var title: String
    @Option(help: "Who published it.") var publisher: String
    @Option(help: "A web address or file path.") var address: String?
    @Option(help: "Publication date: YYYY, YYYY-MM or YYYY-MM-DD.") var date: String?
    @Option(help: "primary, secondary or mirror.") var reliability: Source.Reliability

    mutating func run(in context: inout CommandContext) throws {
        guard context.model.source(id: id) == nil else { throw ValleyError.duplicateID(kind: "source", id: id) }
        let published = try date.map { text in
            guard let parsed = CalendarDate(text) else { throw ValleyError.invalidValue(field: "--date", value: text, expected: "YYYY, YYYY-MM or YYYY-MM-DD") }
            return parsed
        }
        try context.model.insert(Source(id: id, title: title, publisher: publisher, address: address, published: published, reliability: reliability))
        context.emit(text: "added source \(id)")
    }
}

extension Source.Reliability: ExpressibleByArgument {}

struct SourcesShow: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", _superCommandName: "sources", abstract: "Where a record comes from (any policy, event, indicator, enterprise, …); all sources without an id.")

    @Argument(help: "A record id (policy, event, indicator, enterprise, institution, cohort, leg, cargo profile) or a source id.") var id: String?


    mutating func run(in context: inout CommandContext) throws {
        let model = context.model
        var cited: [(String, String)] = []  // (what cites it, source id)
        if let id {
            if model.source(id: id) != nil { cited = [("source", id)] }
            for table in model.allTables { cited += table.citations(of: id) ?? [] }
            guard !cited.isEmpty else { throw ValleyError.notFound(kind: "record or source", name: id) }
        } else {
            cited = model.sources.map { ("", $0.id) }
        }
        var table = Table(columns: ["cited for", "source", "title", "publisher", "address", "date", "reliability"])
        for (what, sourceID) in cited {
            let source = model.source(id: sourceID)
            table.append([.text(what), .text(sourceID), .optional(source?.title), .optional(source?.publisher), .optional(source?.address),
                          .optional(source?.published), .text(source?.reliability.rawValue ?? "unknown source")])
        }
        context.emit(table)
    }
}
