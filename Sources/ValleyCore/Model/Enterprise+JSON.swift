// An enterprise's JSON written by hand, for JSON exports.

extension Enterprise {
    /// Appends the compact JSON that `StreamingJSONEncoder` makes of the enterprise at `e` (the
    /// `Codable` keys, in their order; absent optionals left out), without the `Codable` walk.
    ///
    /// Written by hand because the walk cost about 2 µs a record in generic metadata lookups:
    /// two thirds of a million-row `registry export --format json`. A test holds the bytes
    /// equal to the encoder's for every field.
    ///
    /// The record is read where it is (its registration, when it has one, is copied whole), and
    /// its lists as spans: handing it over as a value copied it first, a retain and a release
    /// of each of its strings and lists.
    /// - Complexity: O(length of the record).
    package static func appendJSON(at e: UnsafePointer<Enterprise>, to json: inout JSONBytes) {
        json.raw("{")
        json.key("id"); json.string(e.pointee.id)
        if let nameEN = e.pointee.packedNameEN { json.raw(",\"nameEN\":"); nameEN.withUTF8 { json.string(utf8: $0) } }
        if let nameZH = e.pointee.nameZH { json.raw(",\"nameZH\":"); json.string(nameZH) }
        json.raw(",\"aliases\":"); json.strings(e.pointee.aliases.span)
        if let packed = e.pointee.packedCreditCode {
            // Letters and digits: nothing to escape.
            json.raw(",\"creditCode\":\"")
            packed.withUTF8 { json.bytes.append(contentsOf: $0) }
            json.raw("\"")
        } else if let creditCode = e.pointee.creditCode {
            json.raw(",\"creditCode\":"); json.string(creditCode)
        }
        if let founded = e.pointee.founded { json.raw(",\"founded\":"); json.date(founded) }
        json.raw(",\"status\":"); json.string(e.pointee.status.rawValue)
        json.raw(",\"sectors\":"); json.strings(e.pointee.sectors.span)
        if let park = e.pointee.park { json.raw(",\"park\":"); json.string(park) }
        if let region = e.pointee.region { json.raw(",\"region\":"); json.string(region) }
        json.raw(",\"designations\":"); Designation.appendJSON(e.pointee.designations.span, to: &json)
        json.raw(",\"listings\":"); Listing.appendJSON(e.pointee.listings.span, to: &json)
        if let headcount = e.pointee.headcount { json.raw(",\"headcount\":"); json.number(headcount) }
        json.raw(",\"sources\":"); json.strings(e.pointee.sources.span)
        if let asOf = e.pointee.asOf { json.raw(",\"asOf\":"); json.date(asOf) }
        if let note = e.pointee.note { json.raw(",\"note\":"); json.string(note) }
        if let registration = e.pointee.registration {
            json.raw(",\"registration\":"); registration.appendJSON(to: &json)
        }
        json.raw("}")
    }
}

extension Designation {
    /// Appends the designations' JSON array, as `StreamingJSONEncoder` writes it.
    /// - Complexity: O(length of the JSON).
    package static func appendJSON(_ designations: Span<Designation>, to json: inout JSONBytes) {
        json.array(designations) { designation, json in
            json.raw("{\"name\":"); json.string(designation.name)
            if let tier = designation.tier { json.raw(",\"tier\":"); json.string(tier) }
            if let granted = designation.granted { json.raw(",\"granted\":"); json.date(granted) }
            if let validUntil = designation.validUntil { json.raw(",\"validUntil\":"); json.date(validUntil) }
            json.raw(",\"source\":"); json.string(designation.source)
            json.raw("}")
        }
    }
}

extension Listing {
    /// Appends the listings' JSON array, as `StreamingJSONEncoder` writes it.
    /// - Complexity: O(length of the JSON).
    package static func appendJSON(_ listings: Span<Listing>, to json: inout JSONBytes) {
        json.array(listings) { listing, json in
            json.raw("{\"exchange\":"); json.string(listing.exchange)
            json.raw(",\"ticker\":"); json.string(listing.ticker)
            if let date = listing.date { json.raw(",\"date\":"); json.date(date) }
            json.raw(",\"source\":"); json.string(listing.source)
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
            if let unit = value.unit { json.raw(",\"unit\":"); json.string(unit) }
            json.raw(",\"currency\":"); json.string(value.currency)
            json.raw(",\"text\":"); json.string(value.text)
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
