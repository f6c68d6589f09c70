import ArgumentParser
import ValleyCore

// MARK: - talent institutions / institution

struct TalentInstitutions: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "institutions", _superCommandName: "talent", abstract: "List institutions, optionally of one kind.")

    @Option(help: "Only this kind: comprehensive-university, specialised-university, specialised-college, research-institute, platform.")
    var kind: Institution.Kind?
    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["id", "name", "中文名", "kind", "city", "sources"])
        for institution in context.model.institutions where kind == nil || institution.kind == kind {
            table.append([.text(institution.id), .text(institution.nameEN), .optional(institution.nameZH), .text(institution.kind.rawValue),
                          .text(institution.city), .text(institution.sources.joined(separator: ", "))])
        }
        context.emit(table)
    }
}

extension Institution.Kind: ExpressibleByArgument {}

struct TalentInstitution: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "institution", abstract: "One institution.", subcommands: [InstitutionShow.self])
}

struct InstitutionShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "talent institution", abstract: "Show an institution and its graduate cohorts.")

    @Argument(help: "An id, or an English or Chinese name.") var name: String
    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        let found = try RecordLookup.find(name, in: context.model.institutions, kind: "institution") { [$0.nameEN] + [$0.nameZH].compactMap { $0 } }
        var table = Table(columns: ["field", "value"])
        table.append(["id", .text(found.id)])
        table.append(["name", .text(found.nameEN)])
        table.append(["中文名", .optional(found.nameZH)])
        table.append(["kind", .text(found.kind.rawValue)])
        table.append(["city", .text(found.city)])
        table.append(["disciplines", .text(found.disciplines.joined(separator: ", "))])
        table.append(["sources", .text(found.sources.joined(separator: ", "))])
        let cohorts = context.model.cohorts.filter { $0.population == found.id }
        table.append(["graduate cohorts", .integer(cohorts.count)])
        context.emit(table)
    }
}

// MARK: - talent cohorts

struct TalentCohorts: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohorts", _superCommandName: "talent", abstract: "List graduate cohorts with their scope; floors are shown as ≥.")

    @Option(help: "Only this year.") var year: Int?
    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["year", "population", "level", "discipline", "graduates", "scope", "source"])
        for cohort in context.model.cohorts.sorted(by: { ($0.year, $0.id) < ($1.year, $1.id) }) where year == nil || cohort.year == year {
            table.append([.integer(cohort.year), .text(cohort.population), .text(cohort.level.rawValue), .text(cohort.discipline),
                          .text((cohort.isFloor ? "≥ " : "") + String(cohort.count)), .text(cohort.scope), .text(cohort.source)])
        }
        context.emit(table)
    }
}
