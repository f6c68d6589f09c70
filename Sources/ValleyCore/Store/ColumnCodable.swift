/// The type of a stored column in a row-oriented workspace form (the SQLite database).
public enum ColumnType: String, Sendable {
    /// Text.
    case text = "TEXT"
    /// A 64-bit whole number.
    case integer = "INTEGER"
    /// A double.
    case real = "REAL"
    /// 0 or 1.
    case boolean = "BOOLEAN"
    /// A list or a nested value as compact JSON text.
    case json = "JSON"
}

/// A record's fast path into and out of a row: fixed columns written and read by position,
/// without `Codable`'s containers.
///
/// Every kind is saved and opened through `Codable` by default; at a million records that
/// costs seconds (each field passes through boxed containers and dynamic casts). A kind that
/// expects such volumes (enterprises) declares its columns here as well. The columns and
/// values must be exactly those its `Codable` form gives (same names, same JSON), so that a
/// file does not depend on which path wrote it; `ValleyWorkspaceTests` checks this.
public protocol ColumnCodable: Record {
    /// The columns in order: each field's `Codable` key and type.
    static var storedColumns: [(name: String, type: ColumnType)] { get }
    /// Writes one value per column, in `storedColumns` order.
    func writeColumns(to row: any ColumnWriter) throws
    /// Reads a record from a row; column `i` is `storedColumns[i]`.
    init(columns row: any ColumnReader) throws
    /// Inserts every row of `source` through the kind's validation. Implement it as
    /// `try insertAllRows(from: source, into: &model)`: the loop is then compiled for the
    /// record type (called through the protocol from code that does not name the type, it
    /// would not be, and each record would be copied and its fields looked up generically).
    /// The rows are existentials, not generic parameters, for the same reason: a generic
    /// parameter the compiler cannot see the type of keeps the whole loop unspecialised.
    static func insertRows(from source: any ColumnRowSource, into model: inout ClusterModel) throws
    /// Inserts every row of `pieces`, read and decoded on every core, inserted in order through
    /// the kind's validation. Implement it as `try insertAllRows(fromPieces: pieces, into: &model)`.
    static func insertRows(fromPieces pieces: any ColumnPieceSource, into model: inout ClusterModel) throws
    /// Writes every record of `table` to `sink`. Implement it as `try writeAllRows(of: table, to: sink)`.
    static func writeRows(of table: RecordTable<Self>, to sink: any ColumnRowSink) throws
}

/// Rows to read records from, one after another.
public protocol ColumnRowSource: ColumnReader {
    /// Moves to the next row; false after the last.
    func next() throws -> Bool
    /// The error to report for `error` at the current row (of the record `id`, once known).
    func failure(_ error: any Error, id: String?) -> any Error
}

/// Rows to read records from in pieces, each read on its own thread: a million-row workspace
/// opens on every core, the pieces inserted in their order.
public protocol ColumnPieceSource: Sendable {
    /// How many pieces there are.
    var pieceCount: Int { get }
    /// The rows of piece `index`, in order (called on the thread that decodes them).
    func rows(ofPiece index: Int) throws -> any ColumnRowSource
    /// The error to report for `error` at `row` (counted from 1 over all pieces), of the
    /// record `id` when it was decoded.
    func failure(_ error: any Error, row: Int, id: String?) -> any Error
}

/// Rows to write records to.
public protocol ColumnRowSink: ColumnWriter {
    /// Ends the row whose columns were just written.
    func endRow() throws
}

extension ColumnCodable {
    /// Inserts every row of `source` in bulk, through the kind's validation.
    /// - Complexity: O(rows).
    @inlinable
    public static func insertAllRows(from source: any ColumnRowSource, into model: inout ClusterModel) throws {
        try model.bulkInsert(Self.self) { inserter in
            while try source.next() {
                let record: Self
                do { record = try Self(columns: source) } catch { throw source.failure(error, id: nil) }
                let id = record.id
                do { try inserter.insert(record) } catch { throw source.failure(error, id: id) }
            }
        }
    }

    /// Inserts every row of `pieces` in bulk: pieces are decoded on every core and inserted
    /// on the calling thread in order, so that the records, their order and the first error
    /// reported are those of reading the rows one after another.
    /// - Complexity: O(rows), the decoding spread over the processors.
    @inlinable
    public static func insertAllRows(fromPieces pieces: any ColumnPieceSource, into model: inout ClusterModel) throws {
        try model.bulkInsert(Self.self) { inserter in
            var row = 0
            // A piece's error comes after the records decoded before it, so that one of those
            // that the kind refuses is reported first, as reading row by row would. A row that
            // does not decode is reported at its row; an error of the file itself (a read, an
            // interruption) as it is.
            try ParallelChunks.stream(count: pieces.pieceCount, pieces: pieces.pieceCount, minimumPerPiece: 1, produce: { range in
                var records: [Self] = []
                do {
                    for piece in range {
                        let source = try pieces.rows(ofPiece: piece)
                        while try source.next() {
                            do { records.append(try Self(columns: source)) } catch { return (records, error, true) }
                        }
                    }
                } catch {
                    return (records, error, false)
                }
                return (records, nil as (any Error)?, false)
            }) { (decoded: (records: [Self], failure: (any Error)?, atRow: Bool)) in
                for record in decoded.records {
                    row += 1
                    let id = record.id
                    do { try inserter.insert(record) } catch { throw pieces.failure(error, row: row, id: id) }
                }
                if let failure = decoded.failure { throw decoded.atRow ? pieces.failure(failure, row: row + 1, id: nil) : failure }
                return true
            }
        }
    }

    /// Writes every record of `table` to `sink`, in the table's order.
    /// - Complexity: O(rows).
    @inlinable
    public static func writeAllRows(of table: RecordTable<Self>, to sink: any ColumnRowSink) throws {
        try table.forEachRecord({ (record: borrowing Self) throws -> Void in
            try record.writeColumns(to: sink)
            try sink.endRow()
        })
    }
}

/// Where `ColumnCodable.writeColumns` writes: one call per column, in order. A nil is a null.
public protocol ColumnWriter: AnyObject {
    /// A text column.
    func text(_ value: String?)
    /// An integer column.
    func integer(_ value: Int?)
    /// A list of strings as JSON text.
    func strings(_ value: [String])
    /// Any value as JSON text (as `Codable` writes it).
    func json<T: Encodable>(_ value: T) throws
    /// JSON text already made (the bytes `Codable` would write for the column's value).
    func json(bytes: [UInt8])
    /// A text column from valid UTF-8 bytes (text made without a `String`: a packed code, an
    /// English name kept in a chunk).
    func text(utf8 bytes: UnsafeBufferPointer<UInt8>)
}

extension ColumnWriter {
    /// A text column from valid UTF-8 bytes, through a `String`.
    public func text(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        text(String(decoding: bytes, as: UTF8.self))
    }
}

/// Where `ColumnCodable.init(columns:)` reads: column `i` of `storedColumns`. Errors are
/// `DecodingError`s naming the column, as the `Codable` path gives.
public protocol ColumnReader: AnyObject {
    /// A text column (nil when null).
    func text(_ column: Int) throws -> String?
    /// An integer column (nil when null).
    func integer(_ column: Int) throws -> Int?
    /// A list of strings from JSON text.
    func strings(_ column: Int) throws -> [String]
    /// Any value from JSON text.
    func json<T: Decodable>(_ type: T.Type, _ column: Int) throws -> T
    /// True when the column is null (an optional field with no value).
    func isNull(_ column: Int) -> Bool
    /// True when the column holds an empty JSON list (`[]`): most rows' designations and
    /// listings, read without a decoder.
    func isEmptyList(_ column: Int) -> Bool
    /// The error for a column whose value is not what the record allows.
    func invalid(_ column: Int, _ reason: String) -> DecodingError
    /// What `make` reads from `columns`, shared by the rows whose `columns` hold the same: the
    /// value made for an earlier such row, else `make()`'s (a record's box of values many
    /// records repeat, read once). A reader may call `make` for every row; the default does.
    /// - Complexity: O(length of the columns' values) besides `make`.
    func shared<Value>(columns: [Int], _ make: () throws -> Value) throws -> Value
    /// A text column kept as bytes (nil when null): a reader of many rows appends it to a
    /// `TextArena`, so that the rows share chunks; the default gives each text a chunk of its own.
    /// - Complexity: O(length of the text).
    func arenaText(_ column: Int) throws -> ArenaText?
}

extension ColumnReader {
    /// `make()`: a reader without a memo shares nothing.
    public func shared<Value>(columns: [Int], _ make: () throws -> Value) throws -> Value { try make() }

    /// The text in a chunk of its own: a reader without an arena.
    public func arenaText(_ column: Int) throws -> ArenaText? { try text(column).map(ArenaText.init) }

    /// A text column that must have a value.
    @inlinable public func requiredText(_ column: Int) throws -> String {
        guard let text = try text(column) else { throw invalid(column, "expected text, found null") }
        return text
    }

    /// A date column (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), as `CalendarDate`'s `Codable` reads it.
    @inlinable public func date(_ column: Int) throws -> CalendarDate? {
        guard let text = try text(column) else { return nil }
        guard let date = CalendarDate(text) else { throw invalid(column, "expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '\(text)'") }
        return date
    }
}
