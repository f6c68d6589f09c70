#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CSQLite
import ValleyCore
#if canImport(Glibc)
import Glibc
#endif

/// Binds a `ColumnCodable` record's columns straight to an INSERT's parameters, in order.
///
/// A row's text is copied into one buffer that lives until the row is inserted and bound
/// without SQLite's own copy (`SQLITE_STATIC`): a malloc and a free fewer per text value, 8
/// million of each in a million-row save. JSON values are bound as their codes (`JSONCodeWriter`).
final class StatementWriter: ColumnRowSink {
    let statement: SQLiteStatement
    let codes: JSONCodeWriter
    var index: Int32 = 1
    var rows = 0
    private let arena: UnsafeMutableRawBufferPointer
    private var used = 0
    /// The first error of a JSON value's code (from `valley_json`'s insert), thrown at the end of the row.
    private var failure: (any Error)?

    init(statement: SQLiteStatement, codes: JSONCodeWriter) {
        self.statement = statement
        self.codes = codes
        arena = .allocate(byteCount: 1 << 20, alignment: 8)
    }

    deinit { arena.deallocate() }

    func endRow() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
        try statement.run()
        used = 0
        index = 1
        rows += 1
        if rows & 4095 == 0 { try Interruption.check() }  // Ctrl-C cancels a long save
    }

    func text(_ value: String?) {
        guard var value else {
            statement.bind(.null, at: index)
            index += 1
            return
        }
        bindText(&value)
    }

    func text(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        bindText(bytes)
    }

    private func bindText(_ value: inout String) {
        value.withUTF8 { bindText($0) }
    }

    /// Copies the text into the row's buffer and binds it there (SQLite copies it itself when
    /// the buffer is full: a row of more than 1 MB of text).
    private func bindText(_ bytes: UnsafeBufferPointer<UInt8>) {
        let start = used
        if append(bytes) {
            statement.bindStatic(UnsafeRawBufferPointer(rebasing: arena[start..<used]), at: index)
        } else {
            statement.bind(.text(String(decoding: bytes, as: UTF8.self)), at: index)
        }
        index += 1
    }

    /// Binds the code of a JSON value.
    private func bindCode(_ code: () throws -> Int) {
        do {
            statement.bind(.integer(try code()), at: index)
        } catch {
            if failure == nil { failure = error }
            statement.bind(.null, at: index)
        }
        index += 1
    }

    /// Appends bytes to the row's buffer; false (and nothing appended) when they do not fit.
    private func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard used + bytes.count <= arena.count else { return false }
        if let base = bytes.baseAddress {
            UnsafeMutableRawBufferPointer(rebasing: arena[used..<used + bytes.count]).copyMemory(from: UnsafeRawBufferPointer(start: base, count: bytes.count))
        }
        used += bytes.count
        return true
    }

    private func append(_ byte: UInt8) -> Bool {
        guard used < arena.count else { return false }
        arena[used] = byte
        used += 1
        return true
    }

    func integer(_ value: Int?) {
        statement.bind(value.map(SQLValue.integer) ?? .null, at: index)
        index += 1
    }

    /// A list of strings: its code, known without its JSON when an earlier row had the same
    /// array; else its JSON is made in the row's buffer (no `String`; the same bytes as
    /// `JSONText.array`) and looked up.
    func strings(_ value: [String]) {
        if let known = codes.knownCode(of: value) {
            statement.bind(.integer(known), at: index)
            index += 1
            return
        }
        let start = used
        defer { used = start }
        var fits = append(0x5B)  // [
        for (position, element) in value.enumerated() where fits {
            if position > 0 { fits = append(0x2C) }  // ,
            if TableRenderer.needsEscape(element) {
                var escaped = TableRenderer.jsonString(element)
                fits = fits && escaped.withUTF8 { append($0) }
            } else {
                var plain = element
                fits = fits && plain.withUTF8 { append(0x22) && append($0) && append(0x22) }
            }
        }
        fits = fits && append(0x5D)  // ]
        bindCode {
            let code = fits ? try codes.code(UnsafeRawBufferPointer(rebasing: arena[start..<used])) : try codes.code(text: JSONText.array(value))
            codes.remember(value, code: code)
            return code
        }
    }

    func json<T: Encodable>(_ value: T) throws {
        let text = try JSONText.encode(value)
        bindCode { try codes.code(text: text) }
    }

    func json(bytes: [UInt8]) {
        bindCode { try bytes.withUnsafeBytes { try codes.code($0) } }
    }
}

/// Reads a `ColumnCodable` record's columns from the current row of a SELECT: column `i` of
/// `storedColumns` is found at `positions[i]` (nil: the file has no such column, read as null).
final class StatementReader: ColumnRowSource {
    let statement: SQLiteStatement
    let positions: [Int32?]
    let names: [String]
    /// The JSON decoder and the memo of decoded JSON text (shared with the `Codable` path).
    let layout: ReadLayout
    /// The workspace and the table, for messages.
    let path: String
    let table: String
    private(set) var row = 0
    /// The lists of strings read so far, by column, shared by the rows that repeat them (one
    /// memo a column: a column of mostly distinct lists, such as aliases, must not fill the
    /// memo of one whose few lists repeat, such as sectors).
    private var sharedLists: [ListMemo]
    /// The same for a file whose lists are codes (layout version 2): by code, a column each.
    private var codedLists: [[Int: [String]]]
    /// Text values rows repeat (a park, a region), one shared string each, by column.
    private var sharedTexts: [TextMemo]
    /// Values records repeat (`shared(columns:_:)`), by their columns' stored bytes.
    private var sharedValues = ValueMemo()
    /// The bytes of the columns of the value being looked up.
    private var valueKey: [UInt8] = []
    /// Where `arenaText` columns are kept: the rows of a reader (a piece of the table) share chunks.
    private var arena = TextArena()

    init(statement: SQLiteStatement, columns: [(name: String, type: ColumnType)], layout: ReadLayout, path: String, table: String) {
        self.statement = statement
        self.layout = layout
        self.path = path
        self.table = table
        names = columns.map(\.name)
        var byName: [String: Int32] = [:]
        for (index, name) in layout.names.enumerated() where byName[name] == nil { byName[name] = Int32(index) }
        positions = columns.map { byName[$0.name] }
        sharedLists = Array(repeating: ListMemo(), count: columns.count)
        codedLists = Array(repeating: [:], count: columns.count)
        sharedTexts = Array(repeating: TextMemo(), count: columns.count)
    }

    func next() throws -> Bool {
        guard try statement.step() else { return false }
        row += 1
        if row & 4095 == 0 { try Interruption.check() }  // Ctrl-C cancels a long open
        return true
    }

    func failure(_ error: any Error, id: String?) -> any Error {
        Self.failure(error, path: path, table: table, row: row, id: id)
    }

    /// The error to report for `error` at `row` of `table`, of the record `id` once known.
    static func failure(_ error: any Error, path: String, table: String, row: Int, id: String?) -> any Error {
        let place = "\(table) row \(row)" + (id.map { " (id '\(ValleyError.clip($0))')" } ?? "")
        switch error {
        case let error as DecodingError: return ValleyError.badWorkspace(path: path, reason: "\(place): \(SQLiteWorkspace.describe(error))")
        case let error as ValleyError where error != .interrupted: return ValleyError.badWorkspace(path: path, reason: "\(place): \(ValleyError.describe(error))")
        default: return error
        }
    }

    func invalid(_ column: Int, _ reason: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [AnyCodingKey(names[column])], debugDescription: reason))
    }

    private func found(_ position: Int32) -> String { describe(statement.column(position)) }

    func text(_ column: Int) throws -> String? {
        guard let position = positions[column] else { return nil }
        switch statement.type(position) {
        case SQLITE_TEXT: return statement.withBytes(position) { sharedTexts[column].text($0) }
        case SQLITE_NULL: return nil
        default: throw invalid(column, "expected text, found \(found(position))")
        }
    }

    func arenaText(_ column: Int) throws -> ArenaText? {
        guard let position = positions[column] else { return nil }
        switch statement.type(position) {
        case SQLITE_TEXT:
            return statement.withBytes(position) { bytes in
                // Text that is not ASCII is checked (and repaired) as `text` does, through a string.
                bytes.allSatisfy { $0 < 0x80 } ? arena.append(validUTF8: bytes) : arena.append(String(decoding: bytes, as: UTF8.self))
            }
        case SQLITE_NULL: return nil
        default: throw invalid(column, "expected text, found \(found(position))")
        }
    }

    func integer(_ column: Int) throws -> Int? {
        guard let position = positions[column] else { return nil }
        switch statement.type(position) {
        case SQLITE_INTEGER: return statement.integer(position)
        case SQLITE_NULL: return nil
        case SQLITE_FLOAT:
            if let exact = Int(exactly: statement.real(position)) { return exact }
        default: break
        }
        throw invalid(column, "expected a whole number, found \(found(position))")
    }

    /// The JSON text of a column that must have a value.
    private func jsonText(_ column: Int) throws -> String {
        do {
            if let position = positions[column], let text = try layout.jsonText(statement, position) { return text }
        } catch {
            throw invalid(column, error.reason)
        }
        throw DecodingError.valueNotFound(String.self, .init(codingPath: [AnyCodingKey(names[column])], debugDescription: "expected JSON, found null"))
    }

    func isNull(_ column: Int) -> Bool {
        guard let position = positions[column] else { return true }
        return statement.type(position) == SQLITE_NULL
    }

    func isEmptyList(_ column: Int) -> Bool {
        guard let position = positions[column] else { return false }
        if let code = layout.code(statement, position) { return layout.codes.text(code) == "[]" }
        guard statement.type(position) == SQLITE_TEXT else { return false }
        return statement.withBytes(position) { $0.count == 2 && $0[0] == 0x5B && $0[1] == 0x5D }
    }

    func strings(_ column: Int) throws -> [String] {
        if let position = positions[column] {
            if let code = layout.code(statement, position) {
                // Rows that repeat a list repeat its code: parsed once, one array for all of them
                // (the memo holds arrays the records share, so it costs only its table).
                if let known = codedLists[column][code] { return known }
                if let text = layout.codes.text(code), let strings = JSONText.parseStrings(text) {
                    codedLists[column][code] = strings
                    return strings
                }
            } else if statement.type(position) == SQLITE_TEXT,
                      let strings = statement.withBytes(position, { sharedLists[column].list($0, parse: JSONText.parseStrings(bytes:)) }) {
                return strings
            }
        }
        let text = try jsonText(column)
        if let strings = JSONText.parseStrings(text) { return strings }
        return try json([String].self, column)
    }

    func shared<Value>(columns: [Int], _ make: () throws -> Value) throws -> Value {
        guard !sharedValues.isOff else { return try make() }
        // The key: each column's number, then its code, text, or absence, tagged and with its
        // length (one memo serves every call: the columns tell the calls apart).
        valueKey.removeAll(keepingCapacity: true)
        for column in columns {
            withUnsafeBytes(of: column.littleEndian) { valueKey.append(contentsOf: $0) }
            guard let position = positions[column] else { valueKey.append(0); continue }
            if let code = layout.code(statement, position) {
                valueKey.append(1)
                withUnsafeBytes(of: code.littleEndian) { valueKey.append(contentsOf: $0) }
                continue
            }
            switch statement.type(position) {
            case SQLITE_NULL: valueKey.append(0)
            case SQLITE_TEXT:
                statement.withBytes(position) { bytes in
                    valueKey.append(2)
                    withUnsafeBytes(of: bytes.count.littleEndian) { valueKey.append(contentsOf: $0) }
                    valueKey.append(contentsOf: bytes)
                }
            default: return try make()  // a value of another type: `make` says what is wrong
            }
        }
        return try sharedValues.value(for: valueKey, make)
    }

    func json<T: Decodable>(_ type: T.Type, _ column: Int) throws -> T {
        var value: T?
        do throws(JSONTextError) {
            if let position = positions[column] { value = try layout.decodeJSON(type, in: statement, column: position) }
        } catch {
            throw invalid(column, error.reason)
        }
        guard let value else {
            throw DecodingError.valueNotFound(type, .init(codingPath: [AnyCodingKey(names[column])], debugDescription: "expected JSON, found null"))
        }
        return value
    }
}

/// A table's rows in pieces by row id, each piece read through its own connection to the file
/// (SQLite allows many readers), so that a million-row open decodes on every core.
struct SQLitePieces: ColumnPieceSource {
    let path: String
    let table: String
    /// The row id's name (`_rowid_`, `rowid` or `oid`, whichever no column took).
    let order: String
    /// Each piece's first row id; a piece ends where the next starts, the last one at the end.
    let starts: [Int]
    let columns: [(name: String, type: ColumnType)]
    let names: [String]
    let storage: [ColumnStorage]
    let coded: [Bool]
    let codes: JSONCodes

    var pieceCount: Int { starts.count }

    func rows(ofPiece index: Int) throws -> any ColumnRowSource {
        let database = try SQLiteDatabase(path: path, name: path, create: false)
        let order = SQLiteDatabase.quote(self.order)
        let last = index + 1 == starts.count
        let statement = try database.prepare("SELECT * FROM \(SQLiteDatabase.quote(table)) WHERE \(order) >= ?" + (last ? "" : " AND \(order) < ?") + " ORDER BY \(order)")
        statement.bind(.integer(starts[index]), at: 1)
        if !last { statement.bind(.integer(starts[index + 1]), at: 2) }
        let found = (0..<statement.columnCount).map { statement.columnName($0) }
        guard found == names else { throw ValleyError.badWorkspace(path: path, reason: "\(table) changed while it was read; open it again") }
        return StatementReader(statement: statement, columns: columns, layout: ReadLayout(names: names, storage: storage, coded: coded, codes: codes), path: path, table: table)
    }

    func failure(_ error: any Error, row: Int, id: String?) -> any Error {
        StatementReader.failure(error, path: path, table: table, row: row, id: id)
    }
}

/// Text values many rows of a column repeat (a park, a region), made into a `String` once and
/// then shared, as an import shares them: a million-row open held a string per row for each
/// (23 MB for the 1M registry's parks). Only values too long to be held inline in a `String`
/// (over 15 bytes) are looked up, and a column whose first 4,096 such values are mostly
/// distinct (names, credit codes) is not looked up again.
struct TextMemo {
    /// By the hash of the bytes (a collision keeps the first).
    private var entries: [Int: String] = [:]
    private var looked = 0, found = 0
    /// True once the column proved to hold mostly distinct values.
    private(set) var isOff = false

    /// The string of `bytes` (valid UTF-8 or not: `String(decoding:)`'s), shared when seen before.
    /// - Complexity: O(length of the text).
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard !isOff, bytes.count > 15 else { return String(decoding: bytes, as: UTF8.self) }
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        let hash = hasher.finalize()
        looked += 1
        if let shared = entries[hash], shared.utf8.elementsEqual(bytes) {
            found += 1
            return shared
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if entries.count < 1_024 { entries[hash] = text }
        if looked == 4_096, found * 2 < looked {
            isOff = true
            entries = [:]
        }
        return text
    }
}

/// Values records repeat, by the stored bytes they are read from: the first 1,024 distinct
/// ones, and none once half of the first 4,096 looked up were new (columns of mostly distinct
/// values cost no memo).
struct ValueMemo {
    /// By the hash of the key: the key and the value (a collision keeps the first).
    private var entries: [Int: (key: [UInt8], value: Any)] = [:]
    private var looked = 0, found = 0
    private(set) var isOff = false

    /// The value remembered for `key`, else `make()`'s (remembered).
    /// - Complexity: O(length of the key) besides `make`.
    mutating func value<Value>(for key: [UInt8], _ make: () throws -> Value) throws -> Value {
        var hasher = Hasher()
        key.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = hasher.finalize()
        looked += 1
        if let entry = entries[hash], entry.key == key, let value = entry.value as? Value {
            found += 1
            return value
        }
        let value = try make()
        if entries.count < 1_024, entries[hash] == nil { entries[hash] = (key, value) }
        if looked == 4_096, found * 2 < looked {
            isOff = true
            entries = [:]
        }
        return value
    }
}

/// Lists of strings many rows repeat (a sector, the file an import cited), parsed once and
/// then shared: a million-row open held a million arrays per list column where an import,
/// which shares them too, holds a few hundred, and a scan of one (`count --by sector`) then
/// touched a million places in memory instead of a few (40 ms against 20 ms).
struct ListMemo {
    /// By the hash of the JSON text: the text and its list (a collision keeps the first).
    private var entries: [Int: (text: [UInt8], list: [String])] = [:]

    /// The list of this JSON text, from the memo or by `parse` (remembered while the memo
    /// holds fewer than 1,024 texts); nil when `parse` finds no list of strings.
    /// - Complexity: O(length of the text) to hash it, plus `parse` when it is new.
    mutating func list(_ text: UnsafeBufferPointer<UInt8>, parse: (UnsafeBufferPointer<UInt8>) -> [String]?) -> [String]? {
        // `[]` is the empty array, shared already.
        if text.count <= 2 { return parse(text) }
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(text))
        let hash = hasher.finalize()
        if let entry = entries[hash], entry.text.count == text.count,
           entry.text.withUnsafeBufferPointer({ memcmp($0.baseAddress!, text.baseAddress!, text.count) == 0 }) {
            return entry.list
        }
        guard let list = parse(text) else { return nil }
        if entries.count < 1_024, entries[hash] == nil { entries[hash] = (Array(text), list) }
        return list
    }
}
