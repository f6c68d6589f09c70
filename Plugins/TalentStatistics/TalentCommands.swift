import ArgumentParser
import ValleyCore

// MARK: - talent institutions / institution add|show

struct TalentInstitutions: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "institutions", _superCommandName: "talent", abstract: "List institutions (filter with --where).",
        discussion: "Fields: \(InstitutionFields.all.names.joined(separator: ", ")).")

    @Option(help: "Only this kind.") var kind: Institution.Kind?
    @Option(name: .customLong("where"), help: "A filter, e.g. \"kind = platform\".") var filter: String?


    mutating func run(in context: inout CommandContext) throws {
        let condition = try InstitutionFields.all.whereFilter(filter)
        var table = Table(columns: ["id", "name", "中文名", "kind", "city", "disciplines", "sources"])
        for institution in context.model.institutions where (kind == nil || institution.kind == kind) && (condition?.matches(institution) ?? true) {
            table.append([.text(institution.id), .text(institution.nameEN), .optional(institution.nameZH), .text(institution.kind.rawValue),
                          .text(institution.city), .text(institution.disciplines.joined(separator: ", ")), .text(institution.sources.joined(separator: ", "))])
        }
        context.emit(table)
    }
}

struct TalentInstitution: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "institution", abstract: "One institution.", subcommands: [InstitutionShow.self, InstitutionAdd.self])
}

struct InstitutionShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "talent institution", abstract: "Show an institution and its graduate cohorts.")

    @Argument(help: "An id, or an English or Chinese name.") var name: String


    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.institution(named: name)
        var table = Table(columns: ["field", "value"])
        table.append(["id", .text(found.id)])
        table.append(["name", .text(found.nameEN)])
        table.append(["中文名", .optional(found.nameZH)])
        table.append(["kind", .text(found.kind.rawValue)])
        table.append(["city", .text(found.city)])
        table.append(["disciplines", .text(found.disciplines.joined(separator: ", "))])
        table.append(["sources", .text(found.sources.joined(separator: ", "))])
        for cohort in context.model.cohorts where cohort.population == found.id {
            table.append(["cohort", .text("\(cohort.year) \(cohort.level.rawValue) \(cohort.discipline): \(GraduateCount(value: cohort.count, isFloor: cohort.isFloor).text) (\(cohort.scope))")])
        }
        context.emit(table)
    }
}

struct InstitutionAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "talent institution", abstract: "Add an institution.")

    @Argument(help: "A new stable id.") var id: String
    @Option(help: "English name.") var name: String
    @Option(name: .customLong("name-zh"), help: "Chinese name.") var nameZH: String?
    @Option(help: "The kind of institution.") var kind: Institution.Kind
    @Option(help: "City.") var city = "Nanjing"
    @Option(help: "A discipline (repeatable).") var discipline: [String] = []
    @Option(help: "A source id (repeatable; at least one).") var source: [String] = []

    mutating func run(in context: inout CommandContext) throws {
        guard !context.model.institutions.contains(id: id) else { throw ValleyError.duplicateID(kind: "institution", id: id) }
        guard !source.isEmpty else { throw ValidationError("give at least one --source") }
        for id in source where context.model.source(id: id) == nil { throw ValleyError.notFound(kind: "source", name: id) }
        try context.model.insert(Institution(id: id, nameEN: name, nameZH: nameZH, kind: kind, city: city, disciplines: discipline, sources: source))
        context.emit(text: "added \(id)")
    }
}

// MARK: - talent cohort add|list

struct TalentCohort: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cohort", abstract: "Graduate cohorts.", subcommands: [CohortList.self, CohortAdd.self])
}

struct CohortList: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "talent cohort", abstract: "List graduate cohorts with their scope; floors are shown as ≥.")

    @Option(help: "Only this year.") var year: Int?


    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "year", "population", "level", "discipline", "graduates", "scope", "source"])
        for cohort in context.model.cohorts.sorted(by: { ($0.year, $0.id) < ($1.year, $1.id) }) where year == nil || cohort.year == year {
            table.append([.text(cohort.id), .integer(cohort.year), .text(cohort.population), .text(cohort.level.rawValue), .text(cohort.discipline),
                          .text(GraduateCount(value: cohort.count, isFloor: cohort.isFloor).text), .text(cohort.scope), .text(cohort.source)])
        }
        context.emit(table)
    }
}

struct CohortAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "talent cohort", abstract: "Add a graduate cohort.")

    @Argument(help: "A new stable id.") var id: String
    @Option(help: "An institution id, or a region name.") var population: String
    @Option(help: "Graduation year.") var year: Int
    @Option(help: "vocational, bachelor, master, doctoral or all.") var level: GraduateCohort.Level = .all
    @Option(help: "Discipline, or 'all'.") var discipline = "all"
    @Option(help: "Number of graduates.") var count: Int
    @Flag(help: "The source gives a floor ('over …').") var floor = false
    @Option(help: "What was counted.") var definition: String
    @Option(help: "The scope; counts of different scope are never summed silently.") var scope: String
    @Option(help: "The source id.") var source: String

    mutating func run(in context: inout CommandContext) throws {
        guard !context.model.cohorts.contains(id: id) else { throw ValleyError.duplicateID(kind: "graduate cohort", id: id) }
        guard count >= 0 else { throw ValleyError.invalidValue(field: "--count", value: String(count), expected: "a number ≥ 0") }
        guard (1900...2100).contains(year) else { throw ValleyError.invalidValue(field: "--year", value: String(year), expected: "a year 1900–2100") }
        guard context.model.source(id: source) != nil else { throw ValleyError.notFound(kind: "source", name: source) }
        try context.model.insert(GraduateCohort(id: id, population: population, year: year, level: level, discipline: discipline, count: count,
                                                    isFloor: floor, definition: definition, scope: scope, source: source))
        context.emit(text: "added \(id)")
    }
}

// MARK: - talent import

struct TalentImport: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", _superCommandName: "talent",
        abstract: "Import graduate cohorts from CSV; all or nothing unless --skip-bad.",
        discussion: "Columns: \(TalentImport.columns.joined(separator: ", ")). floor is yes/no.")
    static let columns = ["id", "population", "year", "level", "discipline", "count", "floor", "definition", "scope", "source"]

    @Argument(help: "The CSV file.", completion: .file(extensions: ["csv"])) var file: String
    @Flag(name: .customLong("skip-bad"), help: "Import the good rows and list each skipped line with its reason.") var skipBad = false

    mutating func run(in context: inout CommandContext) throws {
        var rows = CSVReader(contentsOf: context.resolve(path: file), name: file).makeIterator()
        guard let header = try rows.nextRecord() else { throw ValleyError.file(path: file, reason: "is empty (expected a header row)") }
        var positions: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            guard Self.columns.contains(name) else {
                throw ValleyError.located(file: file, line: 1, .invalidValue(field: "column", value: name, expected: "one of \(Self.columns.joined(separator: ", "))"))
            }
            positions[name] = index
        }
        for required in ["id", "population", "year", "count", "scope", "source"] where positions[required] == nil {
            throw ValleyError.located(file: file, line: 1, .invalidValue(field: "header", value: header.fields.joined(separator: ","), expected: "a '\(required)' column"))
        }
        var seen = Set(context.model.cohorts.map(\.id))
        var imported: [GraduateCohort] = []
        var skipped: [(Int, String)] = []
        while let record = try rows.nextRecord() {
            if record.fields == [""] { continue }
            do {
                func value(_ column: String) -> String { positions[column].flatMap { $0 < record.fields.count ? record.fields[$0] : nil } ?? "" }
                guard record.fields.count == header.fields.count else {
                    throw ValleyError.invalidValue(field: "row", value: "\(record.fields.count) fields", expected: "\(header.fields.count) fields as in the header")
                }
                let id = value("id")
                guard !id.isEmpty, seen.insert(id).inserted else { throw ValleyError.duplicateID(kind: "graduate cohort", id: id) }
                guard let year = Int(value("year")), (1900...2100).contains(year) else { throw ValleyError.invalidValue(field: "year", value: value("year"), expected: "a year 1900–2100") }
                guard let count = Int(value("count")), count >= 0 else { throw ValleyError.invalidValue(field: "count", value: value("count"), expected: "a whole number ≥ 0") }
                let levelText = value("level").isEmpty ? "all" : value("level")
                guard let level = GraduateCohort.Level(rawValue: levelText) else {
                    throw ValleyError.invalidValue(field: "level", value: levelText, expected: "vocational, bachelor, master, doctoral or all")
                }
                let floorText = value("floor").lowercased()
                guard ["", "yes", "no", "true", "false"].contains(floorText) else { throw ValleyError.invalidValue(field: "floor", value: floorText, expected: "yes or no") }
                guard context.model.source(id: value("source")) != nil else { throw ValleyError.invalidValue(field: "source", value: value("source"), expected: "a source id in the model") }
                guard !value("scope").isEmpty else { throw ValleyError.invalidValue(field: "scope", value: "", expected: "the scope of the count") }
                let cohort = GraduateCohort(
                    id: id, population: value("population"), year: year, level: level, discipline: value("discipline").isEmpty ? "all" : value("discipline"),
                    count: count, isFloor: floorText == "yes" || floorText == "true", definition: value("definition"), scope: value("scope"), source: value("source"))
                try context.model.insert(cohort)
                imported.append(cohort)
            } catch {
                let problem = error as? ValleyError ?? .refused(ValleyError.describe(error))
                guard skipBad else { throw ValleyError.located(file: file, line: record.line, problem) }
                skipped.append((record.line, ValleyError.describe(problem)))
            }
        }
        context.emit(text: "imported \(imported.count) cohort\(imported.count == 1 ? "" : "s") from \(file)" + (skipped.isEmpty ? "" : "; skipped \(skipped.count)"))
        if !skipped.isEmpty {
            var table = Table(columns: ["line", "skipped because"])
            for (line, reason) in skipped { table.append([.integer(line), .text(reason)]) }
            context.emit(table)
        }
    }
}
