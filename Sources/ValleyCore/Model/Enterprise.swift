/// A company in the cluster, with its names, sectors, designations and listings.
public struct Enterprise: Codable, Hashable, Sendable, Identifiable {
    /// Whether the company is operating.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case active, deregistered, revoked, merged
        /// Moved its registration out of the area (迁出).
        case movedOut = "moved-out"
        case unknown
    }

    // A record is 96 bytes. The stored fields are those most records have; the ones most
    // records lack (aliases, region, listings, as-of, note, registration, and a credit code or
    // a headcount that validation will refuse) share one box, absent when all are empty: at a
    // million imported rows that made a record 128 bytes instead of 192 (57 MB less); the
    // registration has a box of its own inside it, so that a box for a note stays small. The
    // credit code is packed into 12 bytes (`CreditCode.Packed`) instead of a heap string, the
    // headcount into the 4 beside it, and the English name is bytes in a chunk that the rows
    // read with it share (`ArenaText`). The park, designations and sources, which many records
    // repeat, share a second box (`SharedFields`), made once for the rows that write them alike.
    // Stored in this order so that the padding falls at the end.

    /// Stable id, e.g. `iaso-bio`.
    public var id: String
    /// The English name, as bytes in a chunk that the rows read with it share (`ArenaText`):
    /// most English names are longer than the 15 bytes a `String` holds without a heap object.
    @usableFromInline var storedNameEN: ArenaText?
    /// The Chinese name, when known.
    public var nameZH: String?
    /// The credit code, packed (`CreditCode.Packed.absent` when there is none or when it is not
    /// 18 characters of the code alphabet: such text, which validation refuses, waits in the box).
    @usableFromInline var storedCode: CreditCode.Packed
    /// The headcount; `noHeadcount` when there is none, `headcountInBox` when it is beyond what
    /// this holds (such a number, which validation refuses, waits in the box).
    @usableFromInline var storedHeadcount: Int32
    /// Ids of sectors in the model's taxonomy.
    public var sectors: [String]
    /// The park, designations and sources: values that many records repeat, in one box that
    /// records read alike share (see `SharedFields`).
    @usableFromInline var shared: Boxed<SharedFields>
    /// The fields most records lack; nil when all of them are empty.
    @usableFromInline var sparse: Boxed<SparseFields>?

    /// When the company was founded.
    public var founded: CalendarDate?
    /// Operating status.
    public var status: Status

    /// The 18-character unified social credit code, when known.
    ///
    /// Kept packed (`packedCreditCode`): reading it makes a string, an allocation, so a reader
    /// of every record (an export, an index) takes `packedCreditCode` instead.
    /// - Complexity: O(1), an allocation to read a packed code.
    public var creditCode: String? {
        get { storedCode.isAbsent ? sparse?.value.otherCreditCode : storedCode.string }
        set {
            if let newValue, let packed = CreditCode.Packed(newValue) {
                packedCreditCode = packed
            } else {
                storedCode = .absent
                if sparse?.value.otherCreditCode != newValue { changeSparse { $0.otherCreditCode = newValue } }
            }
        }
    }

    /// The credit code when it is 18 characters of the code alphabet (`creditCode` then is its
    /// text), nil when there is none or when the text is something else.
    /// - Complexity: O(1)
    public var packedCreditCode: CreditCode.Packed? {
        @inlinable get { storedCode.isAbsent ? nil : storedCode }
        set {
            storedCode = newValue ?? .absent
            if sparse?.value.otherCreditCode != nil { changeSparse { $0.otherCreditCode = nil } }
        }
    }

    /// Number of employees, when reported.
    /// - Complexity: O(1)
    public var headcount: Int? {
        @inlinable get {
            // The box is read only for a headcount kept there, not for every record without one.
            if storedHeadcount > Self.headcountInBox { return Int(storedHeadcount) }
            return storedHeadcount == Self.noHeadcount ? nil : sparse?.value.otherHeadcount
        }
        set {
            let (stored, other) = Self.storing(headcount: newValue)
            storedHeadcount = stored
            if sparse?.value.otherHeadcount != other { changeSparse { $0.otherHeadcount = other } }
        }
    }

    /// The stored headcount of a record without one.
    @usableFromInline static var noHeadcount: Int32 { .min }
    /// The stored headcount of a record whose headcount is in the box (beyond 32 bits, or one of
    /// these two values).
    @usableFromInline static var headcountInBox: Int32 { .min + 1 }

    /// What the record stores for `headcount`, and what its box keeps (nil unless it is too
    /// large for the record).
    static func storing(headcount: Int?) -> (stored: Int32, other: Int?) {
        guard let headcount else { return (noHeadcount, nil) }
        if let stored = Int32(exactly: headcount), stored > headcountInBox { return (stored, nil) }
        return (headcountInBox, headcount)
    }

    /// The English name, when known.
    ///
    /// Kept as UTF-8 bytes (`packedNameEN`): reading it makes a string, an allocation past 15
    /// bytes, so a reader of every record (an export, a filter) takes `packedNameEN` instead.
    /// - Complexity: O(length of the name).
    public var nameEN: String? {
        get { storedNameEN?.string }
        set { storedNameEN = newValue.map(ArenaText.init) }
    }

    /// The English name where it is kept: set by a reader of many rows from a `TextArena`, so
    /// that the names share chunks.
    /// - Complexity: O(1)
    public var packedNameEN: ArenaText? {
        @inlinable get { storedNameEN }
        set { storedNameEN = newValue }
    }

    /// The credit code and why it is invalid, nil when there is none or it is valid: the packed
    /// code checked where it is, made text only when it is wrong.
    /// - Complexity: O(1) for a packed code; O(length) for other text.
    public var creditCodeProblem: (code: String, problem: String)? {
        if let packed = packedCreditCode { return packed.problem.map { (packed.string, $0) } }
        guard let code = creditCode, let problem = CreditCode.problem(with: code) else { return nil }
        return (code, problem)
    }

    /// The park the company sits in, e.g. `NJBPV`.
    public var park: String? {
        @inlinable get { shared.storage.value.park }
        set { changeShared { $0.park = newValue } }
    }
    /// Designations held (high-tech enterprise, little giant, …).
    public var designations: [Designation] {
        @inlinable get { shared.storage.value.designations }
        set { changeShared { $0.designations = newValue } }
    }
    /// Ids of the sources of this record.
    public var sources: [String] {
        @inlinable get { shared.storage.value.sources }
        set { changeShared { $0.sources = newValue } }
    }

    /// Other and former names (including names used by a single source).
    public var aliases: [String] {
        @inlinable get { sparse?.value.aliases ?? [] }
        set { changeSparse { $0.aliases = newValue } }
    }
    /// The region, e.g. `Jiangbei New Area, Nanjing`.
    public var region: String? {
        @inlinable get { sparse?.value.region }
        set { changeSparse { $0.region = newValue } }
    }
    /// Stock listings.
    public var listings: [Listing] {
        @inlinable get { sparse?.value.listings ?? [] }
        set { changeSparse { $0.listings = newValue } }
    }
    /// When the record was last known to be true.
    public var asOf: CalendarDate? {
        @inlinable get { sparse?.value.asOf }
        set { changeSparse { $0.asOf = newValue } }
    }
    /// A free note (e.g. why two names were judged the same company).
    public var note: String? {
        @inlinable get { sparse?.value.note }
        set { changeSparse { $0.note = newValue } }
    }
    /// Registration details from a registry export (capital, legal representative, address…).
    public var registration: Registration? {
        @inlinable get { sparse?.value.registration?.value }
        set { changeSparse { $0.registration = SparseFields.boxed(newValue) } }
    }

    /// The fields of an enterprise that most records lack.
    ///
    /// The getters are inlinable so that a reader in another module (a plugin's export, which
    /// reads records where they are) loads the box from the record's address: an opaque
    /// getter made it copy the whole record first, a retain and a release of each field.
    @usableFromInline
    struct SparseFields: Hashable, Sendable, Codable {
        @usableFromInline var aliases: [String] = []
        @usableFromInline var region: String?
        @usableFromInline var listings: [Listing] = []
        @usableFromInline var asOf: CalendarDate?
        @usableFromInline var note: String?
        /// Boxed apart: its nine optionals are 240 bytes, which every record with a note or an
        /// alias carried in its box while few records have a registration (at a million
        /// imported rows, the 155,000 boxes of notes and aliases took 25 MB less).
        @usableFromInline var registration: Boxed<Registration>?
        /// A credit code that is not 18 characters of the code alphabet (validation refuses it; a
        /// record holds it until then, so that the refusal can show it).
        var otherCreditCode: String?
        /// A headcount beyond 32 bits (validation refuses it; a record holds it until then).
        @usableFromInline var otherHeadcount: Int?

        /// True when every field is empty: the record then has no box.
        var isEmpty: Bool {
            aliases.isEmpty && region == nil && listings.isEmpty && asOf == nil && note == nil && registration == nil
                && otherCreditCode == nil && otherHeadcount == nil
        }

        /// The fields boxed for a record: nil when all are empty.
        var boxed: Boxed<SparseFields>? { isEmpty ? nil : Boxed(self) }

        /// A registration boxed for the sparse fields: nil when it is nil or empty.
        static func boxed(_ registration: Registration?) -> Boxed<Registration>? {
            registration.flatMap { $0.isEmpty ? nil : Boxed($0) }
        }
    }

    /// The fields that many records repeat: a park, a list of designations and one of sources.
    /// A reader of many rows (an import, an open) gives records read alike one box
    /// (`shareFields(of:)`): at a million imported rows it made a record 104 bytes instead of 128,
    /// 22 MB less. The sectors stay in the record: `count --by sector` reads them for every
    /// row, and with them in the box, a box for each park, sectors, designations and sources
    /// written alike (~1,500 in 16,384 rows) made that a load that missed the cache, 30 % slower.
    @usableFromInline
    struct SharedFields: Hashable, Sendable, Codable {
        @usableFromInline var park: String?
        @usableFromInline var designations: [Designation]
        @usableFromInline var sources: [String]
    }

    /// Takes `other`'s park, designations and sources by sharing its box: how a reader of many
    /// rows gives the rows that repeat these values one copy of them.
    /// - Complexity: O(1)
    public mutating func shareFields(of other: Enterprise) {
        shared = other.shared
    }

    /// True when this record and `other` share one box of park, designations and sources
    /// (`shareFields(of:)`); false does not mean that the values differ.
    /// - Complexity: O(1)
    public func sharesFields(with other: Enterprise) -> Bool { shared.storage === other.shared.storage }

    /// Takes `other`'s box of the fields most records lack (aliases, region, listings, as-of,
    /// note, registration) when it holds the same values as this record's: how a reader of many
    /// rows gives the rows that repeat them (a note that thousands of rows carry) one box.
    /// - Returns: true when the box is shared now; false, changing nothing, when either record
    ///   has no box or the values differ.
    /// - Complexity: O(size of the fields), a comparison.
    @discardableResult
    public mutating func shareSparseFields(of other: Enterprise) -> Bool {
        guard let mine = sparse, let theirs = other.sparse else { return false }
        if mine.storage === theirs.storage { return true }
        guard mine.value == theirs.value else { return false }
        sparse = theirs
        return true
    }

    /// True when this record and `other` share one box of the fields most records lack
    /// (`shareSparseFields(of:)`); false does not mean that the values differ.
    /// - Complexity: O(1)
    public func sharesSparseBox(with other: Enterprise) -> Bool {
        guard let mine = sparse, let theirs = other.sparse else { return false }
        return mine.storage === theirs.storage
    }

    /// True when the record has any of the fields most records lack (see `shareSparseFields`).
    /// - Complexity: O(1)
    public var hasSparseFields: Bool { sparse != nil }

    /// Sets the park, designations and sources at once: one box made instead of one per field set.
    /// - Complexity: O(1) besides the values' copies.
    public mutating func setSharedFields(park: String?, designations: [Designation], sources: [String]) {
        shared = Boxed(SharedFields(park: park, designations: designations, sources: sources))
    }

    /// Changes the shared fields, boxing them anew (the old box may be shared by other
    /// records) unless they stay as they were.
    /// - Complexity: O(1) plus a copy of the shared fields (a retain of each) and a comparison.
    private mutating func changeShared(_ change: (inout SharedFields) -> Void) {
        var fields = shared.value
        change(&fields)
        if fields != shared.value { shared = Boxed(fields) }
    }

    /// Sets the fields most records lack (those kept in a box of their own, not in the record)
    /// at once: one box made, or none when all are empty. Setting them one by one makes a box
    /// per field set; a reader of a million rows sets them so. The credit code and the headcount,
    /// whatever their form, stay as they were.
    /// - Complexity: O(1) besides the values' copies.
    public mutating func setSparseFields(aliases: [String], region: String?, listings: [Listing], asOf: CalendarDate?, note: String?,
                                         registration: Registration?) {
        sparse = SparseFields(aliases: aliases, region: region, listings: listings, asOf: asOf, note: note,
                              registration: SparseFields.boxed(registration), otherCreditCode: sparse?.value.otherCreditCode,
                              otherHeadcount: sparse?.value.otherHeadcount).boxed
    }

    /// Changes the sparse fields, boxing them anew (nil when all are empty).
    /// - Complexity: O(1) plus a copy of the sparse fields (a retain of each).
    private mutating func changeSparse(_ change: (inout SparseFields) -> Void) {
        var fields = sparse?.value ?? SparseFields()
        change(&fields)
        sparse = fields.boxed
    }

    enum CodingKeys: String, CodingKey {
        case id, nameEN, nameZH, aliases, creditCode, founded, status, sectors, park, region, designations, listings,
             headcount, sources, asOf, note, registration
    }

    /// Creates an enterprise record.
    public init(id: String, nameEN: String? = nil, nameZH: String? = nil, aliases: [String] = [],
                creditCode: String? = nil, founded: CalendarDate? = nil, status: Status = .active,
                sectors: [String] = [], park: String? = nil, region: String? = nil,
                designations: [Designation] = [], listings: [Listing] = [], headcount: Int? = nil,
                sources: [String], asOf: CalendarDate? = nil, note: String? = nil, registration: Registration? = nil) {
        self.init(id: id, nameEN: nameEN.map(ArenaText.init), nameZH: nameZH, aliases: aliases, creditCode: creditCode, founded: founded,
                  status: status, sectors: sectors, shared: Boxed(SharedFields(park: park, designations: designations, sources: sources)), region: region,
                  listings: listings, headcount: headcount, asOf: asOf, note: note, registration: registration)
    }

    /// Creates an enterprise record with its box of shared fields made already.
    init(id: String, nameEN: ArenaText?, nameZH: String?, aliases: [String], creditCode: String?, founded: CalendarDate?, status: Status,
         sectors: [String], shared: Boxed<SharedFields>, region: String?, listings: [Listing], headcount: Int?,
         asOf: CalendarDate?, note: String?, registration: Registration?) {
        self.id = id
        self.storedNameEN = nameEN
        self.nameZH = nameZH
        let packedCode = creditCode.flatMap { CreditCode.Packed($0) }
        self.storedCode = packedCode ?? .absent
        self.sectors = sectors
        self.shared = shared
        let headcounts = Self.storing(headcount: headcount)
        self.storedHeadcount = headcounts.stored
        self.founded = founded
        self.status = status
        let fields = SparseFields(aliases: aliases, region: region, listings: listings, asOf: asOf, note: note,
                                  registration: SparseFields.boxed(registration),
                                  otherCreditCode: packedCode == nil ? creditCode : nil,
                                  otherHeadcount: headcounts.other)
        self.sparse = fields.boxed
    }

    /// The name to show: English, else Chinese, else the id.
    public var displayName: String { nameEN ?? nameZH ?? id }

    /// Every name the company is known by: English, Chinese and aliases.
    ///
    /// One array made (the name index reads this for every record, twice on a first Tab): a
    /// literal, its `compactMap` and the concatenation made three.
    /// - Complexity: O(aliases).
    public var allNames: [String] {
        var names: [String] = []
        names.reserveCapacity(2 + aliases.count)
        if let nameEN { names.append(nameEN) }
        if let nameZH { names.append(nameZH) }
        names.append(contentsOf: aliases)
        return names
    }

    // Codable by hand since the sparse fields moved into a box; what the synthesized
    // conformance did: these keys in this order, optionals left out when nil, the lists required.

    /// Decodes an enterprise from its keyed form.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        storedNameEN = try c.decodeIfPresent(String.self, forKey: .nameEN).map(ArenaText.init)
        nameZH = try c.decodeIfPresent(String.self, forKey: .nameZH)
        let aliases = try c.decode([String].self, forKey: .aliases)
        let creditCode = try c.decodeIfPresent(String.self, forKey: .creditCode)
        let packedCode = creditCode.flatMap { CreditCode.Packed($0) }
        storedCode = packedCode ?? .absent
        founded = try c.decodeIfPresent(CalendarDate.self, forKey: .founded)
        status = try c.decode(Status.self, forKey: .status)
        sectors = try c.decode([String].self, forKey: .sectors)
        let park = try c.decodeIfPresent(String.self, forKey: .park)
        let region = try c.decodeIfPresent(String.self, forKey: .region)
        let designations = try c.decode([Designation].self, forKey: .designations)
        let listings = try c.decode([Listing].self, forKey: .listings)
        let headcount = try c.decodeIfPresent(Int.self, forKey: .headcount)
        let headcounts = Self.storing(headcount: headcount)
        storedHeadcount = headcounts.stored
        let sources = try c.decode([String].self, forKey: .sources)
        shared = Boxed(SharedFields(park: park, designations: designations, sources: sources))
        let asOf = try c.decodeIfPresent(CalendarDate.self, forKey: .asOf)
        let note = try c.decodeIfPresent(String.self, forKey: .note)
        // Kept as read, even when empty (`{}`), as the synthesized decoding kept it.
        let registration = try c.decodeIfPresent(Registration.self, forKey: .registration)
        sparse = SparseFields(aliases: aliases, region: region, listings: listings, asOf: asOf, note: note, registration: registration.map(Boxed.init),
                              otherCreditCode: packedCode == nil ? creditCode : nil,
                              otherHeadcount: headcounts.other).boxed
    }

    /// Encodes the enterprise in its keyed form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let fields = sparse?.value ?? SparseFields()
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(nameEN, forKey: .nameEN)
        try c.encodeIfPresent(nameZH, forKey: .nameZH)
        try c.encode(fields.aliases, forKey: .aliases)
        try c.encodeIfPresent(creditCode, forKey: .creditCode)
        try c.encodeIfPresent(founded, forKey: .founded)
        try c.encode(status, forKey: .status)
        try c.encode(sectors, forKey: .sectors)
        try c.encodeIfPresent(park, forKey: .park)
        try c.encodeIfPresent(fields.region, forKey: .region)
        try c.encode(designations, forKey: .designations)
        try c.encode(fields.listings, forKey: .listings)
        try c.encodeIfPresent(headcount, forKey: .headcount)
        try c.encode(sources, forKey: .sources)
        try c.encodeIfPresent(fields.asOf, forKey: .asOf)
        try c.encodeIfPresent(fields.note, forKey: .note)
        try c.encodeIfPresent(fields.registration?.value, forKey: .registration)
    }
}

/// A designation an enterprise holds, with its validity and source.
public struct Designation: Codable, Hashable, Sendable {
    /// The designation, e.g. `high-tech enterprise` or `little giant`.
    public var name: String
    /// The tier, where the designation has tiers (e.g. `national`).
    public var tier: String?
    /// When it was granted.
    public var granted: CalendarDate?
    /// Until when it is valid.
    public var validUntil: CalendarDate?
    /// Id of the source that reports it.
    public var source: String

    /// Creates a designation.
    public init(name: String, tier: String? = nil, granted: CalendarDate? = nil,
                validUntil: CalendarDate? = nil, source: String) {
        self.name = name
        self.tier = tier
        self.granted = granted
        self.validUntil = validUntil
        self.source = source
    }
}

/// A stock listing of an enterprise.
public struct Listing: Codable, Hashable, Sendable {
    /// The exchange, e.g. `HKEX`.
    public var exchange: String
    /// The ticker, e.g. `2096.HK`.
    public var ticker: String
    /// The listing date.
    public var date: CalendarDate?
    /// Id of the source that reports it.
    public var source: String

    /// Creates a listing.
    public init(exchange: String, ticker: String, date: CalendarDate? = nil, source: String) {
        self.exchange = exchange
        self.ticker = ticker
        self.date = date
        self.source = source
    }
}
