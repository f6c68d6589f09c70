extension Enterprise {
    /// The enterprise fields, declared once: `--where`, `--sort`, `--fields`, `count --by`,
    /// completion and help read this. Each reads its field in place through the record's
    /// address (`read:`), so a scan of a million enterprises loads only the fields it tests.
    public static let fields = RecordFields<Enterprise>([
        .init("id", .text, "stable id", read: { .text($0.pointee.id) }),
        .init("name", .text, "English name", read: { $0.pointee.nameEN.map(FieldValue.text) ?? .missing },
              readASCII: { record, test in record.pointee.packedNameEN?.withASCII(test) }),
        .init("name-zh", .text, "Chinese name", read: { $0.pointee.nameZH.map(FieldValue.text) ?? .missing }),
        .init("alias", .list, "other and former names", read: { .list($0.pointee.aliases) }),
        .init("credit-code", .text, "unified social credit code", read: { $0.pointee.creditCode.map(FieldValue.text) ?? .missing },
              readASCII: { record, test in record.pointee.packedCreditCode.map { $0.withUTF8(test) } }),
        .init("founded", .date, "founding date", read: { $0.pointee.founded.map(FieldValue.date) ?? .missing }),
        .init("founded-year", .number, "founding year", read: { $0.pointee.founded.map { .number(Double($0.year)) } ?? .missing }),
        .init("status", .text, "active, deregistered, revoked, merged, moved-out or unknown", read: { .text($0.pointee.status.rawValue) }),
        .init("sector", .list, "sector ids", read: { .list($0.pointee.sectors) }),
        .init("park", .text, "park", read: { $0.pointee.park.map(FieldValue.text) ?? .missing }),
        .init("region", .text, "region", read: { $0.pointee.region.map(FieldValue.text) ?? .missing }),
        .init("designation", .list, "designations held, and listed for a company with a stock listing (what has NAME tests)", read: { .list($0.pointee.heldNames) }),
        .init("ticker", .list, "stock tickers", read: { .list($0.pointee.listings.map(\.ticker)) }),
        .init("headcount", .number, "employees", read: { $0.pointee.headcount.map { .number(Double($0)) } ?? .missing }),
        .init("source", .list, "source ids", read: { .list($0.pointee.sources) }),
        .init("as-of", .date, "when the record was last known true", read: { $0.pointee.asOf.map(FieldValue.date) ?? .missing }),
        .init("legal-rep", .text, "legal representative (法定代表人)", read: { $0.pointee.registration?.legalRepresentative.map(FieldValue.text) ?? .missing }),
        // Capital compares in yuan only: an amount in another currency is missing here (no
        // exchange rate is assumed), and its currency is a field of its own.
        .init("registered-capital", .number, "registered capital in yuan (注册资本; 万 × 10⁴); other currencies are missing", read: {
            $0.pointee.registration?.registeredCapital.flatMap { $0.currency == "CNY" ? .number($0.value) : nil } ?? .missing
        }),
        .init("registered-capital-currency", .text, "currency of the registered capital (CNY, USD, …)", read: {
            $0.pointee.registration?.registeredCapital.map { .text($0.currency) } ?? .missing
        }),
        .init("paid-in-capital", .number, "paid-in capital in yuan (实缴资本); other currencies are missing", read: {
            $0.pointee.registration?.paidInCapital.flatMap { $0.currency == "CNY" ? .number($0.value) : nil } ?? .missing
        }),
        .init("industry", .text, "the registry's industry (所属行业)", read: { $0.pointee.registration?.industry.map(FieldValue.text) ?? .missing }),
        .init("province", .text, "province (所属省份)", read: { $0.pointee.registration?.province.map(FieldValue.text) ?? .missing }),
        .init("city", .text, "city (所属城市)", read: { $0.pointee.registration?.city.map(FieldValue.text) ?? .missing }),
        .init("district", .text, "district (所属区县)", read: { $0.pointee.registration?.district.map(FieldValue.text) ?? .missing }),
        .init("address", .text, "registered address (企业地址)", read: { $0.pointee.registration?.address.map(FieldValue.text) ?? .missing }),
        .init("business-scope", .text, "business scope (经营范围)", read: { $0.pointee.registration?.businessScope.map(FieldValue.text) ?? .missing }),
    ], has: { $0.heldNames })

    /// The designations held, and `listed` when the company has a stock listing: what
    /// `has NAME` tests and `designation` holds.
    public var heldNames: [String] { designations.map(\.name) + (listings.isEmpty ? [] : ["listed"]) }

    /// True when the enterprise holds the designation (`listed` also counts stock listings).
    public func holds(_ designation: String) -> Bool {
        let wanted = designation.lowercased()
        if wanted == "listed", !listings.isEmpty { return true }
        return designations.contains { $0.name.lowercased() == wanted }
    }
}
