#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CSQLite
import ValleyCore

/// The columns of a table being read, by name, with their declared storage.
final class ReadLayout {
    let names: [String]
    let storage: [ColumnStorage]
    /// By column: true when the column holds codes into `valley_json` (its storage is `.json`).
    let coded: [Bool]
    /// The file's JSON values by code.
    let codes: JSONCodes
    private let positions: [String: Int]
    /// The column the next key most likely names.
    var cursor = 0
    /// Decoded JSON text of non-string-list columns, by column: many rows repeat the same
    /// value (no designation, the same designation), decoded once.
    private var memo: [[String: Any]]
    /// Decoded values of coded columns, by column and code: each code decoded once, however
    /// many rows give it and however long its text (a small file could otherwise give a
    /// million rows one long value, each decoded and its text hashed again).
    private var codedMemo: [[Int: Any]]
    private let jsonDecoder = JSONDecoder()

    init(names: [String], storage: [ColumnStorage], coded: [Bool], codes: JSONCodes) {
        self.names = names
        self.storage = storage
        self.coded = coded
        self.codes = codes
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
        memo = Array(repeating: [:], count: names.count)
        codedMemo = Array(repeating: [:], count: names.count)
    }

    /// The JSON text of column `column` decoded as `T`, through the memo of texts seen before
    /// (at most 256 a column). Text that is not `T`'s JSON throws `JSONTextError`.
    func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, column: Int) throws(JSONTextError) -> T {
        if let known = memo[column][text] as? T { return known }
        let value = try decode(type, text)
        if memo[column].count < 256 { memo[column][text] = value }
        return value
    }

    /// The JSON value in column `column` of the statement's current row decoded as `T`, nil
    /// when it is null: a code's value through `codedMemo`, text through `decodeJSON`.
    func decodeJSON<T: Decodable>(_ type: T.Type, in statement: SQLiteStatement, column: Int32) throws(JSONTextError) -> T? {
        if let code = code(statement, column) {
            if let known = codedMemo[Int(column)][code] as? T { return known }
            let text = try text(ofCode: code)
            let value: T
            if T.self == [String].self, let strings = JSONText.parseStrings(text) as? T {
                value = strings
            } else {
                value = try decode(type, text)
            }
            codedMemo[Int(column)][code] = value
            return value
        }
        guard let text = try jsonText(statement, column) else { return nil }
        if T.self == [String].self, let strings = JSONText.parseStrings(text) { return strings as? T }
        return try decodeJSON(type, text, column: Int(column))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws(JSONTextError) -> T {
        do {
            return try jsonDecoder.decodeChecked(T.self, from: Data(text.utf8))
        } catch {
            throw JSONTextError(reason: "JSON: \((error as? DecodingError).map(Workspace.describe) ?? String(describing: error))")
        }
    }

    /// The code in column `column` of the statement's current row, when the column holds
    /// codes and the row one (SQLite stores text that reads as a whole number in such a
    /// column, declared `INTEGER`, as that number; other text is read as JSON text).
    func code(_ statement: SQLiteStatement, _ column: Int32) -> Int? {
        guard coded[Int(column)], statement.type(column) == SQLITE_INTEGER else { return nil }
        return statement.integer(column)
    }

    /// The JSON text in column `column` (a JSON column) of the statement's current row, nil
    /// when it is null: the column's text, or the text its code names. A number in a column
    /// of JSON text is read as the JSON of that number.
    func jsonText(_ statement: SQLiteStatement, _ column: Int32) throws(JSONTextError) -> String? {
        if let code = code(statement, column) { return try text(ofCode: code) }
        switch statement.type(column) {
        case SQLITE_NULL: return nil
        case SQLITE_TEXT: return statement.text(column)
        default: return describe(statement.column(column))
        }
    }

    /// The JSON text of `code`.
    func text(ofCode code: Int) throws(JSONTextError) -> String {
        guard let text = codes.text(code) else { throw JSONTextError(reason: "\(code) is not a code in valley_json") }
        return text
    }

    /// The column of `key`, if the table has one.
    /// - Complexity: O(1): a comparison when keys come in the written order, else a hash lookup.
    func column(_ key: String) -> Int32? {
        if cursor < names.count, names[cursor] == key {
            cursor += 1
            return Int32(cursor - 1)
        }
        guard let position = positions[key] else { return nil }
        cursor = position + 1
        return Int32(position)
    }
}

/// Why a column's JSON text did not decode.
struct JSONTextError: Error {
    let reason: String
}

/// Decodes one record from the current row of a statement: each key a column.
struct RowDecoder: Decoder {
    let statement: SQLiteStatement
    let layout: ReadLayout
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        layout.cursor = 0
        return KeyedDecodingContainer(RowKeyedDecoding<Key>(statement: statement, layout: layout))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is a record, not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is a record, not one value"))
    }
}

struct RowKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let statement: SQLiteStatement
    let layout: ReadLayout
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        layout.names.indices.compactMap { index in
            statement.type(Int32(index)) == SQLITE_NULL ? nil : Key(stringValue: layout.names[index])
        }
    }

    func contains(_ key: Key) -> Bool {
        guard let column = layout.column(key.stringValue) else { return false }
        return statement.type(column) != SQLITE_NULL
    }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    /// The column of a key that must have a value.
    private func present(_ key: Key, _ type: Any.Type) throws -> Int32 {
        guard let column = layout.column(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no column '\(key.stringValue)'"))
        }
        guard statement.type(column) != SQLITE_NULL else {
            throw DecodingError.valueNotFound(type, .init(codingPath: [key], debugDescription: "'\(key.stringValue)' is null"))
        }
        return column
    }

    private func mismatch(_ type: Any.Type, _ key: Key, _ column: Int32, expected: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [key], debugDescription: "expected \(expected), found \(describe(statement.column(column)))"))
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let column = try present(key, type)
        if layout.storage[Int(column)] == .json { return try fromJSON(type, column, key) }
        guard statement.type(column) == SQLITE_TEXT else { throw mismatch(type, key, column, expected: "text") }
        return statement.text(column)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let column = try present(key, type)
        if layout.storage[Int(column)] == .json { return try fromJSON(type, column, key) }
        guard statement.type(column) == SQLITE_INTEGER else {
            throw mismatch(type, key, column, expected: "0 or 1")
        }
        switch statement.integer(column) {
        case 0: return false
        case 1: return true
        default: throw mismatch(type, key, column, expected: "0 or 1")
        }
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        let column = try present(key, type)
        if layout.storage[Int(column)] == .json { return try fromJSON(type, column, key) }
        switch statement.type(column) {
        case SQLITE_INTEGER: return statement.integer(column)
        case SQLITE_FLOAT:
            if let exact = Int(exactly: statement.real(column)) { return exact }
        default: break
        }
        throw mismatch(type, key, column, expected: "a whole number")
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        let column = try present(key, type)
        if layout.storage[Int(column)] == .json { return try fromJSON(type, column, key) }
        switch statement.type(column) {
        case SQLITE_FLOAT: return statement.real(column)
        case SQLITE_INTEGER: return Double(statement.integer(column))
        default: throw mismatch(type, key, column, expected: "a number")
        }
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decode(Double.self, forKey: key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try narrow(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try narrow(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try narrow(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try narrow(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try narrow(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try narrow(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try narrow(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try narrow(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try narrow(key) }

    private func narrow<T: FixedWidthInteger>(_ key: Key) throws -> T {
        let value = try decode(Int.self, forKey: key)
        guard let narrowed = T(exactly: value) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "\(value) does not fit \(T.self)"))
        }
        return narrowed
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let column = try present(key, type)
        if layout.storage[Int(column)] == .json { return try fromJSON(type, column, key) }
        if T.self == String.self { return try decode(String.self, forKey: key) as! T }
        return try T(from: ColumnDecoder(value: statement.column(column), key: key))
    }

    /// A value from a JSON column (a list, a nested value, or a scalar whose column held
    /// values of more than one type).
    private func fromJSON<T: Decodable>(_ type: T.Type, _ column: Int32, _ key: Key) throws -> T {
        do {
            guard let value = try layout.decodeJSON(type, in: statement, column: column) else {
                throw DecodingError.valueNotFound(type, .init(codingPath: [key], debugDescription: "'\(key.stringValue)' is null"))
            }
            return value
        } catch let error as JSONTextError {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: error.reason))
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "nested containers are read from JSON columns only"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "nested containers are read from JSON columns only"))
    }

    func superDecoder() throws -> any Decoder {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "super decoders are not supported in a row"))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ColumnDecoder(value: layout.column(key.stringValue).map { statement.column($0) } ?? .null, key: key)
    }
}

/// A stored value as a message shows it.
func describe(_ value: SQLValue) -> String {
    switch value {
    case .null: "null"
    case let .integer(number): String(number)
    case let .real(number): String(number)
    case let .text(text): "'\(ValleyError.clip(text))'"
    }
}

/// Decodes a value stored in one scalar column (a date as text, an enum as its raw value).
struct ColumnDecoder: Decoder, SingleValueDecodingContainer {
    let value: SQLValue
    let key: any CodingKey
    var codingPath: [any CodingKey] { [key] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "expected a JSON object, found \(describe(value))"))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "expected a JSON list, found \(describe(value))"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    private func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [key], debugDescription: "expected \(expected), found \(describe(value))"))
    }

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool {
        switch value {
        case .integer(0): return false
        case .integer(1): return true
        default: throw mismatch(type, "0 or 1")
        }
    }
    func decode(_ type: String.Type) throws -> String {
        guard case let .text(text) = value else { throw mismatch(type, "text") }
        return text
    }
    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case let .real(number): return number
        case let .integer(number): return Double(number)
        default: throw mismatch(type, "a number")
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int {
        switch value {
        case let .integer(number): return number
        case let .real(number): if let exact = Int(exactly: number) { return exact }
        default: break
        }
        throw mismatch(type, "a whole number")
    }
    func decode(_ type: Int8.Type) throws -> Int8 { try narrow() }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow() }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow() }
    func decode(_ type: Int64.Type) throws -> Int64 { try narrow() }
    func decode(_ type: UInt.Type) throws -> UInt { try narrow() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow() }
    private func narrow<T: FixedWidthInteger>() throws -> T {
        let number = try decode(Int.self)
        guard let narrowed = T(exactly: number) else { throw mismatch(T.self, "a number that fits \(T.self)") }
        return narrowed
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}
