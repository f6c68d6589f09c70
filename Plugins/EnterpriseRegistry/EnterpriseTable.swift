import ValleyCore
import ValleyTableFiles

/// The table form of enterprises (CSV, xlsx): one row each, lists joined by `;`, designations
/// as `name|tier|granted|valid-until|source` and listings as `exchange|ticker|date|source`.
///
/// Columns are named by field: the names of `--where` and `--fields` (`name-zh`, `credit-code`).
/// Imports also take the headers of Chinese business-registry exports. Their conventions
/// (Qichacha and Tianyancha exports, and the field dictionaries of their open APIs, e.g.
/// openapi.qcc.com/dataApi/2001: 企业名称, 登记状态, 法定代表人, 注册资本 "185000万元", 实缴资本,
/// 成立日期, 统一社会信用代码, 参保人数, 所属行业, 曾用名, 英文名, 所属省份/城市/区县, 企业地址,
/// 经营范围) map without options.
enum EnterpriseTable {
    /// The columns, in export order; import accepts any order and any subset with `id` or a name.
    static let columns = ["id", "name", "name-zh", "alias", "credit-code", "founded", "status", "sector", "park", "region",
                          "designation", "listing", "headcount", "source", "as-of", "note", "legal-rep", "registered-capital",
                          "paid-in-capital", "industry", "province", "city", "district", "address", "business-scope"]

    /// What import reads: every column, under its field name, the plural of the old export
    /// header (`sectors`, `name_zh` also match), and the registry exports' names.
    static let importFields: [ImportField] = [
        ImportField("id", aliases: ["valley id"]),
        ImportField("name", aliases: ["name-en", "english name", "英文名", "英文名称", "company name (english)"]),
        ImportField("name-zh", aliases: ["企业名称", "公司名称", "名称", "企业名", "chinese name", "中文名"]),
        ImportField("alias", aliases: ["aliases", "曾用名", "别名", "former names", "简称"]),
        ImportField("credit-code", aliases: ["统一社会信用代码", "信用代码", "社会信用代码", "uscc", "unified social credit code"]),
        ImportField("founded", aliases: ["成立日期", "成立时间", "注册日期", "established", "founding date", "date founded"]),
        ImportField("status", aliases: ["登记状态", "经营状态", "企业状态", "状态", "registration status"]),
        ImportField("sector", aliases: ["sectors", "细分领域", "行业领域", "领域", "赛道"]),
        ImportField("park", aliases: ["园区", "所在园区"]),
        ImportField("region", aliases: ["地区", "所属地区", "区域"]),
        ImportField("designation", aliases: ["designations", "资质", "企业资质", "荣誉资质"]),
        ImportField("listing", aliases: ["listings"]),
        ImportField("headcount", aliases: ["参保人数", "员工人数", "人员规模", "employees", "staff"]),
        ImportField("source", aliases: ["sources"]),
        ImportField("as-of", aliases: ["as_of", "数据日期", "更新日期"]),
        ImportField("note", aliases: ["notes", "备注"]),
        ImportField("legal-rep", aliases: ["法定代表人", "法人", "法人代表", "legal representative"]),
        ImportField("registered-capital", aliases: ["注册资本", "注册资金", "registered capital"]),
        ImportField("paid-in-capital", aliases: ["实缴资本", "实缴资金", "paid-in capital", "paid in capital"]),
        ImportField("industry", aliases: ["所属行业", "国标行业", "行业"]),
        ImportField("province", aliases: ["所属省份", "省份", "省"]),
        ImportField("city", aliases: ["所属城市", "城市", "所属市", "市"]),
        ImportField("district", aliases: ["所属区县", "区县", "county"]),
        ImportField("address", aliases: ["企业地址", "注册地址", "地址", "通信地址", "registered address"]),
        ImportField("business-scope", aliases: ["经营范围", "scope"]),
    ]

    /// The statuses registry exports write, by their leading word: Qichacha writes
    /// `存续（在营、开业、在册）`, Tianyancha `存续` or `在业`.
    static func status(_ text: String) -> Enterprise.Status? {
        if let exact = Enterprise.Status(rawValue: text.lowercased()) { return exact }
        let words: [(String, Enterprise.Status)] = [
            ("存续", .active), ("在业", .active), ("在营", .active), ("开业", .active), ("在册", .active), ("正常", .active),
            ("注销", .deregistered), ("吊销", .revoked), ("撤销", .revoked), ("迁出", .movedOut), ("迁入", .active), ("合并", .merged),
            ("停业", .unknown), ("清算", .unknown), ("moved out", .movedOut), ("operating", .active), ("cancelled", .deregistered),
        ]
        let lowered = text.lowercased()
        return words.first { lowered.hasPrefix($0.0) }?.1
    }

    /// The items of a list cell written by people: separated by `;`, `；`, `、` or line breaks.
    ///
    /// Over UTF-8 bytes: splitting `Character`s compared each with `"；"` (a Unicode comparison)
    /// and cost an eighth of a million-row import.
    static func words(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var items: [String] = []
            var start = 0, index = 0
            func flush(_ end: Int) {
                if end > start {
                    let item = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).trimmingSpaces
                    if !item.isEmpty { items.append(item) }
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                var separator = 0
                if byte == 0x3B || byte == 0x0A || byte == 0x0D {
                    separator = 1
                } else if index + 2 < bytes.count,
                          (byte == 0xEF && bytes[index + 1] == 0xBC && bytes[index + 2] == 0x9B)  // ；
                            || (byte == 0xE3 && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x81) {  // 、
                    separator = 3
                }
                if separator > 0 {
                    flush(index)
                    index += separator
                    start = index
                } else {
                    index += 1
                }
            }
            flush(bytes.count)
            return items
        }
    }

    /// True when `text` has `；`, `、` or a line break (over bytes: comparing `Character`s
    /// costs a Unicode lookup each, a fifth of a million-row import).
    static func hasWordSeparators(_ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        var previous: (UInt8, UInt8) = (0, 0)
        while let byte = utf8.next() {
            if byte == 0x0A || byte == 0x0D { return true }
            if previous == (0xEF, 0xBC), byte == 0x9B { return true }  // ；
            if previous == (0xE3, 0x80), byte == 0x81 { return true }  // 、
            previous = (previous.1, byte)
        }
        return false
    }

    /// The id a sector name gets when an import creates it: its ASCII words joined by `-`, or
    /// `sector-N` for a name in other scripts.
    static func newSectorID(for name: String, taken: SectorResolver, count: Int) -> String {
        let characters: [Character] = name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        let slug = String(characters).split(separator: "-").map(String.init).joined(separator: "-")
        var id = slug.isEmpty ? "sector-\(count + 1)" : slug
        while taken.id(for: id) != nil { id += "-\(count + 1)" }
        return id
    }

    // MARK: - Writing

    static func row(_ e: Enterprise) -> [String] {
        let r = e.registration
        return [
            e.id, e.nameEN ?? "", e.nameZH ?? "", e.aliases.joined(separator: ";"), e.creditCode ?? "",
            e.founded?.description ?? "", e.status.rawValue, e.sectors.joined(separator: ";"), e.park ?? "", e.region ?? "",
            e.designations.map { [$0.name, $0.tier ?? "", $0.granted?.description ?? "", $0.validUntil?.description ?? "", $0.source].joined(separator: "|") }
                .joined(separator: ";"),
            e.listings.map { [$0.exchange, $0.ticker, $0.date?.description ?? "", $0.source].joined(separator: "|") }.joined(separator: ";"),
            e.headcount.map(String.init) ?? "", e.sources.joined(separator: ";"), e.asOf?.description ?? "", e.note ?? "",
            r?.legalRepresentative ?? "", r?.registeredCapital?.text ?? "", r?.paidInCapital?.text ?? "", r?.industry ?? "",
            r?.province ?? "", r?.city ?? "", r?.district ?? "", r?.address ?? "", r?.businessScope ?? "",
        ]
    }

    /// The registration's columns, the last of `columns` (from `legal-rep` on).
    static let registrationColumnCount = columns.count - columns.firstIndex(of: "legal-rep")!

    /// Writes the enterprise at `e` as one CSV record, field by field into the writer's bytes
    /// (what `CSVWriter.append(row(e.pointee), to:)` writes, without the strings; a test holds
    /// the two equal).
    ///
    /// The record is read where it is (its registration, when it has one, is copied whole), and
    /// its lists as spans: handing the record over as a value copied it first, a retain and a
    /// release of each of its strings and lists (about a tenth of an export).
    /// - Complexity: O(length of the row).
    static func appendCSVRow(at e: UnsafePointer<Enterprise>, to w: inout CSVRecordWriter) {
        let bar = UInt8(ascii: "|"), semicolon = UInt8(ascii: ";")
        w.field(e.pointee.id)
        w.field(e.pointee.packedNameEN)
        w.field(e.pointee.nameZH)
        w.field(joining: e.pointee.aliases.span, separator: semicolon) { text, bytes in bytes.append(utf8: text) }
        w.field(e.pointee.packedCreditCode, else: e.pointee.creditCode)
        w.field(e.pointee.founded)
        w.field(e.pointee.status.rawValue)
        w.field(joining: e.pointee.sectors.span, separator: semicolon) { text, bytes in bytes.append(utf8: text) }
        w.field(e.pointee.park)
        w.field(e.pointee.region)
        w.field(joining: e.pointee.designations.span, separator: semicolon) { d, bytes in
            bytes.append(utf8: d.name)
            bytes.append(bar)
            if let tier = d.tier { bytes.append(utf8: tier) }
            bytes.append(bar)
            d.granted?.appendDescription(to: &bytes)
            bytes.append(bar)
            d.validUntil?.appendDescription(to: &bytes)
            bytes.append(bar)
            bytes.append(utf8: d.source)
        }
        w.field(joining: e.pointee.listings.span, separator: semicolon) { l, bytes in
            bytes.append(utf8: l.exchange)
            bytes.append(bar)
            bytes.append(utf8: l.ticker)
            bytes.append(bar)
            l.date?.appendDescription(to: &bytes)
            bytes.append(bar)
            bytes.append(utf8: l.source)
        }
        w.field(e.pointee.headcount)
        w.field(joining: e.pointee.sources.span, separator: semicolon) { text, bytes in bytes.append(utf8: text) }
        w.field(e.pointee.asOf)
        w.field(e.pointee.note)
        guard let r = e.pointee.registration else {
            w.emptyFields(registrationColumnCount)
            w.endRecord()
            return
        }
        w.field(r.legalRepresentative)
        w.field(r.registeredCapital?.text)
        w.field(r.paidInCapital?.text)
        w.field(r.industry)
        w.field(r.province)
        w.field(r.city)
        w.field(r.district)
        w.field(r.address)
        w.field(r.businessScope)
        w.endRecord()
    }

    // MARK: - Reading

    /// Reads rows into enterprises. `fallbackSource` is cited by rows without sources.
    /// Errors name the field; the caller adds the line.
    final class RowReader {
        let mapping: ColumnMapping
        /// Values many rows repeat (sector lists, parks, designations, the fallback source)
        /// are shared rather than allocated per row: a million-row import stays smaller. They
        /// are shared within a run of `sharingRun` rows only (see there).
        private var interned: [String: String] = [:]
        private var internedLists: [String: [String]] = [:]
        private var internedDesignations: [String: [Designation]] = [:]
        private var resolvedSectors: [String: [String]] = [:]
        /// Records whose shared fields later rows take, by the text of those fields' cells.
        private var sharedFields: [SharedFieldsKey: Enterprise] = [:]
        /// Records whose box of sparse fields later rows take, by the text of those fields' cells.
        private var sparseFields: [SparseFieldsKey: Enterprise] = [:]
        private var fallbackSources: [String]
        /// The English names, kept in chunks that the rows of a run share (`ArenaText`).
        private var names = TextArena()
        /// Rows read in the current run of shared values.
        private var rowsInRun = 0
        /// The rows that share repeated values, about a scan's piece (`RecordTable.scanInPieces`
        /// reads at least 16,384 slots a piece on each core). Shared across the whole file, an
        /// object every row held had its reference count written by both cores of a scan at
        /// once (`swift_retain` was 39 % of an export's time after an import, 27 % with runs);
        /// runs drift against the pieces, so a piece shares values with its neighbours at most.
        static let sharingRun = 16_384
        let sectors: SectorResolver
        let knownSources: Set<String>
        let fallbackSource: String
        let fileStem: String
        let dateOrder: DateOrder?
        private let has: [Bool]
        /// Each column's position in the file, by `EnterpriseTable.columns` index and by name.
        private let at: [Int?]

        init(mapping: ColumnMapping, sectors: SectorResolver, knownSources: Set<String>,
             fallbackSource: String, fileStem: String, dateOrder: DateOrder?, path: String, line: Int) throws {
            guard mapping.positions["id"] != nil || mapping.positions["name"] != nil || mapping.positions["name-zh"] != nil else {
                throw ValleyError.located(file: path, line: line, .invalidValue(
                    field: "header", value: mapping.header.joined(separator: ","), expected: "an id, name or name-zh column (企业名称); map one with --map COLUMN=name-zh"))
            }
            self.mapping = mapping
            self.sectors = sectors
            self.knownSources = knownSources
            self.fallbackSource = fallbackSource
            self.fallbackSources = [Self.ownCopy(fallbackSource)]
            self.fileStem = fileStem
            self.dateOrder = dateOrder
            self.has = EnterpriseTable.columns.map { mapping.positions[$0] != nil }
            self.at = EnterpriseTable.columns.map { mapping.positions[$0] }
        }

        /// Starts a new run of shared values: later rows share none with earlier ones.
        /// - Complexity: O(capacity of the memos), the most values a run has shared.
        private func startSharingRun() {
            rowsInRun = 0
            interned.removeAll(keepingCapacity: true)
            internedLists.removeAll(keepingCapacity: true)
            internedDesignations.removeAll(keepingCapacity: true)
            resolvedSectors.removeAll(keepingCapacity: true)
            sharedFields.removeAll(keepingCapacity: true)
            sparseFields.removeAll(keepingCapacity: true)
            fallbackSources = [Self.ownCopy(fallbackSource)]
            names.startChunk()
        }

        /// A copy of `text` in storage of its own (a string from the model, such as a sector id,
        /// would otherwise be shared by the runs of every import).
        private static func ownCopy(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

        private func intern(_ text: String?) -> String? {
            guard let text else { return nil }
            if let shared = interned[text] { return shared }
            if interned.count < 100_000 { interned[text] = text }
            return text
        }


        /// The text of the cells that make a row's shared fields (`Enterprise.shareFields(of:)`).
        private struct SharedFieldsKey: Hashable {
            var park: String?
            var sources: String?
            var designations: String?
        }

        /// The text of the cells that make a row's sparse fields, without a registration
        /// (`Enterprise.shareSparseFields(of:)`).
        private struct SparseFieldsKey: Hashable {
            var aliases: String?
            var region: String?
            var listings: String?
            var asOf: String?
            var note: String?
        }

        /// True when the row gives its own id (an `id` column with a value).
        func hasOwnID(_ record: CSVReader.Record) -> Bool { mapping.value(at: at[0], in: record) != nil }

        func enterprise(from record: CSVReader.Record) throws -> Enterprise {
            if rowsInRun == Self.sharingRun { startSharingRun() }
            rowsInRun += 1
            let mapping = self.mapping
            // Columns by their index in `EnterpriseTable.columns` (positions looked up once per
            // file): no string hashing per field per row.
            let at = self.at
            func value(_ column: Int) -> String? { mapping.value(at: at[column], in: record) }
            func list(_ field: Int) -> [String] {
                guard let text = value(field) else { return [] }
                if let shared = internedLists[text] { return shared }
                let parts = text.splitTrimmed(0x3B)
                if internedLists.count < 100_000 { internedLists[text] = parts }
                return parts
            }
            /// Names and sectors in words are also separated by `；`, `、` or a line break.
            func wordList(_ field: Int) -> [String] {
                guard let text = value(field) else { return [] }
                if !EnterpriseTable.hasWordSeparators(text) { return list(field) }
                return EnterpriseTable.words(text)
            }
            func date(_ text: String, _ field: String) throws -> CalendarDate {
                try WrittenValues.date(text, field: field, order: dateOrder)
            }
            /// The row's sector ids.
            func sectorIDs() throws -> [String] {
                guard has[7] else { return [] }
                // The same cell text resolves to the same ids: one shared array, not one per row.
                if let text = value(7), let shared = resolvedSectors[text] { return shared }
                let names = wordList(7)
                var ids: [String] = []
                ids.reserveCapacity(names.count)
                for name in names {
                    if let known = sectors.id(for: name) {
                        if !ids.contains(known) { ids.append(Self.ownCopy(known)) }
                    } else {
                        throw ValleyError.invalidValue(field: "sector", value: name, expected: "a sector id, name, Chinese name or alias ('registry sector list'); --add-sectors creates unknown ones")
                    }
                }
                if let text = value(7), resolvedSectors.count < 100_000 { resolvedSectors[text] = ids }
                return ids
            }
            /// Reads a row's park, sources and designations into `enterprise`, checked: the
            /// first row of a run that writes them so.
            func readSharedFields(into enterprise: inout Enterprise, park: String?) throws {
                var designations: [Designation] = []
                var sources = list(13)
                for source in sources where !knownSources.contains(source) {
                    throw ValleyError.invalidValue(field: "source", value: source, expected: "a source id in the model ('sources'); leave the column empty to cite the file")
                }
                if sources.isEmpty { sources = fallbackSources }
                let citation = sources[0]
                if has[10] {
                    let designationKey = (value(10) ?? "") + "\u{0}" + citation
                    if let shared = internedDesignations[designationKey] {
                        designations = shared
                    } else {
                        designations = try list(10).map { text in
                            let parts = text.splitTrimmed(0x7C, keepEmpty: true)
                            guard !parts[0].isEmpty, parts.count <= 5 else { throw ValleyError.invalidValue(field: "designation", value: text, expected: "name|tier|granted|valid-until|source") }
                            func part(_ index: Int) -> String? { index < parts.count && !parts[index].isEmpty ? parts[index] : nil }
                            return Designation(name: parts[0], tier: part(1), granted: try part(2).map { try date($0, "designation granted") },
                                               validUntil: try part(3).map { try date($0, "designation valid-until") }, source: part(4) ?? citation)
                        }
                        if internedDesignations.count < 100_000 { internedDesignations[designationKey] = designations }
                    }
                }
                enterprise.setSharedFields(park: intern(park), designations: designations, sources: sources)
            }
            guard record.fields.count == mapping.width || (record.fields.count > mapping.width && record.fields[mapping.width...].allSatisfy(\.isEmpty)) else {
                throw ValleyError.invalidValue(field: "row", value: "\(record.fields.count) fields", expected: "\(mapping.width) fields as in the header")
            }
            // Without an id column: the credit code (stable across exports), else FILE-LINE.
            let id = value(0) ?? value(4).map { $0.lowercased() } ?? "\(fileStem)-\(record.line)"
            // Bytes, not Characters: `Character.isLetter` looks up Unicode properties (8 % of a 1M-row import).
            guard id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                                        || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }) else {
                throw ValleyError.invalidValue(field: "id", value: id, expected: "ASCII letters, digits, '-', '_' or '.'")
            }
            // The fields most records lack are gathered and set at once, in one box: set one by
            // one, each made a box of its own (a twentieth of the reading core's time).
            var enterprise = Enterprise(id: id, nameZH: value(2), sources: [])
            enterprise.packedNameEN = value(1).map { names.append($0) }
            let aliases = wordList(3)
            guard enterprise.packedNameEN != nil || enterprise.nameZH != nil else {
                throw ValleyError.invalidValue(field: "name", value: "", expected: "a name or name-zh")
            }
            // The credit code's check character is verified by the enterprise kind's validation
            // (the one path every way in takes), not here a second time.
            if let code = value(4) {
                // Packed from the cell's bytes (upper-cased there): `uppercased()` made a string per row.
                if let packed = CreditCode.Packed(code, uppercasing: true) { enterprise.packedCreditCode = packed } else { enterprise.creditCode = code.uppercased() }
            }
            if let founded = value(5) { enterprise.founded = try date(founded, "founded") }
            if let status = value(6) {
                guard let parsed = EnterpriseTable.status(status) else {
                    throw ValleyError.invalidValue(field: "status", value: status, expected: "active, deregistered, revoked, merged, moved-out or unknown (or 存续, 在业, 注销, 吊销, 迁出)")
                }
                enterprise.status = parsed
            }
            enterprise.sectors = try sectorIDs()
            let region = intern(value(9))
            // Park, sources and designations: rows that write them alike share one box of them,
            // looked up by the cells' text (one hash of the three instead of three).
            let sharedKey = SharedFieldsKey(park: value(8), sources: value(13), designations: has[10] ? value(10) : nil)
            if let template = sharedFields[sharedKey] {
                enterprise.shareFields(of: template)
            } else {
                try readSharedFields(into: &enterprise, park: sharedKey.park)
                if sharedFields.count < 100_000 { sharedFields[sharedKey] = enterprise }
            }
            let citation = enterprise.sources[0]
            var listings: [Listing] = []
            if has[11] {
                listings = try list(11).map { text in
                    let parts = text.splitTrimmed(0x7C, keepEmpty: true)
                    guard parts.count >= 2, parts.count <= 4, !parts[0].isEmpty, !parts[1].isEmpty else {
                        throw ValleyError.invalidValue(field: "listing", value: text, expected: "exchange|ticker|date|source")
                    }
                    return Listing(exchange: parts[0], ticker: parts[1], date: try parts.count > 2 && !parts[2].isEmpty ? date(parts[2], "listing date") : nil,
                                   source: parts.count > 3 && !parts[3].isEmpty ? parts[3] : citation)
                }
            }
            if let headcount = value(12) {
                guard let number = WrittenValues.integer(headcount), number >= 0 else { throw ValleyError.invalidValue(field: "headcount", value: headcount, expected: "a whole number ≥ 0") }
                enterprise.headcount = number
            }
            let asOf = try value(14).map { try date($0, "as-of") }
            let note = value(15)
            var registration: Registration?
            if has[16...].contains(true) {
                registration = Registration(
                    legalRepresentative: value(16),
                    registeredCapital: try value(17).map { try WrittenValues.money($0, field: "registered-capital", headerUnit: mapping.headerUnits["registered-capital"]) },
                    paidInCapital: try value(18).map { try WrittenValues.money($0, field: "paid-in-capital", headerUnit: mapping.headerUnits["paid-in-capital"]) },
                    industry: intern(value(19)), province: intern(value(20)), city: intern(value(21)),
                    district: intern(value(22)), address: value(23), businessScope: value(24))
            }
            enterprise.setSparseFields(aliases: aliases, region: region, listings: listings, asOf: asOf, note: note, registration: registration)
            // Rows whose sparse fields are alike (a note that many rows carry) share one box of
            // them, looked up by the cells' text and taken only when equal (at a million rows,
            // 50,000 rows with the same note: 8 MB less). Rows with a registration are left
            // alone: an address and a representative make nearly every one of them unique.
            if registration == nil, enterprise.hasSparseFields {
                let key = SparseFieldsKey(aliases: value(3), region: value(9), listings: has[11] ? value(11) : nil, asOf: value(14), note: note)
                // A template whose box differs (its code or headcount is one validation refuses)
                // gives way to this row, so that it does not stop the rest of the run sharing.
                if let template = sparseFields[key] {
                    if !enterprise.shareSparseFields(of: template) { sparseFields[key] = enterprise }
                } else if sparseFields.count < 100_000 {
                    sparseFields[key] = enterprise
                }
            }
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
