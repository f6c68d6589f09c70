// Enterprises are the kind at a million records: they take the columnar fast path of the
// workspace database (see `ColumnCodable`).

extension Enterprise: ColumnCodable {
    /// The columns of `enterprises`, as `Codable` names them.
    public static let storedColumns: [(name: String, type: ColumnType)] = [
        ("id", .text), ("nameEN", .text), ("nameZH", .text), ("aliases", .json), ("creditCode", .text), ("founded", .text),
        ("status", .text), ("sectors", .json), ("park", .text), ("region", .text), ("designations", .json), ("listings", .json),
        ("headcount", .integer), ("sources", .json), ("asOf", .text), ("note", .text), ("registration", .json),
    ]

    /// Writes the columns in order.
    public func writeColumns(to row: any ColumnWriter) throws {
        row.text(id)
        if let name = packedNameEN { name.withUTF8 { row.text(utf8: $0) } } else { row.text(nil) }
        row.text(nameZH)
        row.strings(aliases)
        if let packed = packedCreditCode { packed.withUTF8 { row.text(utf8: $0) } } else { row.text(creditCode) }
        row.text(founded?.description)
        row.text(status.rawValue)
        row.strings(sectors)
        row.text(park)
        row.text(region)
        // The nested values' JSON written by hand (`Enterprise+JSON.swift`, held equal to their
        // `Codable` form by tests): through the encoder they were a third of a million-row save.
        func json(_ append: (inout JSONBytes) -> Void) {
            var json = JSONBytes()
            append(&json)
            row.json(bytes: json.bytes)
        }
        if designations.isEmpty { row.strings([]) } else { json { Designation.appendJSON(designations.span, to: &$0) } }
        if listings.isEmpty { row.strings([]) } else { json { Listing.appendJSON(listings.span, to: &$0) } }
        row.integer(headcount)
        row.strings(sources)
        row.text(asOf?.description)
        row.text(note)
        if let registration { json { registration.appendJSON(to: &$0) } } else { row.text(nil) }
    }

    /// Reads the columns in order.
    public init(columns row: any ColumnReader) throws {
        let statusText = try row.requiredText(6)
        guard let status = Status(rawValue: statusText) else {
            throw row.invalid(6, "expected one of \(Status.allCases.map(\.rawValue).joined(separator: ", ")), got '\(statusText)'")
        }
        // Rows that repeat a park, designations and sources share one box of them, read once
        // (read in the arguments' order, so that a row's first bad column is the one named).
        self.init(id: try row.requiredText(0), nameEN: try row.arenaText(1), nameZH: try row.text(2), aliases: try row.strings(3),
                  creditCode: try row.text(4), founded: try row.date(5), status: status, sectors: try row.strings(7),
                  shared: try row.shared(columns: [8, 10, 13]) {
                      Boxed(SharedFields(park: try row.text(8), designations: row.isEmptyList(10) ? [] : try row.json([Designation].self, 10),
                                         sources: try row.strings(13)))
                  },
                  region: try row.text(9),
                  listings: row.isEmptyList(11) ? [] : try row.json([Listing].self, 11), headcount: try row.integer(12),
                  asOf: try row.date(14), note: try row.text(15),
                  registration: row.isNull(16) ? nil : try row.json(Registration.self, 16))
    }

    /// Inserts rows in bulk (compiled for `Enterprise`).
    public static func insertRows(from source: any ColumnRowSource, into model: inout ClusterModel) throws {
        try insertAllRows(from: source, into: &model)
    }

    /// Inserts rows decoded in pieces on every core (compiled for `Enterprise`).
    public static func insertRows(fromPieces pieces: any ColumnPieceSource, into model: inout ClusterModel) throws {
        try insertAllRows(fromPieces: pieces, into: &model)
    }

    /// Writes rows (compiled for `Enterprise`).
    public static func writeRows(of table: RecordTable<Enterprise>, to sink: any ColumnRowSink) throws {
        try writeAllRows(of: table, to: sink)
    }
}
