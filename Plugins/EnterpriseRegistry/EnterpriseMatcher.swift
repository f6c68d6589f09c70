import ValleyCore

/// Finds the enterprise an imported row is, by credit code or by normalised name, so that a
/// registry export's `南京药石科技股份有限公司` updates `药石科技` instead of duplicating it.
struct EnterpriseMatcher {
    private var byCode: [String: String] = [:]
    /// Normalised name → id; nil when two enterprises share the name (no match is made then).
    private var byName: [String: String?] = [:]

    /// Indexes the enterprises of `table`.
    /// - Complexity: O(n) in the enterprises.
    init(_ table: RecordTable<Enterprise>) {
        for enterprise in table {
            if let code = enterprise.creditCode { byCode[code] = enterprise.id }
            for name in enterprise.allNames {
                let key = Self.normalized(name)
                guard !key.isEmpty else { continue }
                if let earlier = byName[key], earlier != enterprise.id { byName[key] = .some(nil) } else { byName[key] = enterprise.id }
            }
        }
    }

    /// The enterprise `row` matches and how, or nil.
    /// - Complexity: O(length of the row's names).
    func match(_ row: Enterprise) -> (id: String, by: String)? {
        if byCode.isEmpty, byName.isEmpty { return nil }
        if let code = row.creditCode, let id = byCode[code] { return (id, "credit code") }
        for name in [row.nameZH, row.nameEN].compactMap({ $0 }) {
            if case let .some(.some(id)) = byName[Self.normalized(name)] { return (id, "name") }
        }
        return nil
    }

    /// Legal-form words removed from the end of a name (longest first).
    static let legalForms = [
        "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司",
        "co., ltd.", "co.,ltd.", "co., ltd", "co.,ltd", "co. ltd.", "company limited", "corporation", "limited", "ltd.", "ltd",
        "inc.", "inc", "corp.", "corp", "llc", "plc", "co.", "group",
    ]

    /// Place names a Chinese legal name starts with (the registering city or province).
    static let placePrefixes = ["江苏省", "南京市", "江苏", "南京", "上海市", "上海", "北京市", "北京", "苏州", "杭州", "深圳", "广州", "中国"]

    /// A company name reduced for matching: lower case; bracketed parts (`（南京）`), a leading
    /// place name, trailing legal forms, spaces and punctuation removed.
    static func normalized(_ name: String) -> String {
        var text = name.lowercased()
        // Bracketed parts, ASCII and full-width.
        for (open, close) in [("(", ")"), ("（", "）")] {
            while let start = text.firstIndex(of: Character(open)), let end = text[start...].firstIndex(of: Character(close)) {
                text.removeSubrange(start...end)
            }
        }
        text = text.trimmingSpaces
        var changed = true
        while changed {
            changed = false
            for form in legalForms where text.hasSuffix(form) && text.count > form.count {
                text = String(text.dropLast(form.count)).trimmingSpaces
                while text.hasSuffix(",") { text.removeLast() }
                changed = true
            }
        }
        for place in placePrefixes where text.hasPrefix(place) && text.count > place.count + 1 {
            text = String(text.dropFirst(place.count))
            break
        }
        return String(text.filter { $0.isLetter || $0.isNumber })
    }
}

extension Enterprise {
    /// Takes what an imported row knows into this record: fields the row has replace this
    /// record's, names it calls the company by become aliases, and lists (sectors, sources,
    /// designations, listings) gain the row's entries. The id and existing names stay.
    mutating func absorb(_ row: Enterprise) {
        var names = Set(allNames)
        if nameZH == nil, let zh = row.nameZH { nameZH = zh; names.insert(zh) }
        if nameEN == nil, let en = row.nameEN { nameEN = en; names.insert(en) }
        for name in row.allNames where !names.contains(name) {
            aliases.append(name)
            names.insert(name)
        }
        if let code = row.creditCode { creditCode = code }
        if let founded = row.founded { self.founded = founded }
        if row.status != .active || status == .unknown { status = row.status }
        for sector in row.sectors where !sectors.contains(sector) { sectors.append(sector) }
        if let park = row.park { self.park = park }
        if let region = row.region { self.region = region }
        for designation in row.designations where !designations.contains(designation) { designations.append(designation) }
        for listing in row.listings where !listings.contains(listing) { listings.append(listing) }
        if let headcount = row.headcount { self.headcount = headcount }
        for source in row.sources where !sources.contains(source) { sources.append(source) }
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
