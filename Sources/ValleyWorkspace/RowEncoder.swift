#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ValleyCore

/// How a column stores its values: its declared SQL type.
///
/// Scalars get typed columns; a list or a nested value is JSON, stored once in `valley_json`
/// and named in the row by its code (`JSONCodes.swift`): the column is declared
/// `INTEGER REFERENCES valley_json(id)`. Files of layout version 1 declared such columns
/// `JSON` and held the text itself. `BOOLEAN` holds 0 and 1. The declared type is what the
/// reader goes by, so a kind no plugin here declares still reads back as it was written.
enum ColumnStorage: String {
    case text = "TEXT", integer = "INTEGER", real = "REAL", boolean = "BOOLEAN", json = "JSON", untyped = ""

    /// The storage a declared type names (anything else: untyped).
    init(declared: String) { self = ColumnStorage(rawValue: declared.uppercased()) ?? .untyped }

    /// The column's definition after its name in `CREATE TABLE`.
    var declaration: String { self == .json ? "INTEGER REFERENCES valley_json(id)" : rawValue }
}

/// The columns of one kind's table, found in the order the records' keys first appear, and
/// the row being encoded.
final class TableLayout {
    private(set) var names: [String] = []
    private(set) var storage: [ColumnStorage] = []
    private var positions: [String: Int] = [:]
    /// The current row, one value per column.
    var values: [SQLValue] = []
    /// The column the next key most likely names (records encode their keys in one order).
    private var cursor = 0
    /// Storage a column must have from the start, learned by an earlier attempt at the table
    /// (a value that did not fit the column's type: the table is written again with it known).
    var presets: [String: ColumnStorage] = [:]
    /// Set when a value needs a column's declared type to change after rows were written.
    var restartNeeded = false
    /// Set by a record whose top level is not a keyed container (its row is made another way).
    var unsupported = false
    /// How many columns the table has been created with (the sink sets it): a column among
    /// them can no longer change its declared type without writing the table again.
    var createdCount = 0

    /// A layout that starts with `columns` (from `ColumnDiscovery`; else just `id`, which every
    /// record has), in that order.
    init(columns: [(name: String, storage: ColumnStorage)] = [("id", .text)], presets: [String: ColumnStorage] = [:]) {
        self.presets = presets
        for column in columns where positions[column.name] == nil {
            names.append(column.name)
            storage.append(presets[column.name] ?? column.storage)
            positions[column.name] = names.count - 1
            values.append(.null)
        }
    }

    /// The column of `key`, added (with `storage`) when new.
    /// - Complexity: O(1): a comparison when keys come in the usual order, else a hash lookup.
    func column(_ key: String, storage proposed: ColumnStorage) -> Int {
        if cursor < names.count, names[cursor] == key {
            cursor += 1
            return cursor - 1
        }
        if let position = positions[key] {
            cursor = position + 1
            return position
        }
        names.append(key)
        storage.append(presets[key] ?? proposed)
        positions[key] = names.count - 1
        values.append(.null)
        cursor = names.count
        return names.count - 1
    }

    /// Starts a row: every column null.
    func startRow() {
        for index in values.indices { values[index] = .null }
        cursor = 0
        unsupported = false
    }

    /// Makes `column` hold `kind` from the start of the table on the next attempt.
    private func restart(_ column: Int, as kind: ColumnStorage) {
        presets[names[column]] = kind
        restartNeeded = true
    }

    /// Stores a value of type `proposed`, keeping each column to one type: a column first
    /// seen empty takes the type of its first value; a value of another type than its
    /// column's (text in an integer column: SQLite would convert it) makes the column JSON,
    /// which holds any value exactly; a JSON column stores the value's JSON text.
    func set(_ value: SQLValue, storage proposed: ColumnStorage, forKey key: String, json: () throws -> String) rethrows {
        let column = column(key, storage: proposed)
        switch storage[column] {
        case .json:
            values[column] = .text(try json())
        case proposed:
            values[column] = value
        case .untyped:
            storage[column] = proposed
            if column < createdCount { restart(column, as: proposed) }
            values[column] = value
        default:
            restart(column, as: .json)
        }
    }

    /// Stores JSON text (a list or a nested value).
    func setJSON(_ text: String, forKey key: String) {
        let column = column(key, storage: .json)
        switch storage[column] {
        case .json: break
        case .untyped:
            storage[column] = .json
            if column < createdCount { restart(column, as: .json) }
        default:
            restart(column, as: .json)
        }
        values[column] = .text(text)
    }
}

/// Encodes one record as a row of `TableLayout`: each top-level key a column.
struct RowEncoder: Encoder {
    let layout: TableLayout
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowKeyedContainer<Key>(layout: layout))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        layout.unsupported = true
        return DiscardingUnkeyedContainer()
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        layout.unsupported = true
        return ScalarProbeContainer(probe: ScalarProbe())
    }
}

/// The top-level keyed container: scalars bound as typed values, anything else as JSON text.
struct RowKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let layout: TableLayout
    var codingPath: [any CodingKey] { [] }

    func encodeNil(forKey key: Key) throws { _ = layout.column(key.stringValue, storage: .untyped) }
    func encode(_ value: Bool, forKey key: Key) throws {
        layout.set(.integer(value ? 1 : 0), storage: .boolean, forKey: key.stringValue) { value ? "true" : "false" }
    }
    func encode(_ value: String, forKey key: Key) throws {
        layout.set(.text(value), storage: .text, forKey: key.stringValue) { JSONText.string(value) }
    }
    func encode(_ value: Double, forKey key: Key) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [key], debugDescription: "a number that is not finite cannot be stored"))
        }
        try layout.set(.real(value), storage: .real, forKey: key.stringValue) { try JSONText.encode(value) }
    }
    func encode(_ value: Float, forKey key: Key) throws { try encode(Double(value), forKey: key) }
    func encode(_ value: Int, forKey key: Key) throws { layout.set(.integer(value), storage: .integer, forKey: key.stringValue) { String(value) } }
    func encode(_ value: Int8, forKey key: Key) throws { try encode(Int(value), forKey: key) }
    func encode(_ value: Int16, forKey key: Key) throws { try encode(Int(value), forKey: key) }
    func encode(_ value: Int32, forKey key: Key) throws { try encode(Int(value), forKey: key) }
    func encode(_ value: Int64, forKey key: Key) throws { try encode(Int(value), forKey: key) }
    func encode(_ value: UInt, forKey key: Key) throws { try encodeUnsigned(UInt64(value), forKey: key) }
    func encode(_ value: UInt8, forKey key: Key) throws { try encode(Int(value), forKey: key) }
    func encode(_ value: UInt16, forKey key: Key) throws { try encode(Int(value), forKey: key) }
    func encode(_ value: UInt32, forKey key: Key) throws { try encode(Int(value), forKey: key) }
    func encode(_ value: UInt64, forKey key: Key) throws { try encodeUnsigned(value, forKey: key) }

    /// SQLite integers are signed 64-bit: a larger unsigned value is refused, not wrapped.
    private func encodeUnsigned(_ value: UInt64, forKey key: Key) throws {
        guard let signed = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: [key], debugDescription: "an unsigned number above 2^63-1 cannot be stored"))
        }
        try encode(signed, forKey: key)
    }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        // Lists of strings (aliases, sectors, sources) are most lists: written without a probe.
        if let strings = value as? [String] {
            return layout.setJSON(JSONText.array(strings), forKey: key.stringValue)
        }
        let probe = ScalarProbe()
        try value.encode(to: probe)
        switch probe.result {
        case .none:
            _ = layout.column(key.stringValue, storage: .untyped)
        case let .scalar(scalar, storage):
            try layout.set(scalar, storage: storage, forKey: key.stringValue) { try JSONText.encode(value) }
        case .empty(let isObject):
            layout.setJSON(isObject ? "{}" : "[]", forKey: key.stringValue)
        case .structured:
            layout.setJSON(try JSONText.encode(value), forKey: key.stringValue)
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        layout.unsupported = true
        return KeyedEncodingContainer(DiscardingKeyedContainer<NestedKey>())
    }
    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        layout.unsupported = true
        return DiscardingUnkeyedContainer()
    }
    func superEncoder() -> any Encoder {
        layout.unsupported = true
        return ScalarProbe()
    }
    func superEncoder(forKey key: Key) -> any Encoder {
        layout.unsupported = true
        return ScalarProbe()
    }
}

// MARK: - Probing a value: scalar or structured

/// Finds out whether a value encodes as one scalar (a date as text, an enum as its raw value)
/// or as a container, without writing it: a container's elements are not visited.
final class ScalarProbe: Encoder {
    enum Result {
        case none
        case scalar(SQLValue, ColumnStorage)
        /// An empty list (`[]`) or an empty object (`{}`).
        case empty(isObject: Bool)
        case structured
    }

    var result = Result.none
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        result = .empty(isObject: true)
        return KeyedEncodingContainer(DiscardingKeyedContainer<Key>(probe: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        result = .empty(isObject: false)
        return DiscardingUnkeyedContainer(probe: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { ScalarProbeContainer(probe: self) }
}

/// The probe's single-value container: records the scalar.
struct ScalarProbeContainer: SingleValueEncodingContainer {
    let probe: ScalarProbe
    var codingPath: [any CodingKey] { [] }

    func encodeNil() throws { probe.result = .scalar(.null, .untyped) }
    func encode(_ value: Bool) throws { probe.result = .scalar(.integer(value ? 1 : 0), .boolean) }
    func encode(_ value: String) throws { probe.result = .scalar(.text(value), .text) }
    func encode(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "a number that is not finite cannot be stored"))
        }
        probe.result = .scalar(.real(value), .real)
    }
    func encode(_ value: Float) throws { try encode(Double(value)) }
    func encode(_ value: Int) throws { probe.result = .scalar(.integer(value), .integer) }
    func encode(_ value: Int8) throws { try encode(Int(value)) }
    func encode(_ value: Int16) throws { try encode(Int(value)) }
    func encode(_ value: Int32) throws { try encode(Int(value)) }
    func encode(_ value: Int64) throws { try encode(Int(value)) }
    func encode(_ value: UInt) throws { try encode(UInt64(value)) }
    func encode(_ value: UInt8) throws { try encode(Int(value)) }
    func encode(_ value: UInt16) throws { try encode(Int(value)) }
    func encode(_ value: UInt32) throws { try encode(Int(value)) }
    func encode(_ value: UInt64) throws {
        guard let signed = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "an unsigned number above 2^63-1 cannot be stored"))
        }
        try encode(signed)
    }
    /// A value that wraps another (`RawRepresentable` with a struct raw value…): probe that one.
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: probe) }
}

/// A keyed container that notes its first element (the value is structured) and drops it.
struct DiscardingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var probe: ScalarProbe?
    var codingPath: [any CodingKey] { [] }
    init(probe: ScalarProbe? = nil) { self.probe = probe }
    private func note() { probe?.result = .structured }
    func encodeNil(forKey key: Key) throws { note() }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { note() }
    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        note()
        return KeyedEncodingContainer(DiscardingKeyedContainer<NestedKey>())
    }
    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        note()
        return DiscardingUnkeyedContainer()
    }
    func superEncoder() -> any Encoder { note(); return ScalarProbe() }
    func superEncoder(forKey key: Key) -> any Encoder { note(); return ScalarProbe() }
}

/// An unkeyed container that notes its first element and drops it.
struct DiscardingUnkeyedContainer: UnkeyedEncodingContainer {
    var probe: ScalarProbe?
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }
    init(probe: ScalarProbe? = nil) { self.probe = probe }
    private func note() { probe?.result = .structured }
    func encodeNil() throws { note() }
    func encode<T: Encodable>(_ value: T) throws { note() }
    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        note()
        return KeyedEncodingContainer(DiscardingKeyedContainer<NestedKey>())
    }
    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        note()
        return DiscardingUnkeyedContainer()
    }
    func superEncoder() -> any Encoder { note(); return ScalarProbe() }
}
