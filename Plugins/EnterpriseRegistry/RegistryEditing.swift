import ArgumentParser
import ValleyCore

/// The options `add` and `update` share; each given option sets its field.
struct EnterpriseFieldOptions: ParsableArguments {
    @Option(help: "English name.") var name: String?
    @Option(name: .customLong("name-zh"), help: "Chinese name.") var nameZH: String?
    @Option(help: "Another name (repeatable).") var alias: [String] = []
    @Option(name: .customLong("credit-code"), help: "Unified social credit code (18 characters, validated).") var creditCode: String?
    @Option(help: "Founding date: YYYY, YYYY-MM or YYYY-MM-DD.") var founded: String?
    @Option(help: "active, deregistered, merged or unknown.") var status: String?
    @Option(help: "A sector, by id, name, Chinese name or alias (repeatable).") var sector: [String] = []
    @Option(help: "Park.") var park: String?
    @Option(help: "Region.") var region: String?
    @Option(help: "A designation as NAME[:TIER][:GRANTED][:VALID-UNTIL] (repeatable; cites the first --source).") var designation: [String] = []
    @Option(help: "A listing as EXCHANGE:TICKER[:DATE] (repeatable; cites the first --source).") var listing: [String] = []
    @Option(help: "Number of employees.") var headcount: Int?
    @Option(help: "A source id (repeatable).") var source: [String] = []
    @Option(name: .customLong("as-of"), help: "When the record was last known true.") var asOf: String?
    @Option(help: "A free note.") var note: String?

    /// Applies the given options to `enterprise`, checking each value against the model.
    func apply(to enterprise: inout Enterprise, model: ClusterModel) throws {
        if let name { enterprise.nameEN = name }
        if let nameZH { enterprise.nameZH = nameZH }
        for alias in alias where !enterprise.aliases.contains(alias) { enterprise.aliases.append(alias) }
        if let creditCode {
            let code = creditCode.uppercased()
            if let problem = CreditCode.problem(with: code) {
                throw ValleyError.invalidValue(field: "--credit-code", value: creditCode, expected: "a valid GB 32100-2015 code; \(problem)")
            }
            enterprise.creditCode = code
        }
        if let founded { enterprise.founded = try date(founded, option: "--founded") }
        if let status {
            guard let value = Enterprise.Status(rawValue: status) else {
                throw ValleyError.invalidValue(field: "--status", value: status, expected: "active, deregistered, merged or unknown")
            }
            enterprise.status = value
        }
        for name in sector {
            let id = try model.resolveID(Sector.self, name)  // by id, name, Chinese name or alias
            if !enterprise.sectors.contains(id) { enterprise.sectors.append(id) }
        }
        if let park { enterprise.park = park }
        if let region { enterprise.region = region }
        var cited: [String] = []
        for name in source {
            let id = try model.resolveID(Source.self, name)
            cited.append(id)
            if !enterprise.sources.contains(id) { enterprise.sources.append(id) }
        }
        let citation = cited.first ?? enterprise.sources.first ?? ""
        for text in designation {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let name = parts.first, !name.isEmpty, parts.count <= 4 else {
                throw ValleyError.invalidValue(field: "--designation", value: text, expected: "NAME[:TIER][:GRANTED][:VALID-UNTIL]")
            }
            let tier = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
            let granted = try parts.count > 2 && !parts[2].isEmpty ? date(parts[2], option: "--designation granted") : nil
            let validUntil = try parts.count > 3 && !parts[3].isEmpty ? date(parts[3], option: "--designation valid-until") : nil
            enterprise.designations.append(Designation(name: name, tier: tier, granted: granted, validUntil: validUntil, source: citation))
        }
        for text in listing {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValleyError.invalidValue(field: "--listing", value: text, expected: "EXCHANGE:TICKER[:DATE]")
            }
            let listed = try parts.count == 3 ? date(parts[2], option: "--listing date") : nil
            enterprise.listings.append(Listing(exchange: parts[0], ticker: parts[1], date: listed, source: citation))
        }
        if let headcount {
            guard headcount >= 0 else { throw ValleyError.invalidValue(field: "--headcount", value: String(headcount), expected: "a number ≥ 0") }
            enterprise.headcount = headcount
        }
        if let asOf { enterprise.asOf = try date(asOf, option: "--as-of") }
        if let note { enterprise.note = note }
    }

    private func date(_ text: String, option: String) throws -> CalendarDate {
        guard let date = CalendarDate(text) else { throw ValleyError.invalidValue(field: option, value: text, expected: "YYYY, YYYY-MM or YYYY-MM-DD") }
        return date
    }
}

// MARK: - registry add / update / remove

struct RegistryAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "registry", abstract: "Add an enterprise (with at least a name and a source).")

    @Argument(help: "A new stable id, e.g. 'acme-bio'.") var id: String
    @OptionGroup var values: EnterpriseFieldOptions

    mutating func run(in context: inout CommandContext) throws {
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ValleyError.invalidValue(field: "id", value: id, expected: "ASCII letters, digits, '-' or '_'")
        }
        guard !context.model.enterprises.contains(id: id) else { throw ValleyError.duplicateID(kind: "enterprise", id: id) }
        guard values.name != nil || values.nameZH != nil else { throw ValidationError("give --name or --name-zh") }
        guard !values.source.isEmpty else { throw ValidationError("give at least one --source (see 'sources')") }
        var enterprise = Enterprise(id: id, sources: [])
        try values.apply(to: &enterprise, model: context.model)
        try context.model.insert(enterprise)
        context.emit(text: "added \(id)")
    }
}

struct RegistryUpdate: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "update", _superCommandName: "registry", abstract: "Change fields of an enterprise (lists are added to).")

    @Argument(help: "An id or name.") var enterprise: String
    @OptionGroup var values: EnterpriseFieldOptions

    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.enterprise(named: enterprise)
        var updated = found
        try values.apply(to: &updated, model: context.model)
        guard updated != found else { throw ValidationError("nothing to change: give at least one field option") }
        try context.model.update(updated)
        context.emit(text: "updated \(found.id)")
    }
}

struct RegistryRemove: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "remove", _superCommandName: "registry", abstract: "Remove an enterprise.")

    @Argument(help: "An id or name.") var name: String
    @Flag(help: "Also remove records that cannot stand without it and drop other links to it (else such links refuse the removal).") var cascade = false

    mutating func run(in context: inout CommandContext) throws {
        let enterprise = try context.model.enterprise(named: name)
        let effects = try context.model.remove(Enterprise.self, id: enterprise.id, cascade: cascade)
        context.emit(text: (["removed \(enterprise.id)"] + effects).joined(separator: "\n"))
    }
}

// MARK: - registry merge

struct RegistryMerge: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", _superCommandName: "registry",
        abstract: "Merge enterprise B into A: names become aliases, sources and designations are united, links are moved.")

    @Argument(help: "The enterprise to keep.") var keep: String
    @Argument(help: "The enterprise merged into it and removed.") var merged: String

    mutating func run(in context: inout CommandContext) throws {
        var a = try context.model.enterprise(named: keep)
        let b = try context.model.enterprise(named: merged)
        guard a.id != b.id else { throw ValleyError.refused("'\(keep)' and '\(merged)' are the same enterprise (\(a.id))") }
        if let codeA = a.creditCode, let codeB = b.creditCode, codeA != codeB {
            throw ValleyError.refused("different credit codes (\(codeA), \(codeB)): these are different legal entities")
        }
        func unite<T: Equatable>(_ mine: inout [T], _ theirs: [T]) { for item in theirs where !mine.contains(item) { mine.append(item) } }
        unite(&a.aliases, b.allNames.filter { !a.allNames.contains($0) })
        unite(&a.sources, b.sources)
        unite(&a.sectors, b.sectors)
        unite(&a.designations, b.designations)
        unite(&a.listings, b.listings)
        a.packedNameEN = a.packedNameEN ?? b.packedNameEN
        a.nameZH = a.nameZH ?? b.nameZH
        a.creditCode = a.creditCode ?? b.creditCode
        a.founded = a.founded ?? b.founded
        a.park = a.park ?? b.park
        a.region = a.region ?? b.region
        a.headcount = a.headcount ?? b.headcount
        a.note = [a.note, b.note.map { "from \(b.id): \($0)" }, "merged with \(b.id)"].compactMap { $0 }.joined(separator: "; ")
        let keptID = a.id
        // Links from every kind (other plugins' included) move to the kept enterprise first,
        // so that removing the merged one leaves nothing pointing at it.
        try context.model.relink(Enterprise.self, from: b.id, to: keptID)
        try context.model.remove(Enterprise.self, id: b.id)
        try context.model.update(a)
        context.emit(text: "merged \(b.id) into \(keptID)")
    }
}

// MARK: - registry sector list / add

struct RegistrySector: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sector", abstract: "The sector taxonomy.", subcommands: [SectorList.self, SectorAdd.self])
}

struct SectorList: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "registry sector", abstract: "List the sectors and how many enterprises each has.")



    mutating func run(in context: inout CommandContext) throws {
        var counts: [String: Int] = [:]
        for enterprise in context.model.enterprises { for sector in enterprise.sectors { counts[sector, default: 0] += 1 } }
        var table = Table(columns: ["id", "name", "中文名", "enterprises"])
        for sector in context.model.sectors {
            table.append([.text(sector.id), .text(sector.name), .optional(sector.nameZH), .integer(counts[sector.id] ?? 0)])
        }
        context.emit(table)
    }
}

struct SectorAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "registry sector", abstract: "Add a sector to the taxonomy.")

    @Argument(help: "A new sector id, e.g. 'synthetic-biology'.") var id: String
    @Argument(help: "Its English name.") var name: String
    @Option(name: .customLong("name-zh"), help: "Its Chinese name.") var nameZH: String?

    mutating func run(in context: inout CommandContext) throws {
        try context.model.insert(Sector(id: id, name: name, nameZH: nameZH))
    }
}
