import ArgumentParser
import ValleyCore

// MARK: - registry list

struct RegistryList: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "registry", abstract: "List enterprises, optionally of one sector.")

    @Option(help: "Only enterprises in this sector (id or name).") var sector: String?
    @Option(help: "Show at most N enterprises.") var limit: Int?
    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        if let limit, limit < 0 { throw ValleyError.invalidValue(field: "--limit", value: String(limit), expected: "a number ≥ 0") }
        var enterprises = context.model.enterprises
        if let sector {
            let match = try RecordLookup.find(sector, in: context.model.sectors, kind: "sector") { [$0.name] + [$0.nameZH].compactMap { $0 } }
            enterprises = enterprises.filter { $0.sectors.contains(match.id) }
        }
        if let limit { enterprises = Array(enterprises.prefix(limit)) }
        var table = Table(columns: ["id", "name", "中文名", "sectors", "founded", "listings"])
        for enterprise in enterprises {
            table.append([
                .text(enterprise.id), .optional(enterprise.nameEN), .optional(enterprise.nameZH),
                .text(enterprise.sectors.joined(separator: ", ")), .optional(enterprise.founded),
                .text(enterprise.listings.map(\.ticker).joined(separator: ", ")),
            ])
        }
        context.emit(table)
    }
}

// MARK: - registry show

struct RegistryShow: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "show", _superCommandName: "registry", abstract: "Show every field of an enterprise with its source.")

    @Argument(help: "An id, or an English or Chinese name or alias.") var name: String
    @OptionGroup var output: FormatOption

    var outputFormat: OutputFormat? { output.format }

    mutating func run(in context: inout CommandContext) throws {
        let e = try RecordLookup.find(name, in: context.model.enterprises, kind: "enterprise") { $0.allNames }
        let recordSources = e.sources.joined(separator: ", ")
        var table = Table(columns: ["field", "source", "value"])
        table.append(["id", .empty, .text(e.id)])
        table.append(["name", .text(recordSources), .optional(e.nameEN)])
        table.append(["中文名", .text(recordSources), .optional(e.nameZH)])
        table.append(["aliases", .text(recordSources), .text(e.aliases.joined(separator: "; "))])
        table.append(["credit code", .empty, .optional(e.creditCode)])
        table.append(["founded", .text(recordSources), .optional(e.founded)])
        table.append(["status", .empty, .text(e.status.rawValue)])
        table.append(["sectors", .text(recordSources), .text(e.sectors.joined(separator: ", "))])
        table.append(["park", .text(recordSources), .optional(e.park)])
        table.append(["region", .text(recordSources), .optional(e.region)])
        for designation in e.designations {
            let validity = [designation.granted.map { "granted \($0)" }, designation.validUntil.map { "valid until \($0)" }].compactMap { $0 }
            table.append(["designation", .text(designation.source), .text(([designation.name] + [designation.tier].compactMap { $0 } + validity).joined(separator: ", "))])
        }
        for listing in e.listings {
            table.append(["listing", .text(listing.source), .text("\(listing.ticker) (\(listing.exchange))" + (listing.date.map { ", listed \($0)" } ?? ""))])
        }
        table.append(["headcount", .empty, .optional(e.headcount)])
        table.append(["as of", .empty, .optional(e.asOf)])
        table.append(["note", .empty, .optional(e.note)])
        context.emit(table)
    }
}

// MARK: - registry add / remove

struct RegistryAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "registry", abstract: "Add an enterprise.")

    @Argument(help: "A new stable id, e.g. 'acme-bio'.") var id: String
    @Option(help: "English name.") var name: String?
    @Option(name: .customLong("name-zh"), help: "Chinese name.") var nameZH: String?
    @Option(help: "Another name (repeatable).") var alias: [String] = []
    @Option(help: "A sector id (repeatable).") var sector: [String] = []
    @Option(help: "Founding date: YYYY, YYYY-MM or YYYY-MM-DD.") var founded: String?
    @Option(help: "A source id (repeatable; at least one).") var source: [String] = []

    mutating func run(in context: inout CommandContext) throws {
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ValleyError.invalidValue(field: "id", value: id, expected: "ASCII letters, digits, '-' or '_'")
        }
        guard !context.model.enterprises.contains(where: { $0.id == id }) else { throw ValleyError.duplicateID(kind: "enterprise", id: id) }
        guard name != nil || nameZH != nil else { throw ValidationError("give --name or --name-zh") }
        guard !source.isEmpty else { throw ValidationError("give at least one --source (see 'sources')") }
        for sourceID in source where context.model.source(id: sourceID) == nil {
            throw ValleyError.notFound(kind: "source", name: sourceID)
        }
        for sectorID in sector where !context.model.sectors.contains(where: { $0.id == sectorID }) {
            throw ValleyError.notFound(kind: "sector", name: sectorID)
        }
        let foundedDate = try founded.map { text in
            guard let date = CalendarDate(text) else { throw ValleyError.invalidValue(field: "--founded", value: text, expected: "YYYY, YYYY-MM or YYYY-MM-DD") }
            return date
        }
        context.model.enterprises.append(Enterprise(id: id, nameEN: name, nameZH: nameZH, aliases: alias, founded: foundedDate,
                                                    sectors: sector, sources: source))
        context.emit(text: "added \(id)")
    }
}

struct RegistryRemove: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "remove", _superCommandName: "registry", abstract: "Remove an enterprise.")

    @Argument(help: "An id or name.") var name: String

    mutating func run(in context: inout CommandContext) throws {
        let enterprise = try RecordLookup.find(name, in: context.model.enterprises, kind: "enterprise") { $0.allNames }
        context.model.enterprises.removeAll { $0.id == enterprise.id }
        context.emit(text: "removed \(enterprise.id)")
    }
}
