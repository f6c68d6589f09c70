// The kinds core declares: the vocabulary more than one plugin reads.
//   sources      — every plugin's records cite them
//   sectors      — the registry classifies by them; talent maps disciplines onto them
//   enterprises  — the registry owns them; policies target them, sites belong to them, events concern them
//   indicators   — the policy plugin charts them; the registry checks coverage against reported counts;
//                  talent records institution totals as indicators

/// An enterprise id's bytes: ASCII letters, digits, `-`, `_` and `.`.
@inline(__always) private func isIDByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x5F || byte == 0x2E
}

/// The largest headcount a record may carry (the largest employers have ~2.3 million staff);
/// bounded so that sums over a million records cannot overflow.
public let maximumHeadcount = 10_000_000
/// The largest magnitude of an indicator value; sums and differences of a million such values stay finite and exact enough.
public let maximumIndicatorValue = 1e15

extension Source: Record {
    /// Sources: what every record cites.
    public static let kind = RecordKind<Source>(name: "sources", label: "source", owner: "core", names: { [$0.title] })
}

extension Sector: Record {
    /// The sector taxonomy.
    public static let kind = RecordKind<Sector>(name: "sectors", label: "sector", owner: "core", names: { $0.allNames }, validate: { sector in
        guard !sector.name.isEmpty else { throw ValleyError.invalidValue(field: "name", value: "", expected: "a sector name") }
    })
}

extension Enterprise: Record {
    /// Companies in the cluster.
    public static let kind = RecordKind<Enterprise>(
        name: "enterprises", label: "enterprise", owner: "core", fields: Enterprise.fields, names: { $0.allNames },
        references: [
            // Closures rather than `.list(_:_:to:)`: applying a stored key path costs ~300
            // instructions, a fifth of an imported row's checks.
            Reference(field: "sector", target: Sector.kind.name, isRequired: false, keys: { $0.sectors }) { record, old, new in
                var seen = Set<String>()
                record.sectors = record.sectors.compactMap { $0 == old ? new : $0 }.filter { seen.insert($0).inserted }
            },
            // Without designations or listings (most rows) the list is the record's own: no allocation.
            .sources({ $0.designations.isEmpty && $0.listings.isEmpty ? $0.sources : $0.sources + $0.designations.map(\.source) + $0.listings.map(\.source) }) { record, old, new in
                record.sources = record.sources.compactMap { $0 == old ? new : $0 }
                if let new {
                    for index in record.designations.indices where record.designations[index].source == old { record.designations[index].source = new }
                    for index in record.listings.indices where record.listings[index].source == old { record.listings[index].source = new }
                } else {
                    record.designations.removeAll { $0.source == old }
                    record.listings.removeAll { $0.source == old }
                }
            },
        ],
        citations: { enterprise in
            enterprise.sources.map { ("enterprise", $0) } + enterprise.designations.map { ("designation \($0.name)", $0.source) }
                + enterprise.listings.map { ("listing \($0.ticker)", $0.source) }
        },
        validate: { enterprise in
            guard enterprise.id.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(isIDByte) }) ?? enterprise.id.utf8.allSatisfy(isIDByte) else {
                throw ValleyError.invalidValue(field: "id", value: enterprise.id, expected: "ASCII letters, digits, '-', '_' or '.'")
            }
            guard (enterprise.packedNameEN?.utf8Count ?? 0) > 0 || enterprise.nameZH?.isEmpty == false else {
                throw ValleyError.invalidValue(field: "name", value: "", expected: "a name or name-zh")
            }
            if let headcount = enterprise.headcount, !(0...maximumHeadcount).contains(headcount) {
                throw ValleyError.invalidValue(field: "headcount", value: String(headcount), expected: "a whole number from 0 to \(maximumHeadcount)")
            }
            if let wrong = enterprise.creditCodeProblem {
                throw ValleyError.invalidValue(field: "credit-code", value: wrong.code, expected: "a valid GB 32100-2015 code; \(wrong.problem)")
            }
            for designation in enterprise.designations where designation.name.isEmpty {
                throw ValleyError.invalidValue(field: "designation", value: "", expected: "a designation name")
            }
            for listing in enterprise.listings where listing.exchange.isEmpty || listing.ticker.isEmpty {
                throw ValleyError.invalidValue(field: "ticker", value: listing.ticker, expected: "an exchange and a ticker")
            }
            // A capital that is not a finite number has no JSON: a save would write what open refuses.
            // (Checked without an array: this runs for every row of an import.)
            if let registration = enterprise.registration {
                func checkFinite(_ money: Money?, field: String) throws {
                    if let money, !money.amount.isFinite {
                        throw ValleyError.invalidValue(field: field, value: money.text, expected: "a finite amount")
                    }
                }
                try checkFinite(registration.registeredCapital, field: "registered-capital")
                try checkFinite(registration.paidInCapital, field: "paid-in-capital")
            }
        }
    )
}

extension Indicator: Record {
    /// Indicators with their observations.
    public static let kind = RecordKind<Indicator>(
        name: "indicators", label: "indicator", owner: "core", names: { [$0.name] },
        references: [
            .sources({ $0.observations.map(\.source) }) { record, old, new in
                if let new {
                    for index in record.observations.indices where record.observations[index].source == old { record.observations[index].source = new }
                } else {
                    record.observations.removeAll { $0.source == old }
                }
            },
        ],
        derivedCounts: [.init("observations") { $0.observations.count }],
        citations: { indicator in indicator.observations.map { ("observation \($0.period)", $0.source) } },
        validate: { indicator in
            for observation in indicator.observations where !observation.value.isFinite || abs(observation.value) > maximumIndicatorValue {
                throw ValleyError.invalidValue(field: "value", value: "\(observation.value)", expected: "a finite number of magnitude at most 1e15")
            }
        }
    )
}
