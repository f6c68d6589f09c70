extension Enterprise {
    /// The enterprise fields, declared once: `--where`, `--sort`, `--fields`, `count --by`,
    /// completion and help read this.
    public static let fields = RecordFields<Enterprise>([
        .init("id", .text, "stable id") { .text($0.id) },
        .init("name", .text, "English name") { $0.nameEN.map(FieldValue.text) ?? .missing },
        .init("name-zh", .text, "Chinese name") { $0.nameZH.map(FieldValue.text) ?? .missing },
        .init("alias", .list, "other and former names") { .list($0.aliases) },
        .init("credit-code", .text, "unified social credit code") { $0.creditCode.map(FieldValue.text) ?? .missing },
        .init("founded", .date, "founding date") { $0.founded.map(FieldValue.date) ?? .missing },
        .init("founded-year", .number, "founding year") { $0.founded.map { .number(Double($0.year)) } ?? .missing },
        .init("status", .text, "active, deregistered, revoked, merged, moved-out or unknown") { .text($0.status.rawValue) },
        .init("sector", .list, "sector ids") { .list($0.sectors) },
        .init("park", .text, "park") { $0.park.map(FieldValue.text) ?? .missing },
        .init("region", .text, "region") { $0.region.map(FieldValue.text) ?? .missing },
        .init("designation", .list, "designations held, and listed for a company with a stock listing (what has NAME tests)") { .list($0.heldNames) },
        .init("ticker", .list, "stock tickers") { .list($0.listings.map(\.ticker)) },
        .init("headcount", .number, "employees") { $0.headcount.map { .number(Double($0)) } ?? .missing },
        .init("source", .list, "source ids") { .list($0.sources) },
        .init("as-of", .date, "when the record was last known true") { $0.asOf.map(FieldValue.date) ?? .missing },
        .init("legal-rep", .text, "legal representative (法定代表人)") { $0.registration?.legalRepresentative.map(FieldValue.text) ?? .missing },
        // Capital compares in yuan only: an amount in another currency is missing here (no
        // exchange rate is assumed), and its currency is a field of its own.
        .init("registered-capital", .number, "registered capital in yuan (注册资本; 万 × 10⁴); other currencies are missing") {
            $0.registration?.registeredCapital.flatMap { $0.currency == "CNY" ? .number($0.value) : nil } ?? .missing
        },
        .init("registered-capital-currency", .text, "currency of the registered capital (CNY, USD, …)") {
            $0.registration?.registeredCapital.map { .text($0.currency) } ?? .missing
        },
        .init("paid-in-capital", .number, "paid-in capital in yuan (实缴资本); other currencies are missing") {
            $0.registration?.paidInCapital.flatMap { $0.currency == "CNY" ? .number($0.value) : nil } ?? .missing
        },
        .init("industry", .text, "the registry's industry (所属行业)") { $0.registration?.industry.map(FieldValue.text) ?? .missing },
        .init("province", .text, "province (所属省份)") { $0.registration?.province.map(FieldValue.text) ?? .missing },
        .init("city", .text, "city (所属城市)") { $0.registration?.city.map(FieldValue.text) ?? .missing },
        .init("district", .text, "district (所属区县)") { $0.registration?.district.map(FieldValue.text) ?? .missing },
        .init("address", .text, "registered address (企业地址)") { $0.registration?.address.map(FieldValue.text) ?? .missing },
        .init("business-scope", .text, "business scope (经营范围)") { $0.registration?.businessScope.map(FieldValue.text) ?? .missing },
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
