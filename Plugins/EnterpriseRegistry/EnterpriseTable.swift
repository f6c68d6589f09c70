import ValleyCore

/// The CSV form of enterprises: one row each, lists joined by `;`, designations as
/// `name|tier|granted|valid-until|source` and listings as `exchange|ticker|date|source`.
enum EnterpriseTable {
    /// The columns, in export order; import accepts any order and any subset with `id` or a name.
    static let columns = ["id", "name", "name_zh", "aliases", "credit_code", "founded", "status", "sectors", "park",
                          "region", "designations", "listings", "headcount", "sources", "as_of", "note"]

    /// The column a header or `--map` name means: a column, or the field name of `--where` and
    /// `--fields` for it (`name-zh`, `credit-code`, `sector`, `alias`, `designation`, `source`,
    /// `as-of`), so that one vocabulary works in both places.
    static func column(named name: String) -> String? {
        let key = name.trimmingSpaces.lowercased().replacingDashes
        if columns.contains(key) { return key }
        return ["sector": "sectors", "alias": "aliases", "designation": "designations", "source": "sources", "listing": "listings"][key]
    }

    // MARK: - Writing

    static func row(_ e: Enterprise) -> [String] {
        [
            e.id, e.nameEN ?? "", e.nameZH ?? "", e.aliases.joined(separator: ";"), e.creditCode ?? "",
            e.founded?.description ?? "", e.status.rawValue, e.sectors.joined(separator: ";"), e.park ?? "", e.region ?? "",
            e.designations.map { [$0.name, $0.tier ?? "", $0.granted?.description ?? "", $0.validUntil?.description ?? "", $0.source].joined(separator: "|") }
                .joined(separator: ";"),
            e.listings.map { [$0.exchange, $0.ticker, $0.date?.description ?? "", $0.source].joined(separator: "|") }.joined(separator: ";"),
            e.headcount.map(String.init) ?? "", e.sources.joined(separator: ";"), e.asOf?.description ?? "", e.note ?? "",
        ]
    }

    // MARK: - Reading

    /// Reads rows into enterprises. `header` maps each column position to a known column;
    /// `fallbackSource` is cited by rows without sources. Errors name the line and the field.
    final class RowReader {
        let positions: [Int?]
        let headerCount: Int
        /// Values many rows repeat (sector lists, parks, designations, the fallback source)
        /// are shared rather than allocated per row: a million-row import stays smaller.
        private var interned: [String: String] = [:]
        private var internedLists: [String: [String]] = [:]
        private var internedDesignations: [String: [Designation]] = [:]
        private let fallbackSources: [String]
        let knownSectors: Set<String>
        let knownSources: Set<String>
        let fallbackSource: String
        let fileStem: String

        init(header: [String], mapping: [String: String], knownSectors: Set<String>, knownSources: Set<String>,
             fallbackSource: String, fileStem: String, path: String) throws {
            var positions = Array<Int?>(repeating: nil, count: columns.count)
            for (position, rawName) in header.enumerated() {
                guard let name = mapping[rawName] ?? EnterpriseTable.column(named: rawName), let column = columns.firstIndex(of: name) else {
                    throw ValleyError.located(file: path, line: 1, .invalidValue(
                        field: "column", value: rawName, expected: "one of \(columns.joined(separator: ", ")), or map it with --map '\(rawName)=FIELD'"))
                }
                positions[column] = position
            }
            guard positions[0] != nil || positions[1] != nil || positions[2] != nil else {
                throw ValleyError.located(file: path, line: 1, .invalidValue(field: "header", value: header.joined(separator: ","), expected: "an id, name or name_zh column"))
            }
            self.positions = positions
            self.headerCount = header.count
            self.knownSectors = knownSectors
            self.knownSources = knownSources
            self.fallbackSource = fallbackSource
            self.fallbackSources = [fallbackSource]
            self.fileStem = fileStem
        }

        private func intern(_ text: String?) -> String? {
            guard let text else { return nil }
            if let shared = interned[text] { return shared }
            if interned.count < 100_000 { interned[text] = text }
            return text
        }

        func enterprise(from record: CSVReader.Record) throws -> Enterprise {
            func value(_ column: Int) -> String? {
                guard let position = positions[column], position < record.fields.count else { return nil }
                let text = record.fields[position]
                return text.isEmpty ? nil : text
            }
            func list(_ column: Int) -> [String] {
                guard let text = value(column) else { return [] }
                if let shared = internedLists[text] { return shared }
                let parts = text.splitTrimmed(0x3B)
                if internedLists.count < 100_000 { internedLists[text] = parts }
                return parts
            }
            func date(_ text: String, _ field: String) throws -> CalendarDate {
                guard let date = CalendarDate(text) else { throw ValleyError.invalidValue(field: field, value: text, expected: "YYYY, YYYY-MM or YYYY-MM-DD") }
                return date
            }
            guard record.fields.count == headerCount else {
                throw ValleyError.invalidValue(field: "row", value: "\(record.fields.count) fields", expected: "\(headerCount) fields as in the header")
            }
            let id = value(0) ?? "\(fileStem)-\(record.line)"
            // Bytes, not Characters: `Character.isLetter` looks up Unicode properties (8 % of a 1M-row import).
            guard id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                                        || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }) else {
                throw ValleyError.invalidValue(field: "id", value: id, expected: "ASCII letters, digits, '-', '_' or '.'")
            }
            var enterprise = Enterprise(id: id, nameEN: value(1), nameZH: value(2), aliases: list(3), sources: [])
            guard enterprise.nameEN != nil || enterprise.nameZH != nil else {
                throw ValleyError.invalidValue(field: "name", value: "", expected: "a name or name_zh")
            }
            // The credit code's check character is verified by the enterprise kind's validation
            // (the one path every way in takes), not here a second time.
            if let code = value(4) { enterprise.creditCode = code.uppercased() }
            if let founded = value(5) { enterprise.founded = try date(founded, "founded") }
            if let status = value(6) {
                guard let parsed = Enterprise.Status(rawValue: status) else {
                    throw ValleyError.invalidValue(field: "status", value: status, expected: "active, deregistered, merged or unknown")
                }
                enterprise.status = parsed
            }
            enterprise.sectors = list(7)
            for sector in enterprise.sectors where !knownSectors.contains(sector) {
                throw ValleyError.invalidValue(field: "sectors", value: sector, expected: "a known sector id (add it with 'registry sector add')")
            }
            enterprise.park = intern(value(8))
            enterprise.region = intern(value(9))
            enterprise.sources = list(13)
            for source in enterprise.sources where !knownSources.contains(source) {
                throw ValleyError.invalidValue(field: "sources", value: source, expected: "a source id in the model")
            }
            if enterprise.sources.isEmpty { enterprise.sources = fallbackSources }
            let citation = enterprise.sources[0]
            let designationKey = (value(10) ?? "") + "\u{0}" + citation
            if let shared = internedDesignations[designationKey] {
                enterprise.designations = shared
            } else {
                enterprise.designations = try list(10).map { text in
                let parts = text.splitTrimmed(0x7C, keepEmpty: true)
                guard !parts[0].isEmpty, parts.count <= 5 else { throw ValleyError.invalidValue(field: "designations", value: text, expected: "name|tier|granted|valid-until|source") }
                func part(_ index: Int) -> String? { index < parts.count && !parts[index].isEmpty ? parts[index] : nil }
                return Designation(name: parts[0], tier: part(1), granted: try part(2).map { try date($0, "designation granted") },
                                   validUntil: try part(3).map { try date($0, "designation valid-until") }, source: part(4) ?? citation)
                }
                if internedDesignations.count < 100_000 { internedDesignations[designationKey] = enterprise.designations }
            }
            enterprise.listings = try list(11).map { text in
                let parts = text.splitTrimmed(0x7C, keepEmpty: true)
                guard parts.count >= 2, parts.count <= 4, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValleyError.invalidValue(field: "listings", value: text, expected: "exchange|ticker|date|source")
                }
                return Listing(exchange: parts[0], ticker: parts[1], date: try parts.count > 2 && !parts[2].isEmpty ? date(parts[2], "listing date") : nil,
                               source: parts.count > 3 && !parts[3].isEmpty ? parts[3] : citation)
            }
            if let headcount = value(12) {
                guard let number = Int(headcount), number >= 0 else { throw ValleyError.invalidValue(field: "headcount", value: headcount, expected: "a whole number ≥ 0") }
                enterprise.headcount = number
            }
            if let asOf = value(14) { enterprise.asOf = try date(asOf, "as_of") }
            enterprise.note = value(15)
            return enterprise
        }
    }
}

extension String {
    /// The parts between `separator` bytes, each without surrounding spaces; empty parts are
    /// dropped unless `keepEmpty`. Works on UTF-8 bytes: this is the import's inner loop.
    func splitTrimmed(_ separator: UInt8, keepEmpty: Bool = false) -> [String] {
        let bytes = utf8
        if !bytes.contains(separator) {
            let trimmed = trimmingSpaces
            return trimmed.isEmpty && !keepEmpty ? [] : [trimmed]
        }
        var parts: [String] = []
        var start = bytes.startIndex
        var index = start
        while true {
            if index == bytes.endIndex || bytes[index] == separator {
                let part = String(self[start..<index]).trimmingSpaces
                if keepEmpty || !part.isEmpty { parts.append(part) }
                if index == bytes.endIndex { break }
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        return parts
    }

    /// `name-zh` → `name_zh`, so headers may use either.
    var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
