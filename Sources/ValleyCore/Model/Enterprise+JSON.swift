// An enterprise's JSON written by hand, for JSON exports.

extension Enterprise {
    /// Appends the compact JSON that `StreamingJSONEncoder` makes of the enterprise (the
    /// `Codable` keys, in their order; absent optionals left out), without the `Codable` walk.
    ///
    /// Written by hand because the walk cost about 2 µs a record in generic metadata lookups:
    /// two thirds of a million-row `registry export --format json`. A test holds the bytes
    /// equal to the encoder's for every field.
    /// - Complexity: O(length of the record).
    package func appendJSON(to json: inout JSONBytes) {
        json.raw("{")
        json.key("id"); json.string(id)
        if let nameEN { json.raw(","); json.key("nameEN"); json.string(nameEN) }
        if let nameZH { json.raw(","); json.key("nameZH"); json.string(nameZH) }
        json.raw(","); json.key("aliases"); json.strings(aliases)
        if let creditCode { json.raw(","); json.key("creditCode"); json.string(creditCode) }
        if let founded { json.raw(","); json.key("founded"); json.date(founded) }
        json.raw(","); json.key("status"); json.string(status.rawValue)
        json.raw(","); json.key("sectors"); json.strings(sectors)
        if let park { json.raw(","); json.key("park"); json.string(park) }
        if let region { json.raw(","); json.key("region"); json.string(region) }
        json.raw(","); json.key("designations"); Designation.appendJSON(designations, to: &json)
        json.raw(","); json.key("listings"); Listing.appendJSON(listings, to: &json)
        if let headcount { json.raw(","); json.key("headcount"); json.number(headcount) }
        json.raw(","); json.key("sources"); json.strings(sources)
        if let asOf { json.raw(","); json.key("asOf"); json.date(asOf) }
        if let note { json.raw(","); json.key("note"); json.string(note) }
        if let registration {
            json.raw(","); json.key("registration"); registration.appendJSON(to: &json)
        }
        json.raw("}")
    }
}

extension Designation {
    /// Appends the designations' JSON array, as `StreamingJSONEncoder` writes it.
    /// - Complexity: O(length of the JSON).
    package static func appendJSON(_ designations: [Designation], to json: inout JSONBytes) {
        json.array(designations) { designation, json in
            json.raw("{"); json.key("name"); json.string(designation.name)
            if let tier = designation.tier { json.raw(","); json.key("tier"); json.string(tier) }
            if let granted = designation.granted { json.raw(","); json.key("granted"); json.date(granted) }
            if let validUntil = designation.validUntil { json.raw(","); json.key("validUntil"); json.date(validUntil) }
            json.raw(","); json.key("source"); json.string(designation.source)
            json.raw("}")
        }
    }
}

extension Listing {
    /// Appends the listings' JSON array, as `StreamingJSONEncoder` writes it.
    /// - Complexity: O(length of the JSON).
    package static func appendJSON(_ listings: [Listing], to json: inout JSONBytes) {
        json.array(listings) { listing, json in
            json.raw("{"); json.key("exchange"); json.string(listing.exchange)
            json.raw(","); json.key("ticker"); json.string(listing.ticker)
            if let date = listing.date { json.raw(","); json.key("date"); json.date(date) }
            json.raw(","); json.key("source"); json.string(listing.source)
            json.raw("}")
        }
    }
}

extension Registration {
    /// Appends the registration's JSON object, as `StreamingJSONEncoder` writes it.
    /// - Complexity: O(length of the JSON).
    package func appendJSON(to json: inout JSONBytes) {
        json.raw("{")
        var first = true
        func field(_ key: StaticString, _ value: String?) {
            guard let value else { return }
            if !first { json.raw(",") }
            first = false
            json.key(key); json.string(value)
        }
        func money(_ key: StaticString, _ value: Money?) {
            guard let value else { return }
            if !first { json.raw(",") }
            first = false
            json.key(key); json.raw("{")
            json.key("amount"); json.number(value.amount)
            if let unit = value.unit { json.raw(","); json.key("unit"); json.string(unit) }
            json.raw(","); json.key("currency"); json.string(value.currency)
            json.raw(","); json.key("text"); json.string(value.text)
            json.raw("}")
        }
        field("legalRepresentative", legalRepresentative)
        money("registeredCapital", registeredCapital)
        money("paidInCapital", paidInCapital)
        field("industry", industry)
        field("province", province)
        field("city", city)
        field("district", district)
        field("address", address)
        field("businessScope", businessScope)
        json.raw("}")
    }
}
