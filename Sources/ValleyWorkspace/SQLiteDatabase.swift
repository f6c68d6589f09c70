#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CSQLite
import ValleyCore

/// A connection to one SQLite database file, closed when the value is released.
///
/// Only what the workspace needs: statements prepared once and stepped many times, typed
/// binds and columns. Errors carry SQLite's message and the file's name.
final class SQLiteDatabase {
    let handle: OpaquePointer
    /// The file's name in messages (the user's path, not the temporary one).
    let name: String

    /// Configures the library once, before the first connection (memory statistics off: a
    /// global mutex on every allocation, 3 % of a million-row save).
    private static let configured: Bool = valley_sqlite_disable_memory_statistics() == SQLITE_OK

    /// Opens (or, with `create`, creates) the database at `path`.
    init(path: String, name: String, create: Bool) throws {
        _ = Self.configured
        var handle: OpaquePointer?
        let flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY
        let status = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw ValleyError.file(path: name, reason: "cannot be opened as a database: \(message)")
        }
        self.handle = handle
        self.name = name
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs SQL with no results (several statements allowed).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_free(message)
            throw error(text)
        }
    }

    /// Prepares one statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error(String(cString: sqlite3_errmsg(handle)))
        }
        return SQLiteStatement(handle: statement, database: self)
    }

    /// The error for a failed call, naming the file.
    func error(_ message: String) -> ValleyError {
        .file(path: name, reason: "database error: \(message)")
    }

    /// Quotes an identifier for SQL (`"name"`, inner quotes doubled).
    static func quote(_ identifier: String) -> String {
        "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

/// A prepared statement of a `SQLiteDatabase`, finalized when released.
final class SQLiteStatement {
    let handle: OpaquePointer
    let database: SQLiteDatabase

    init(handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// The first bind that failed since the last run (a text over SQLite's 1 GB limit): `run`
    /// reports it rather than insert a row with the previous row's value in its place.
    private var bindFailure: Int32 = SQLITE_OK

    /// Binds a value to parameter `index` (from 1).
    func bind(_ value: SQLValue, at index: Int32) {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(handle, index)
        case let .integer(number): status = sqlite3_bind_int64(handle, index, Int64(number))
        case let .real(number): status = sqlite3_bind_double(handle, index, number)
        case let .text(text):
            var text = text
            status = text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    sqlite3_bind_text64(handle, index, chars.baseAddress, sqlite3_uint64(chars.count), valley_sqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }
        }
        if status != SQLITE_OK, bindFailure == SQLITE_OK { bindFailure = status }
    }

    /// Binds text SQLite does not copy: `bytes` must stay valid until the statement is run.
    func bindStatic(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        // `text64`: a length past Int32 (a JSON value of 2 GB) is refused by SQLite as too
        // big, reported by `run`, rather than trapping here.
        let status = sqlite3_bind_text64(handle, index, bytes.baseAddress?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer(bitPattern: 1),
                                         sqlite3_uint64(bytes.count), nil, UInt8(SQLITE_UTF8))
        if status != SQLITE_OK, bindFailure == SQLITE_OK { bindFailure = status }
    }

    /// Runs the statement to its end (an INSERT, a CREATE) and resets it for the next binds.
    func run() throws {
        if bindFailure != SQLITE_OK {
            let failure = bindFailure
            bindFailure = SQLITE_OK
            sqlite3_reset(handle)
            throw database.error("a value could not be stored: \(String(cString: sqlite3_errstr(failure)))")
        }
        let status = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard status == SQLITE_DONE || status == SQLITE_ROW else {
            throw database.error(String(cString: sqlite3_errmsg(database.handle)))
        }
    }

    /// Steps to the next row: true when there is one.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(String(cString: sqlite3_errmsg(database.handle)))
        }
    }

    /// The number of columns of a row.
    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The value of column `index` (from 0) of the current row.
    func column(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(Int(sqlite3_column_int64(handle, index)))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_NULL: return .null
        default: return .text(text(index))
        }
    }

    /// Column `index` as text (a number is converted by SQLite).
    func text(_ index: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of column `index` (valid until the next step), without
    /// making a `String` of them.
    func withBytes<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let bytes = sqlite3_column_text(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeBufferPointer(start: bytes, count: bytes == nil ? 0 : count))
    }

    /// The storage class of column `index` now: `SQLITE_INTEGER`, `SQLITE_TEXT`, …
    func type(_ index: Int32) -> Int32 { sqlite3_column_type(handle, index) }

    /// Column `index` as a 64-bit integer.
    func integer(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }

    /// Column `index` as a double.
    func real(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// The name of column `index` of the result.
    func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }
}

/// One value as SQLite stores it.
enum SQLValue: Equatable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
}
