import ArgumentParser
import ValleyCore
#if canImport(Glibc)
import Glibc
#endif

/// Options every talent total shares: which year, and whether scopes may be mixed.
struct CohortScopeOptions: ParsableArguments {
    @Option(help: "The graduation year (default: the latest year in the selection).") var year: Int?
    @Flag(name: .customLong("mix-scopes"), help: "Allow figures of different scopes in one total.") var mixScopes = false

    /// The cohorts of the chosen (or latest) year, checked for one scope.
    func cohorts(in model: ClusterModel) throws -> (year: Int, cohorts: [GraduateCohort]) {
        guard let chosen = year ?? model.cohorts.map(\.year).max() else { throw ValleyError.refused("no graduate cohorts in the model") }
        let cohorts = model.cohorts.filter { $0.year == chosen }
        guard !cohorts.isEmpty else { throw ValleyError.refused("no graduate cohorts for \(chosen); years with data: \(Set(model.cohorts.map(\.year)).sorted().map(String.init).joined(separator: ", "))") }
        try CohortSelection.checkScopes(cohorts, mixScopes: mixScopes)
        return (chosen, cohorts)
    }
}

/// Totals by group, in descending order of value (ties by name).
func totals(_ cohorts: [GraduateCohort], by: TalentGrouping, model: ClusterModel) -> [(key: String, count: GraduateCount)] {
    var totals: [String: GraduateCount] = [:]
    for cohort in cohorts {
        totals[CohortSelection.key(cohort, by: by, model: model), default: .zero] = totals[CohortSelection.key(cohort, by: by, model: model), default: .zero]
            + GraduateCount(value: cohort.count, isFloor: cohort.isFloor)
    }
    return totals.map { ($0.key, $0.value) }.sorted { ($1.count.value, $0.key) < ($0.count.value, $1.key) }
}

// MARK: - talent summary

struct TalentSummary: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", _superCommandName: "talent", abstract: "Graduate totals and shares for one year, by level, discipline, institution or kind.")

    @Option(help: "Break the total down by this.") var by: TalentGrouping = .institution
    @OptionGroup var selection: CohortScopeOptions


    mutating func run(in context: inout CommandContext) throws {
        let (year, cohorts) = try selection.cohorts(in: context.model)
        let rows = totals(cohorts, by: by, model: context.model)
        let total = rows.reduce(GraduateCount.zero) { $0 + $1.count }
        var table = Table(columns: [by.rawValue, "graduates", "share %"])
        for row in rows {
            table.append([.text(row.key), row.count.cell, total.value > 0 ? .number(100 * Double(row.count.value) / Double(total.value), digits: 1) : .empty])
        }
        table.append(["total", total.cell, total.value > 0 ? .number(100, digits: 1) : .empty])
        context.emit(text: "graduates in \(year); scope: \(Set(cohorts.map(\.scope)).sorted().joined(separator: "; "))")
        context.emit(table)
        if total.isFloor { context.emit(text: "≥: a floor from the source ('over …'); a total containing a floor is a floor, and shares use the floors as values.") }
    }
}

// MARK: - talent growth

struct TalentGrowth: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth", _superCommandName: "talent", abstract: "Year-on-year growth and CAGR of graduate totals.")

    @Option(help: "First year.") var from: Int?
    @Option(help: "Last year.") var to: Int?
    @Option(help: "Separate series by this.") var by: TalentGrouping = .scope
    @Flag(name: .customLong("mix-scopes"), help: "Allow figures of different scopes in one series.") var mixScopes = false


    mutating func run(in context: inout CommandContext) throws {
        let cohorts = context.model.cohorts.filter { (from ?? Int.min) <= $0.year && $0.year <= (to ?? Int.max) }
        guard !cohorts.isEmpty else { throw ValleyError.refused("no graduate cohorts in that range") }
        var table = Table(columns: [by.rawValue, "year", "graduates", "growth % a year", "note"])
        // Series by scope keep scopes apart; `--mix-scopes` asks for one series across them.
        let mixedSeries = mixScopes && by == .scope
        let groups = Dictionary(grouping: cohorts) { mixedSeries ? "all scopes (mixed)" : CohortSelection.key($0, by: by, model: context.model) }
        for key in groups.keys.sorted() {
            let members = groups[key]!
            try CohortSelection.checkScopes(members, mixScopes: mixScopes)
            let byYear = Dictionary(grouping: members, by: \.year).mapValues { $0.reduce(GraduateCount.zero) { $0 + GraduateCount(value: $1.count, isFloor: $1.isFloor) } }
            let scopes = Dictionary(grouping: members, by: \.year).mapValues { Set($0.map(\.scope)).sorted().joined(separator: "; ") }
            let isMixed = Set(members.map(\.scope)).count > 1
            let years = byYear.keys.sorted()
            var previous: (Int, GraduateCount)?
            for year in years {
                let count = byYear[year]!
                var growth: Cell = .empty
                var notes: [String] = []
                if let (lastYear, last) = previous {
                    growth = Self.rate(from: last, to: count, years: year - lastYear)
                    if year - lastYear > 1 { notes.append("annualised over \(year - lastYear) years") }
                } else if years.count == 1 {
                    notes.append("one year in range: no growth (--mix-scopes joins scopes into one series)")
                }
                if isMixed, let scope = scopes[year] { notes.append("scope: \(scope)") }
                let note = notes.joined(separator: "; ")
                table.append([.text(key), .integer(year), count.cell, growth, note.isEmpty ? .empty : .text(note)])
                previous = (year, count)
            }
            if years.count >= 2, let first = byYear[years.first!], let last = byYear[years.last!] {
                table.append([.text(key), .text("CAGR \(years.first!)–\(years.last!)"), .empty, Self.rate(from: first, to: last, years: years.last! - years.first!),
                              isMixed ? "figures of different scopes compared (--mix-scopes)" : .empty])
            }
        }
        context.emit(table)
    }

    /// Compound annual growth in percent, as a bound when either end is a floor.
    static func rate(from start: GraduateCount, to end: GraduateCount, years: Int) -> Cell {
        guard years > 0, start.value > 0 else { return .text("n/a") }
        let percent = 100 * (pow(Double(end.value) / Double(start.value), 1 / Double(years)) - 1)
        switch (start.isFloor, end.isFloor) {
        case (false, false): return .bound(percent, digits: 1, limit: .exact)
        case (false, true): return .bound(percent, digits: 1, limit: .floor)
        case (true, false): return .bound(percent, digits: 1, limit: .ceiling)
        case (true, true): return .text("n/a (both floors)")
        }
    }
}

// MARK: - talent rank

struct TalentRank: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank", _superCommandName: "talent", abstract: "Rank groups by graduates in one year; ties share a rank (1, 2, 2, 4).")

    @Option(help: "Rank by this.") var by: TalentGrouping
    @Option(help: "Show the top N ranks.") var top: Int?
    @OptionGroup var selection: CohortScopeOptions


    mutating func run(in context: inout CommandContext) throws {
        if let top, top < 1 { throw ValleyError.invalidValue(field: "--top", value: String(top), expected: "a number ≥ 1") }
        let (_, cohorts) = try selection.cohorts(in: context.model)
        let rows = totals(cohorts, by: by, model: context.model)
        var table = Table(columns: ["rank", by.rawValue, "graduates"])
        var rank = 0
        for (index, row) in rows.enumerated() {
            if index == 0 || row.count.value != rows[index - 1].count.value { rank = index + 1 }
            if let top, rank > top { break }
            table.append([.integer(rank), .text(row.key), row.count.cell])
        }
        context.emit(table)
    }
}

// MARK: - talent map

struct TalentMap: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "map", _superCommandName: "talent", abstract: "Show the discipline → sector mapping, or map a discipline to a sector (--remove to unmap).")

    @Argument(help: "A discipline.") var discipline: String?
    @Argument(help: "A sector id.") var sector: String?
    @Flag(help: "Remove the mapping instead.") var remove = false


    mutating func run(in context: inout CommandContext) throws {
        if let discipline {
            guard let sectorName = sector else { throw ValidationError("give a discipline and a sector id") }
            let sector = try context.model.resolveID(Sector.self, sectorName)
            var sectors = context.model.disciplineSectors[discipline] ?? []
            if remove {
                guard sectors.contains(sector) else { throw ValleyError.refused("\(discipline) is not mapped to \(sector)") }
                sectors.removeAll { $0 == sector }
            } else {
                guard !sectors.contains(sector) else { throw ValleyError.refused("\(discipline) is already mapped to \(sector)") }
                sectors.append(sector)
            }
            if sectors.isEmpty {
                try context.model.remove(DisciplineSectors.self, id: discipline)
            } else if context.model.record(DisciplineSectors.self, id: discipline) != nil {
                try context.model.update(DisciplineSectors(discipline: discipline, sectors: sectors))
            } else {
                try context.model.insert(DisciplineSectors(discipline: discipline, sectors: sectors))
            }
        }
        var table = Table(columns: ["discipline", "sectors"])
        for (discipline, sectors) in context.model.disciplineSectors.sorted(by: { $0.key < $1.key }) {
            table.append([.text(discipline), .text(sectors.joined(separator: ", "))])
        }
        context.emit(table)
    }
}

// MARK: - talent supply-demand

struct TalentSupplyDemand: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "supply-demand", _superCommandName: "talent",
        abstract: "Graduates of the disciplines mapped to each sector against the registry's enterprises and headcount there.")

    @Option(help: "Only this sector id.") var sector: String?
    @Flag(name: .customLong("mix-scopes"), help: "Allow graduate figures of different scopes in one sector's supply.") var mixScopes = false


    mutating func run(in context: inout CommandContext) throws {
        let model = context.model
        let sector = try self.sector.map { try model.resolveID(Sector.self, $0) }
        let sectors = sector.map { [$0] } ?? model.sectors.map(\.id)
        var table = Table(columns: ["sector", "disciplines", "graduates a year", "year", "enterprises", "headcount", "without headcount", "graduates per enterprise"])
        for id in sectors {
            let disciplines = model.disciplineSectors.filter { $0.value.contains(id) }.map(\.key).sorted()
            // The latest year of each mapped discipline.
            var supply: [GraduateCohort] = []
            for discipline in disciplines {
                let matching = model.cohorts.filter { $0.discipline == discipline }
                if let latest = matching.map(\.year).max() { supply += matching.filter { $0.year == latest } }
            }
            try CohortSelection.checkScopes(supply, mixScopes: mixScopes)
            let graduates = supply.reduce(GraduateCount.zero) { $0 + GraduateCount(value: $1.count, isFloor: $1.isFloor) }
            let enterprises = model.enterprises.filter { $0.sectors.contains(id) }
            let headcount = enterprises.compactMap(\.headcount).reduce(0, +)
            let years = Set(supply.map(\.year)).sorted().map(String.init).joined(separator: ", ")
            let perEnterprise: Cell = enterprises.isEmpty || supply.isEmpty ? .empty
                : .bound(Double(graduates.value) / Double(enterprises.count), digits: 1, limit: graduates.isFloor ? .floor : .exact)
            table.append([.text(id), .list(disciplines), supply.isEmpty ? .empty : graduates.cell, .text(years),
                          .integer(enterprises.count), .integer(headcount), .integer(enterprises.filter { $0.headcount == nil }.count), perEnterprise])
        }
        context.emit(table)
        context.emit(text: "A discipline mapped to several sectors counts in each: graduates are potential supply, not a split. "
            + "Enterprises are those named in the registry, not the reported totals. Change the mapping with 'talent map DISCIPLINE SECTOR'.")
    }
}

// MARK: - talent chart

extension TalentChart {
    /// What a bar is called in the SVG: an institution's name (its id in the terminal chart,
    /// which is narrow), otherwise the key.
    static func name(_ key: String, by: TalentGrouping, model: ClusterModel) -> String {
        guard by == .institution, let institution = model.institutions[id: key] else { return key }
        return institution.nameEN + (institution.nameZH.map { " \($0)" } ?? "")
    }
}

struct TalentChart: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart", _superCommandName: "talent", abstract: "A bar chart of one year's graduates by a grouping; --svg writes the same chart.")

    @Option(help: "Break the total down by this.") var by: TalentGrouping = .institution
    @OptionGroup var selection: CohortScopeOptions
    @Option(help: "Also write the chart as SVG (atomically).", completion: .file(extensions: ["svg"])) var svg: String?

    mutating func run(in context: inout CommandContext) throws {
        let (year, cohorts) = try selection.cohorts(in: context.model)
        let rows = totals(cohorts, by: by, model: context.model)
        let maximum = max(rows.map(\.count.value).max() ?? 1, 1)
        let labelWidth = min(40, rows.map { displayWidth($0.key) }.max() ?? 0)
        var lines = ["graduates in \(year) by \(by.rawValue)"]
        for row in rows {
            let bar = String(repeating: "█", count: max(1, Int((Double(row.count.value) / Double(maximum) * 40).rounded())))
            lines.append(row.key + String(repeating: " ", count: max(0, labelWidth - displayWidth(row.key))) + "  " + bar + " " + row.count.text)
        }
        context.emit(text: lines.joined(separator: "\n"))
        if let svg {
            var body = [#"<text x="10" y="20" font-size="14" font-weight="bold">graduates in \#(year) by \#(by.rawValue)</text>"#]
            // The bars start after the longest name (12 px text: about 7 px a Latin character).
            let labelColumn = max(260, 20 + (rows.map { Double(Self.name($0.key, by: by, model: context.model).count) * 7 }.max() ?? 0)).rounded(.up)
            for (index, row) in rows.enumerated() {
                let y = 40 + index * 28
                let width = Double(row.count.value) / Double(maximum) * 400
                body.append(#"<text x="10" y="\#(y + 15)" font-size="12">\#(XMLText.escape(Self.name(row.key, by: by, model: context.model)))</text>"#)
                body.append(##"<rect class="bar" x="\##(labelColumn)" y="\##(y)" width="\##(width)" height="20" fill="\##(row.count.isFloor ? "none" : "#2a9d55")" stroke="#2a9d55"/>"##)
                body.append(#"<text x="\#(labelColumn + 6 + width)" y="\#(y + 15)" font-size="12">\#(XMLText.escape(row.count.text))</text>"#)
            }
            let height = 60 + rows.count * 28
            let document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelColumn + 500)\" height=\"\(height)\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                + body.joined(separator: "\n") + "\n</svg>\n"
            try FileIO.writeAtomically(Array(document.utf8), to: context.resolve(path: svg))
            context.emit(text: "wrote \(svg)")
        }
    }
}
