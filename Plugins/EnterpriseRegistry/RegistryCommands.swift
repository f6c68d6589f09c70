import ArgumentParser
import ValleyCore

extension ClusterModel {
    /// The enterprise with this id, name or alias.
    func enterprise(named name: String) throws -> Enterprise {
        try resolve(Enterprise.self, name)
    }

    /// Parses a `--where` filter over enterprises, refusing a `has NAME` that no enterprise
    /// holds (a typo would otherwise select nothing, silently), with the known names.
    /// - Complexity: O(1) without `has`; otherwise a scan that stops once every name is found
    ///   (the whole registry only when a name is unknown).
    func enterpriseFilter(_ text: String?) throws -> RecordFilter<Enterprise>? {
        guard let filter = try Enterprise.fields.whereFilter(text) else { return nil }
        // `listed` is built in (a stock listing), known even when no company has one.
        var wanted = Set(filter.hasNames.map { $0.lowercased() }).subtracting(["listed"])
        guard !wanted.isEmpty else { return filter }
        var known: Set<String> = ["listed"]
        enterprises.forEachRecord(while: { enterprise in
            for name in enterprise.heldNames {
                known.insert(name)
                wanted.remove(name.lowercased())
            }
            return !wanted.isEmpty
        })
        guard let unknown = filter.hasNames.first(where: { wanted.contains($0.lowercased()) }) else { return filter }
        let hint = Suggestion.hint(Suggestion.closest(to: unknown, among: known.sorted()))
        let list = known.isEmpty ? "no enterprise holds any designation" : "known: \(known.sorted().joined(separator: ", "))"
        throw ValleyError.refused("--where: no enterprise has '\(unknown)'\(hint); \(list)")
    }
}

// MARK: - registry list

struct RegistryList: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "registry", abstract: "List enterprises: filter, sort, limit, choose fields.",
        discussion: "Fields: \(Enterprise.fields.names.joined(separator: ", ")).")

    @Option(help: "Only enterprises in this sector (id or name).") var sector: String?
    @Option(name: .customLong("where"), help: "A filter, e.g. \"founded >= 2015 and has 'high-tech enterprise'\".") var filter: String?
    @Option(help: "Sort by this field.") var sort: String?
    @Flag(help: "Sort in descending order.") var descending = false
    @Option(help: "Show at most N enterprises.") var limit: Int?
    @Option(help: "Comma-separated fields to show.") var fields: String?


    mutating func run(in context: inout CommandContext) throws {
        if let limit, limit < 0 { throw ValleyError.invalidValue(field: "--limit", value: String(limit), expected: "a number ≥ 0") }
        let declared = Enterprise.fields
        let columns = try (fields?.split(separator: ",").map { String($0).trimmingSpaces } ?? EnterpriseFields.defaultColumns)
            .map { try declared.require($0, option: "--fields") }
        let sortField = try sort.map { try declared.require($0, option: "--sort") }
        let condition = try context.model.enterpriseFilter(filter)
        let sectorID = try sector.map { try context.model.resolveID(Sector.self, $0) }
        // Records are tested in place by address (only the fields the filter names are read),
        // in pieces on every core; only matches are copied out. Without a sort the first N
        // matches are the answer: pieces are taken in order and the scan stops there.
        let wanted = sortField == nil ? limit : nil
        var enterprises: [Enterprise] = []
        try context.model.enterprises.scanInPieces(produce: { table, slots in
            var found: [Enterprise] = []
            try table.forEachMatch(inSlots: slots, of: condition) { enterprise in
                if let wanted, found.count >= wanted { return }
                if let sectorID, !enterprise.pointee.sectors.contains(sectorID) { return }
                found.append(enterprise.pointee)
            }
            return found
        }, consume: { found in
            enterprises += found
            return wanted.map { enterprises.count < $0 } ?? true
        })
        if let sortField { enterprises = declared.sort(enterprises, by: sortField, descending: descending) }
        if let limit { enterprises = Array(enterprises.prefix(limit)) }
        var table = Table(columns: columns.map(\.name))
        for enterprise in enterprises { table.append(columns.map { $0.value(enterprise).cell }) }
        context.emit(table)
    }
}

// MARK: - registry count

struct RegistryCountCommand: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "count", _superCommandName: "registry", abstract: "Count enterprises by a field (sector, designation, park, founded-year, status, …).")

    @Option(help: "The field to group by; without it, one count of the enterprises that match.") var by: String?
    @Option(name: .customLong("where"), help: "A filter applied first.") var filter: String?


    mutating func run(in context: inout CommandContext) throws {
        let condition = try context.model.enterpriseFilter(filter)
        // By address (the filter and the field read only what they name), in pieces on every core.
        let table = context.model.enterprises
        guard let by else {
            var matched = 0
            try table.scanInPieces(produce: { table, slots in
                var matched = 0
                try table.forEachMatch(inSlots: slots, of: condition) { _ in matched += 1 }
                return matched
            }, consume: { matched += $0; return true })
            var result = Table(columns: ["enterprises"])
            result.append([.integer(matched)])
            context.emit(result)
            return
        }
        let field = try Enterprise.fields.require(by == "founding-year" ? "founded-year" : by, option: "--by")
        var counts = GroupCounter()
        var matched = 0
        try table.scanInPieces(produce: { table, slots in
            var counts = GroupCounter()
            var matched = 0
            try table.forEachMatch(inSlots: slots, of: condition) { enterprise in
                matched += 1
                switch field.read(enterprise) {
                case let .list(items):
                    if items.isEmpty { counts.add("(none)") }
                    // Each distinct value once; lists are short, so a scan beats building a Set.
                    for (position, item) in items.enumerated() where !items[..<position].contains(item) {
                        counts.add(item)
                    }
                case .missing: counts.add("(none)")
                case let .date(date): counts.add(String(date.year))
                case let value: counts.add(value.cell.text)
                }
            }
            return (counts, matched)
        }, consume: { piece in
            counts.add(piece.0)
            matched += piece.1
            return true
        })
        var result = Table(columns: [field.name, "enterprises", "share %"])
        for (value, count) in counts.counts.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            result.append([.text(value), .integer(count), .number(matched == 0 ? 0 : 100 * Double(count) / Double(matched), digits: 1)])
        }
        context.emit(result)
        if field.kind == .list { context.emit(text: "\(matched) enterprises; one may count under several \(field.name) values") }
    }
}

// MARK: - registry show

struct RegistryShow: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", _superCommandName: "registry", abstract: "Show every field of an enterprise with its source.")

    @Argument(help: "An id, or an English or Chinese name or alias.") var name: String


    mutating func run(in context: inout CommandContext) throws {
        let e = try context.model.enterprise(named: name)
        if context.format.isData {
            // One object keyed by the field names of --where and --fields, typed.
            var fields = Enterprise.fields.fields.map { ($0.name, $0.value(e).cell) }
            fields.append(("designations", .list(e.designations.map { ([$0.name] + [$0.tier].compactMap { $0 }).joined(separator: ", ") })))
            fields.append(("listings", .list(e.listings.map { "\($0.exchange):\($0.ticker)" + ($0.date.map { " \($0)" } ?? "") })))
            fields.append(("registered-capital-text", e.registration?.registeredCapital.map { .text($0.text) } ?? .empty))
            fields.append(("paid-in-capital-text", e.registration?.paidInCapital.map { .text($0.text) } ?? .empty))
            fields.append(("note", .optional(e.note)))
            context.emit(Table.record(fields))
            return
        }
        let recordSources = Cell.text(e.sources.joined(separator: ", "))
        var table = Table(columns: ["field", "source", "value"])
        table.append(["id", .empty, .text(e.id)])
        table.append(["name", recordSources, .optional(e.nameEN)])
        table.append(["中文名", recordSources, .optional(e.nameZH)])
        table.append(["aliases", recordSources, .text(e.aliases.joined(separator: "; "))])
        table.append(["credit code", .empty, .optional(e.creditCode)])
        table.append(["founded", recordSources, .optional(e.founded)])
        table.append(["status", .empty, .text(e.status.rawValue)])
        table.append(["sectors", recordSources, .text(e.sectors.joined(separator: ", "))])
        table.append(["park", recordSources, .optional(e.park)])
        table.append(["region", recordSources, .optional(e.region)])
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
        if let r = e.registration {
            let rows: [(String, String?)] = [("legal rep", r.legalRepresentative), ("registered capital", r.registeredCapital?.text),
                                             ("paid-in capital", r.paidInCapital?.text), ("industry", r.industry), ("province", r.province),
                                             ("city", r.city), ("district", r.district), ("address", r.address), ("business scope", r.businessScope)]
            for (label, value) in rows where value != nil { table.append([.text(label), recordSources, .optional(value)]) }
        }
        context.emit(table)
    }
}

// MARK: - registry find

struct RegistryFind: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "find", _superCommandName: "registry", abstract: "Ranked fuzzy search over names and aliases (Chinese and English).")

    @Argument(help: "Text to look for.") var text: String
    @Option(help: "Show at most N matches.") var limit = 10


    /// Ranked by the store's name index (`ClusterModel.searchNames`), maintained through
    /// every edit: no find rebuilds it.
    mutating func run(in context: inout CommandContext) throws {
        guard !NameSearch.normalised(text).isEmpty else {
            throw ValleyError.invalidValue(field: "text", value: text, expected: "some letters or characters")
        }
        let matches = try context.model.searchNames(Enterprise.self, for: text, limit: max(0, limit))
        var table = Table(columns: ["score", "id", "matched name", "name"])
        for match in matches {
            let name = context.model.enterprises[id: match.id]?.displayName ?? match.name
            table.append([.integer(match.score), .text(match.id), .text(match.name), .text(name)])
        }
        context.emit(table)
    }
}

/// The company-form-free key `duplicates` groups names by (normalised by `NameSearch`).
enum NameMatching {
    static let suffixes = ["co., ltd.", "co., ltd", "co.,ltd", "co ltd", "company limited", "limited", "ltd", "inc", "corporation", "corp",
                           "股份有限公司", "有限责任公司", "有限公司", "集团"]

    static let suffixBytes: [[UInt8]] = suffixes.map { Array($0.utf8) }

    /// The name without company-form suffixes, normalised (for duplicates).
    /// - Complexity: O(length of `name` × suffixes); on the bytes for a name whose lowercasing
    ///   changes only ASCII capitals (`NameSearch.lowercasedBytes`), through `String` otherwise.
    static func key(_ name: String) -> String {
        var key: [UInt8] = [], scratch: [UInt8] = []
        appendKey(name, to: &key, scratch: &scratch)
        return String(decoding: key, as: UTF8.self)
    }

    /// Appends the UTF-8 of `key(name)` to `bytes` (nothing for an empty key), with `scratch`
    /// for the lower-cased name: a scan of every name allocates no `String` per key.
    /// - Complexity: O(length of `name` × suffixes).
    static func appendKey(_ name: String, to bytes: inout [UInt8], scratch: inout [UInt8]) {
        if NameSearch.lowercasedBytes(name, into: &scratch) {
            var kept = trimmed(scratch[...])
            var changed = true
            while changed {
                changed = false
                for suffix in suffixBytes where kept.count >= suffix.count && kept.suffix(suffix.count).elementsEqual(suffix) {
                    kept = trimmed(kept.dropLast(suffix.count))
                    changed = true
                }
            }
            NameSearch.appendNormalised(lowercasedBytes: kept, to: &bytes)
            return
        }
        bytes.append(contentsOf: keyThroughString(name).utf8)
    }

    /// `key` for a name whose lowercasing is not ASCII's.
    private static func keyThroughString(_ name: String) -> String {
        var lowered = name.lowercased().trimmingSpaces
        var changed = true
        while changed {
            changed = false
            for suffix in suffixes where lowered.hasSuffix(suffix) {
                lowered = String(lowered.dropLast(suffix.count)).trimmingSpaces
                changed = true
            }
        }
        return NameSearch.normalised(lowered)
    }

    /// `bytes` without leading and trailing spaces and tabs (as `trimmingSpaces`).
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        return bytes
    }
}
