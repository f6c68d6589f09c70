import ArgumentParser
import ValleyCore
import ValleyTableFiles

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
        let source = try self.source.map { try context.model.resolveID(Source.self, $0) }
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
                          GraduateCount(value: cohort.count, isFloor: cohort.isFloor).cell, .text(cohort.scope), .text(cohort.source)])
        }
        context.emit(table)
    }
}

struct CohortAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "talent cohort", abstract: "Add a graduate cohort.")

    @Argument(help: "A new stable id.") var id: String
    @Option(help: "An institution (id, name or Chinese name), or a region name.") var population: String
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
        let source = try context.model.resolveID(Source.self, self.source)
        try context.model.insert(GraduateCohort(id: id, population: context.model.population(population), year: year, level: level, discipline: discipline, count: count,
                                                    isFloor: floor, definition: definition, scope: scope, source: source))
        context.emit(text: "added \(id)")
    }
}

// MARK: - talent import

struct TalentImport: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", _superCommandName: "talent",
        abstract: "Import graduate cohorts from CSV/TSV (any encoding) or .xlsx; all or nothing unless --skip-bad.",
        discussion: "Columns: \(TalentImport.fields.map(\.name).joined(separator: ", ")) (or 年份, 学历, 人数, 院校, 专业, …). floor is yes/no; counts may have thousands separators; levels in English or Chinese (本科, 硕士, 博士).")

    static let fields: [ImportField] = [
        ImportField("id"), ImportField("population", aliases: ["institution", "院校", "学校", "地区"]),
        ImportField("year", aliases: ["年份", "毕业年份"]), ImportField("level", aliases: ["学历", "学历层次", "degree"]),
        ImportField("discipline", aliases: ["专业", "学科", "major"]), ImportField("count", aliases: ["graduates", "人数", "毕业生人数", "毕业生数"]),
        ImportField("floor", aliases: ["at least"]), ImportField("definition", aliases: ["口径", "定义"]),
        ImportField("scope", aliases: ["范围"]), ImportField("source", aliases: ["来源"]),
    ]

    /// Level words: English and Chinese (本科 bachelor, 硕士 master, 博士 doctoral, 专科/高职 vocational).
    static func level(_ text: String) -> GraduateCohort.Level? {
        let key = text.trimmingSpaces.lowercased()
        if let exact = GraduateCohort.Level(rawValue: key) { return exact }
        let words: [String: GraduateCohort.Level] = [
            "本科": .bachelor, "学士": .bachelor, "bachelor's": .bachelor, "undergraduate": .bachelor, "ba": .bachelor, "bsc": .bachelor,
            "硕士": .master, "研究生": .master, "master's": .master, "masters": .master, "msc": .master,
            "博士": .doctoral, "phd": .doctoral, "doctorate": .doctoral, "doctor": .doctoral,
            "专科": .vocational, "高职": .vocational, "大专": .vocational, "高职高专": .vocational,
            "合计": .all, "总计": .all, "全部": .all, "total": .all,
        ]
        return words[key]
    }

    @Argument(help: "The file (.csv, .tsv, .txt or .xlsx).", completion: .file(extensions: ["csv", "tsv", "txt", "xlsx"])) var file: String
    @OptionGroup var options: ImportOptions

    mutating func run(in context: inout CommandContext) throws {
        let table = try TableFile(path: context.resolve(path: file), name: file, options: try options.tableOptions())
        let mapping = try ColumnMapping(header: table.header, fields: Self.fields, maps: options.map, strict: options.strict, file: file, line: table.headerLine)
        for required in ["id", "population", "year", "count", "scope", "source"] where mapping.positions[required] == nil {
            throw ValleyError.located(file: file, line: table.headerLine, .invalidValue(field: "header", value: table.header.joined(separator: ","), expected: "a '\(required)' column (or map one with --map COLUMN=\(required))"))
        }
        let report = ImportReport(file: file, options: options)
        var imported = 0
        while let record = try table.nextRecord() {
            report.countRow()
            do {
                func value(_ column: String) -> String { mapping.value(column, in: record) ?? "" }
                guard record.fields.count == mapping.width else {
                    throw ValleyError.invalidValue(field: "row", value: "\(record.fields.count) fields", expected: "\(mapping.width) fields as in the header")
                }
                let id = value("id")
                guard !id.isEmpty else { throw ValleyError.invalidValue(field: "id", value: "", expected: "an id") }
                guard let year = WrittenValues.integer(value("year")), (1900...2100).contains(year) else { throw ValleyError.invalidValue(field: "year", value: value("year"), expected: "a year 1900–2100") }
                guard let count = WrittenValues.integer(value("count")), count >= 0 else { throw ValleyError.invalidValue(field: "count", value: value("count"), expected: "a whole number ≥ 0 (thousands separators allowed)") }
                let levelText = value("level").isEmpty ? "all" : value("level")
                guard let level = Self.level(levelText) else {
                    throw ValleyError.invalidValue(field: "level", value: levelText, expected: "vocational, bachelor, master, doctoral or all (or 专科, 本科, 硕士, 博士)")
                }
                let floorText = value("floor").lowercased()
                guard ["", "yes", "no", "true", "false", "是", "否"].contains(floorText) else { throw ValleyError.invalidValue(field: "floor", value: floorText, expected: "yes or no") }
                guard context.model.source(id: value("source")) != nil else { throw ValleyError.invalidValue(field: "source", value: value("source"), expected: "a source id in the model") }
                guard !value("scope").isEmpty else { throw ValleyError.invalidValue(field: "scope", value: "", expected: "the scope of the count") }
                let cohort = GraduateCohort(
                    id: id, population: context.model.population(value("population")), year: year, level: level, discipline: value("discipline").isEmpty ? "all" : value("discipline"),
                    count: count, isFloor: ["yes", "true", "是"].contains(floorText), definition: value("definition"), scope: value("scope"), source: value("source"))
                // The kind's validation (duplicate ids, ranges) is the one path in.
                try context.model.insert(cohort)
                imported += 1
            } catch {
                report.reject(error, line: record.line, fields: record.fields)
            }
        }
        try report.finish(header: table.header, resolve: context.resolve(path:))
        var summary = Table(columns: ["file", "read as", "rows", "imported", "bad"])
        summary.append([.text(file), .text(table.detectedForm), .integer(report.rows), .integer(options.dryRun ? 0 : imported), .integer(report.badCount)])
        if options.dryRun {
            context.discardChanges()
            context.note("plan for \(file) (dry run: nothing was imported)\ncolumns:\n" + mapping.planLines.joined(separator: "\n"))
        } else if !mapping.ignored.isEmpty {
            context.note("\(file): ignored columns: \(mapping.ignored.joined(separator: ", ")) (--map COLUMN=FIELD reads one, --strict refuses them)")
        }
        context.emit(summary, name: options.dryRun ? "plan" : "import")
        if report.badCount > 0 {
            if let note = report.skippedNote { context.note(note) }
            context.emit(report.problemTable, name: "problems")
        }
    }
}
