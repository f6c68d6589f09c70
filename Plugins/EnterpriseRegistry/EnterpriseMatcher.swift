import ValleyCore

/// Finds the enterprise an imported row is, by credit code or by normalised name, so that a
/// registry export's `南京药石科技股份有限公司` updates `药石科技` instead of duplicating it.
struct EnterpriseMatcher {
    /// How a row matched an enterprise: a byte, not its text, in each of a file's matches.
    enum Reason: UInt8 {
        case creditCode, name, earlierRow

        /// As the matches table says it.
        var text: String {
            switch self {
            case .creditCode: "credit code"
            case .name: "name"
            case .earlierRow: "name (an earlier row)"
            }
        }
    }

    /// Ids by credit code, packed (12 bytes, hashed as a UInt64 and a UInt32).
    private var byCode: [CreditCode.Packed: String] = [:]
    /// Codes learnt from rows matched by name that the matched enterprise does not hold yet (its
    /// update waits, or the import skips matches), by id. Every other enterprise's code is its
    /// record's, read from the store (`match`'s `codeOf`): a copy of them all by id was 8 MB
    /// of a 1M-row import's peak. Two companies that both have codes, and different ones, are
    /// different companies whatever their names (the same name is registered in different
    /// places), so a name never matches across differing codes.
    private var learntCodes: [String: CreditCode.Packed] = [:]
    /// Normalised names by their hash (FNV-1a of the bytes): each name's bytes and its id, nil
    /// when two enterprises share the name (no match is made then). Keyed by hash so that a
    /// row's name is looked up from the scratch bytes, without making a `String` of it.
    private var byName: [UInt64: [(key: [UInt8], id: String?)]] = [:]

    /// Indexes the enterprises of `table`.
    /// - Complexity: O(n) in the enterprises.
    init(_ table: RecordTable<Enterprise>) {
        var scratch: [UInt8] = []
        for enterprise in table {
            if let code = enterprise.packedCreditCode { byCode[code] = enterprise.id }
            func add(_ range: Range<Int>) {
                guard !range.isEmpty else { return }
                let key = Array(scratch[range])
                let hash = Self.hash(scratch[range])
                if let index = byName[hash]?.firstIndex(where: { $0.key == key }) {
                    if byName[hash]![index].id != enterprise.id { byName[hash]![index].id = nil }
                } else {
                    byName[hash, default: []].append((key, enterprise.id))
                }
            }
            // The English name read as the bytes the record keeps, without a string.
            if let english = enterprise.packedNameEN { add(english.withUTF8 { Self.normalizedRange(utf8: $0, scratch: &scratch) }) }
            if let chinese = enterprise.nameZH { add(Self.normalizedRange(chinese, scratch: &scratch)) }
            for alias in enterprise.aliases { add(Self.normalizedRange(alias, scratch: &scratch)) }
        }
    }

    /// Bytes reused by `match` for each name it normalises.
    private var scratch: [UInt8] = []
    /// Rows of the file being imported, by the hash of their normalised names (a 64-bit hash
    /// match is taken as a name match: no bytes kept per row); "" when two rows share it.
    private var fileNames: [UInt64: String] = [:]
    /// How many of the file's rows are remembered.
    private var remembered = 0
    /// Rows remembered at most: the file's own duplicates are matched in its first 200,000
    /// rows (beyond, the index would cost ~100 MB per million rows; `registry duplicates`
    /// finds the rest).
    static let rememberLimit = 200_000

    /// Remembers a row just imported (as a new enterprise), so that later rows of the same
    /// file match it. A name it shares with another enterprise, of the model or of the file,
    /// identifies neither from now on.
    mutating func remember(_ row: Enterprise) {
        guard remembered < Self.rememberLimit else { return }
        remembered += 1
        if let code = row.packedCreditCode { byCode[code] = row.id }
        for which in Self.rowNames {
            guard let range = normalizedName(which, of: row), !range.isEmpty else { continue }
            let hash = Self.hash(scratch[range])
            if let index = byName[hash]?.firstIndex(where: { $0.key.elementsEqual(scratch[range]) }), byName[hash]![index].id != row.id {
                byName[hash]![index].id = nil
            }
            if let earlier = fileNames[hash], earlier != row.id {
                fileNames[hash] = ""
            } else {
                fileNames[hash] = row.id
            }
        }
    }

    /// The enterprise `row` matches and how, or nil. A match by name passes the row's code
    /// to the matched enterprise (the update gives it to it): a later row with another code
    /// is then a different company. `codeOf` reads an enterprise's code from the store.
    /// - Complexity: O(length of the row's names).
    mutating func match(_ row: Enterprise, codeOf: (String) -> CreditCode.Packed?) -> (id: String, by: Reason)? {
        if let code = row.packedCreditCode, let id = byCode[code] { return (id, .creditCode) }
        // A code that is not 18 characters of the alphabet differs from every code: the row is
        // new, and the kind's validation refuses it there.
        if row.packedCreditCode == nil, row.creditCode != nil { return nil }
        if byName.isEmpty, fileNames.isEmpty { return nil }
        for which in Self.rowNames {
            guard let range = normalizedName(which, of: row), !range.isEmpty else { continue }
            let hash = Self.hash(scratch[range])
            var found: (id: String, by: Reason)?
            if let candidates = byName[hash], let entry = candidates.first(where: { $0.key.elementsEqual(scratch[range]) }) {
                // A name the model's enterprises share (nil) identifies none of them.
                guard let id = entry.id else { continue }
                found = (id, .name)
            } else if let id = fileNames[hash] {
                guard !id.isEmpty else { continue }
                found = (id, .earlierRow)
            }
            guard let found, Self.codesAgree(row.packedCreditCode, learntCodes[found.id] ?? codeOf(found.id)) else { continue }
            if let code = row.packedCreditCode {
                learntCodes[found.id] = code
                byCode[code] = found.id
            }
            return found
        }
        return nil
    }

    /// The names of a row a match looks up, in order: the Chinese name, then the English one.
    private enum RowName: CaseIterable { case chinese, english }
    private static let rowNames = RowName.allCases

    /// The row's name `which`, normalised into `scratch` (its range there), nil when the row
    /// has none. The English name is read as the bytes the row keeps, without a `String`.
    private mutating func normalizedName(_ which: RowName, of row: Enterprise) -> Range<Int>? {
        switch which {
        case .chinese: return row.nameZH.map { Self.normalizedRange($0, scratch: &scratch) }
        case .english: return row.packedNameEN.map { $0.withUTF8 { Self.normalizedRange(utf8: $0, scratch: &scratch) } }
        }
    }

    /// The update of enterprise `id` by its matched row is applied: the code it learnt is its
    /// record's now.
    mutating func applied(_ id: String) {
        if !learntCodes.isEmpty { learntCodes[id] = nil }
    }

    /// False when both credit codes are known and differ: then the names only look alike.
    static func codesAgree(_ a: CreditCode.Packed?, _ b: CreditCode.Packed?) -> Bool {
        guard let a, let b else { return true }
        return a == b
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// Legal-form words removed from the end of a name, as they read once spaces and
    /// punctuation are gone (`Co., Ltd.` → `coltd`); longest first.
    static let legalForms: [[UInt8]] = [
        "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司",
        "companylimited", "corporation", "coltd", "limited", "group", "corp", "ltd", "inc", "llc", "plc", "co",
    ].map { Array($0.utf8) }

    /// Whether a byte ends some legal form, and starts some place name.
    static let legalFormLastBytes: [Bool] = (0..<256).map { byte in legalForms.contains { $0.last == UInt8(byte) } }
    static let placeFirstBytes: [Bool] = (0..<256).map { byte in placePrefixes.contains { $0.first == UInt8(byte) } }

    /// Place names a Chinese legal name starts with (the registering city or province).
    static let placePrefixes: [[UInt8]] = ["江苏省", "南京市", "江苏", "南京", "上海市", "上海", "北京市", "北京", "苏州", "杭州", "深圳", "广州", "中国"]
        .map { Array($0.utf8) }

    /// A company name reduced for matching: lower case; bracketed parts (`（南京）`), spaces
    /// and punctuation removed; then trailing legal forms and a leading place name.
    ///
    /// Over UTF-8 bytes, not `Character`s: it runs for every row of an import, and the
    /// grapheme-aware version made a 1M-row import five times slower.
    /// - Complexity: O(length of the name).
    static func normalized(_ name: String) -> String {
        var scratch: [UInt8] = []
        let range = normalizedRange(name, scratch: &scratch)
        return String(decoding: scratch[range], as: UTF8.self)
    }

    /// The bytes of `normalized(_:)`, as a range of `scratch` (kept by the caller across
    /// rows: no allocation per name).
    static func normalizedRange(_ name: String, scratch kept: inout [UInt8]) -> Range<Int> {
        var name = name
        return name.withUTF8 { normalizedRange(utf8: $0, scratch: &kept) }
    }

    /// `normalizedRange(_:scratch:)` for a name given as UTF-8 bytes.
    static func normalizedRange(utf8 bytes: UnsafeBufferPointer<UInt8>, scratch kept: inout [UInt8]) -> Range<Int> {
        kept.removeAll(keepingCapacity: true)
        var depth = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            // Full-width brackets （ ） are EF BC 88 / EF BC 89; other full-width punctuation
            // (，：；) is dropped too, and 、 。 and the ideographic space (E3 80 80–82).
            if byte == 0xEF, index + 2 < count, bytes[index + 1] == 0xBC {
                let third = bytes[index + 2]
                if third == 0x88 { depth += 1 } else if third == 0x89 { depth = max(0, depth - 1) }
                index += 3
                continue
            }
            if byte == 0xE3, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] <= 0x82 { index += 3; continue }
            index += 1
            if byte == 0x28 { depth += 1; continue }
            if byte == 0x29 { depth = max(0, depth - 1); continue }
            if depth > 0 { continue }
            if byte >= 0x80 {
                if byte == 0xC2, index < count, bytes[index] == 0xB7 { index += 1; continue }  // ·
                kept.append(byte)
            } else if (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) {
                kept.append(byte)
            } else if (0x41...0x5A).contains(byte) {
                kept.append(byte + 0x20)
            }
        }
        var end = kept.count
        var changed = true
        // Most names end in no legal form's last byte: one table lookup instead of 17 compares.
        while changed, end > 0, legalFormLastBytes[Int(kept[end - 1])] {
            changed = false
            for form in legalForms where end > form.count && kept[(end - form.count)..<end].elementsEqual(form) {
                end -= form.count
                changed = true
            }
        }
        var start = 0
        if end > 0, placeFirstBytes[Int(kept[0])] {
            for place in placePrefixes where end - start > place.count + 3 && kept[start..<(start + place.count)].elementsEqual(place) {
                start += place.count
                break
            }
        }
        return start..<end
    }
}

extension Enterprise {
    /// Takes what an imported row knows into this record: fields the row has replace this
    /// record's, names it calls the company by become aliases, and lists (sectors, sources,
    /// designations, listings) gain the row's entries. The id and existing names stay.
    mutating func absorb(_ row: Enterprise) {
        var names = Set(allNames)
        if nameZH == nil, let zh = row.nameZH { nameZH = zh; names.insert(zh) }
        if packedNameEN == nil, let en = row.packedNameEN { packedNameEN = en; names.insert(en.string) }
        for name in row.allNames where !names.contains(name) {
            aliases.append(name)
            names.insert(name)
        }
        if let code = row.packedCreditCode { packedCreditCode = code } else if let code = row.creditCode { creditCode = code }
        if let founded = row.founded { self.founded = founded }
        if row.status != .active || status == .unknown { status = row.status }
        // The shared fields are set once, and only when they change: setting one makes a box.
        for sector in row.sectors where !sectors.contains(sector) { sectors.append(sector) }
        var designations = self.designations, sources = self.sources
        let sharedCount = designations.count + sources.count
        for designation in row.designations where !designations.contains(designation) { designations.append(designation) }
        for source in row.sources where !sources.contains(source) { sources.append(source) }
        if row.park.map({ $0 != park }) ?? false || designations.count + sources.count != sharedCount {
            setSharedFields(park: row.park ?? park, designations: designations, sources: sources)
        }
        if let region = row.region { self.region = region }
        for listing in row.listings where !listings.contains(listing) { listings.append(listing) }
        if let headcount = row.headcount { self.headcount = headcount }
        if let asOf = row.asOf { self.asOf = asOf }
        if let note = row.note { self.note = note }
        if let incoming = row.registration {
            var merged = registration ?? Registration()
            merged.legalRepresentative = incoming.legalRepresentative ?? merged.legalRepresentative
            merged.registeredCapital = incoming.registeredCapital ?? merged.registeredCapital
            merged.paidInCapital = incoming.paidInCapital ?? merged.paidInCapital
            merged.industry = incoming.industry ?? merged.industry
            merged.province = incoming.province ?? merged.province
            merged.city = incoming.city ?? merged.city
            merged.district = incoming.district ?? merged.district
            merged.address = incoming.address ?? merged.address
            merged.businessScope = incoming.businessScope ?? merged.businessScope
            registration = merged
        }
    }
}
