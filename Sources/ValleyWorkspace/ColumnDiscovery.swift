#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ValleyCore

/// Learns every column a kind stores, in declaration order with its type, including optional
/// fields no record has a value for: so a workspace's `enterprises` table always has a
/// `headcount INTEGER` column, whether or not any company reported one, and a query written
/// against one workspace runs against the next.
///
/// It decodes one real record back from its own fields through a decoder that notes every key
/// asked for; an absent optional field is offered a stand-in value to learn its type (a
/// string, a number, a list…), and a stand-in the field refuses (an enum's raw value) only
/// leaves the column untyped until a record fills it.
enum ColumnDiscovery {
    /// The columns of `R`, or nil when the record does not decode from its own fields.
    static func columns<R: Record>(of record: R) -> [(name: String, storage: ColumnStorage)]? {
        guard let fields = try? SQLiteWorkspace.jsonObject(of: record) else { return nil }
        let notes = Notes()
        guard (try? R(from: DiscoveryDecoder(fields: fields, notes: notes))) != nil else { return nil }
        return notes.columns
    }

    final class Notes {
        var columns: [(name: String, storage: ColumnStorage)] = []
        func note(_ name: String, _ storage: ColumnStorage, replacing: Bool = false) {
            if let index = columns.firstIndex(where: { $0.name == name }) {
                if columns[index].storage == .untyped || replacing { columns[index].storage = storage }
            } else {
                columns.append((name, storage))
            }
        }
    }

    /// The storage of a present value, as the row encoder would choose it.
    static func storage(of value: JSONValue) -> ColumnStorage {
        switch value {
        case .null: .untyped
        case .bool: .boolean
        case .integer: .integer
        case .number: .real
        case .string: .text
        case .array, .object: .json
        }
    }
}

/// Top level: the record's own fields, with every key asked for noted.
private struct DiscoveryDecoder: Decoder {
    let fields: [String: JSONValue]
    let notes: ColumnDiscovery.Notes
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(DiscoveryContainer<Key>(fields: fields, notes: notes))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "not a record")) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "not a record")) }
}

private struct DiscoveryContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: JSONValue]
    let notes: ColumnDiscovery.Notes
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }
    func decodeNil(forKey key: Key) throws -> Bool {
        let value = fields[key.stringValue]
        if value == nil || value == .null { notes.note(key.stringValue, .untyped) }
        return value == nil || value == .null
    }

    /// A present value, decoded as `T` (once per kind: the round trip's cost does not matter).
    private func real<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        guard let value = fields[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "absent"))
        }
        notes.note(key.stringValue, ColumnDiscovery.storage(of: value))
        return try JSONDecoder().decode(T.self, from: Data(try StreamingJSONEncoder().encode(value)))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try real(type, key) }
    // Present scalars: the type asked for decides (a Double of 2.0 is written `2` in JSON).
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(type, key, .text) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(type, key, .boolean) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(type, key, .integer) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(type, key, .real) }

    private func scalar<T: Decodable>(_ type: T.Type, _ key: Key, _ storage: ColumnStorage) throws -> T {
        let value = try real(type, key)
        notes.note(key.stringValue, storage, replacing: true)
        return value
    }

    // Absent optional fields: learn the type from a stand-in.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key, .text) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key, .boolean) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key, .integer) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key, .real) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        if fields[key.stringValue] != nil { return try real(type, key) }
        let probe = TypeProbe()
        _ = try? T(from: probe)
        notes.note(key.stringValue, probe.storage)
        return nil
    }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key, _ storage: ColumnStorage) throws -> T? {
        if fields[key.stringValue] != nil { return try scalar(type, key, storage) }
        notes.note(key.stringValue, storage)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "not supported"))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "not supported"))
    }
    func superDecoder() throws -> any Decoder { throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "not supported")) }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw DecodingError.typeMismatch(Any.self, .init(codingPath: [key], debugDescription: "not supported")) }
}

/// Offered to an absent field's type: notes whether it reads one scalar (and which) or a container.
private final class TypeProbe: Decoder, SingleValueDecodingContainer {
    var storage = ColumnStorage.untyped
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private func stop() -> DecodingError { .dataCorrupted(.init(codingPath: [], debugDescription: "probe")) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        storage = .json
        throw stop()
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        storage = .json
        throw stop()
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { storage = .boolean; throw stop() }
    func decode(_ type: String.Type) throws -> String { storage = .text; throw stop() }
    func decode(_ type: Double.Type) throws -> Double { storage = .real; throw stop() }
    func decode(_ type: Float.Type) throws -> Float { storage = .real; throw stop() }
    func decode(_ type: Int.Type) throws -> Int { storage = .integer; throw stop() }
    func decode(_ type: Int8.Type) throws -> Int8 { storage = .integer; throw stop() }
    func decode(_ type: Int16.Type) throws -> Int16 { storage = .integer; throw stop() }
    func decode(_ type: Int32.Type) throws -> Int32 { storage = .integer; throw stop() }
    func decode(_ type: Int64.Type) throws -> Int64 { storage = .integer; throw stop() }
    func decode(_ type: UInt.Type) throws -> UInt { storage = .integer; throw stop() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { storage = .integer; throw stop() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { storage = .integer; throw stop() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { storage = .integer; throw stop() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { storage = .integer; throw stop() }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}
