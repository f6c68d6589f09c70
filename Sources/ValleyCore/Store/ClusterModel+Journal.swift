#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The recovery journal's view of the model (issue 12): a change set written as slot-level
// operations, and the model written slot for slot (empty slots included), so that replaying
// the journal over its base puts every record back in the same slot. Slots matter: an undo
// later in the journal names the slot it refills, and the saved order follows the slots.
//
// An operation carries the records as they are after the command (not the command line: an
// imported file may have changed since). It is SPI: only the shell writes and replays it.

/// One line's worth of slot-level operations, decoded and ready to apply.
@_spi(Shell) public struct SlotOperations: Decodable, Sendable {
    let operations: [SlotOperation]

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var operations: [SlotOperation] = []
        while !container.isAtEnd { operations.append(try container.decode(SlotOperation.self)) }
        self.operations = operations
    }
}

/// One operation on one table: append slots, cut the table back to a length, or set one slot.
struct SlotOperation: Decodable, Sendable {
    enum Action: Sendable { case append(at: Int), truncate(to: Int), set(slot: Int) }

    let kind: String
    let action: Action
    /// `[R?]` of the kind's record type (empty for `truncate`).
    let slots: any Sendable

    enum Key: String, CodingKey { case k, append, truncate, set, slots, record }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        kind = try container.decode(String.self, forKey: .k)
        guard let table = (decoder.userInfo[SlotReading.key] as? SlotReading)?.tables[kind] else {
            throw ValleyError.refused("the journal has records of '\(kind)', which no plugin here declares")
        }
        if let start = try container.decodeIfPresent(Int.self, forKey: .append) {
            action = .append(at: start)
            slots = try table.decodeSlots(from: container.superDecoder(forKey: .slots), single: false)
        } else if let length = try container.decodeIfPresent(Int.self, forKey: .truncate) {
            action = .truncate(to: length)
            slots = [Int]()
        } else {
            action = .set(slot: try container.decode(Int.self, forKey: .set))
            slots = try table.decodeSlots(from: container.superDecoder(forKey: .record), single: true)
        }
    }
}

/// What decoding slot operations and snapshots needs: an empty table of each kind.
struct SlotReading: Sendable {
    static let key = CodingUserInfoKey(rawValue: "valley.journal.reading")!
    let tables: [String: any SlotTable]
}

/// A table read and written slot for slot (internal: the journal's generic half).
protocol SlotTable: AnyRecordTable {
    /// The number of slots, empty ones included.
    var slotCount: Int { get }
    /// JSON of the slots in `range` (`null` for an empty slot).
    func encodeSlots(_ range: Range<Int>, with encoder: StreamingJSONEncoder) throws -> Data
    /// JSON of one slot: the record or `null`.
    func encodeSlot(_ slot: Int, with encoder: StreamingJSONEncoder) throws -> Data
    /// Decodes `[R?]` (or one `R?` when `single`) for this table's record type.
    func decodeSlots(from decoder: any Decoder, single: Bool) throws -> any Sendable
    /// Applies one operation; false when it does not fit the table (the journal and its base differ).
    mutating func apply(_ action: SlotOperation.Action, slots: any Sendable) -> Bool
    /// The empty slots, ascending.
    var emptySlots: [Int] { get }
    /// Inserts empty slots so that they end up at these positions (ascending).
    mutating func insertEmptySlots(at positions: [Int]) -> Bool
}

extension RecordTable: SlotTable {

    /// Slots past the table's end are written as empty: a later operation of the same change
    /// set took them off again (an import that added its source and dropped it, undone).
    func encodeSlots(_ range: Range<Int>, with encoder: StreamingJSONEncoder) throws -> Data {
        let present = range.clamped(to: rows.startIndex..<rows.endIndex)
        return Data(try encoder.encode(Array(rows[present]) + Array(repeating: nil, count: range.count - present.count)))
    }

    func encodeSlot(_ slot: Int, with encoder: StreamingJSONEncoder) throws -> Data {
        Data(try encoder.encode(slot < rows.count ? rows[slot] : nil))
    }

    func decodeSlots(from decoder: any Decoder, single: Bool) throws -> any Sendable {
        if single { return [try R?(from: decoder)] }
        return try [R?](from: decoder)
    }

    mutating func apply(_ action: SlotOperation.Action, slots: any Sendable) -> Bool {
        guard let slots = slots as? [R?] else { return false }
        switch action {
        case let .append(start):
            guard start == rows.count else { return false }
            // A key already in the table, or twice in the slots, does not fit: nothing is kept.
            let length = rows.count
            guard append(slots: slots) else {
                _ = removeLast(rows.count - length)
                return false
            }
        case let .truncate(length):
            guard length <= rows.count else { return false }
            _ = removeLast(rows.count - length)
        case let .set(slot):
            guard slot < rows.count, let record = slots.first else { return false }
            if let old = rows[slot] { unindexKey(old.id, slot: slot) }
            if let record, indexKey(record.id, slot: slot) != nil {
                if let old = rows[slot] { _ = indexKey(old.id, slot: slot) }  // as it was
                return false
            }
            rows[slot] = record
            indexNames(slot: slot)
        }
        return true
    }

    var emptySlots: [Int] {
        if rows.count == keys.count { return [] }  // no slot is empty: O(1) (every save asks)
        return rows.withUnsafeBufferPointer { buffer in
            buffer.indices.filter { if case .none = buffer[$0] { true } else { false } }
        }
    }

    mutating func insertEmptySlots(at positions: [Int]) -> Bool {
        guard !positions.isEmpty else { return true }
        guard positions.last! < rows.count + positions.count else { return false }
        var slots: [R?] = []
        slots.reserveCapacity(rows.count + positions.count)
        var records = rows.makeIterator()
        var pending = positions[...]
        while slots.count < rows.count + positions.count {
            if pending.first == slots.count {
                pending.removeFirst()
                slots.append(nil)
            } else {
                slots.append(records.next()!)
            }
        }
        rows = slots
        nameSearch = nil
        keys.removeAll()
        for (slot, record) in rows.enumerated() { if let record { _ = indexKey(record.id, slot: slot) } }
        return true
    }
}

/// A change that can be written as slot operations (every change except a whole-model replacement).
protocol SlotJournaled {
    /// The operation as JSON, reading the records it leaves from `model` (after the command).
    func slotOperation(in model: ClusterModel, encoder: StreamingJSONEncoder) throws -> Data
}

extension TableChange: SlotJournaled {
    func slotOperation(in model: ClusterModel, encoder: StreamingJSONEncoder) throws -> Data {
        let table = model[R.self]
        let kind = Data(try encoder.encode(R.kind.name))
        func object(_ parts: [String], _ payload: Data?) -> Data {
            var data = Data("{\"k\":".utf8) + kind
            for part in parts { data += Data(part.utf8) }
            if let payload { data += payload }
            return data + Data("}".utf8)
        }
        switch operation {
        case let .appended(start, count):
            return object([",\"append\":\(start),\"slots\":"], try table.encodeSlots(start..<start + count, with: encoder))
        case let .unappended(start, _):
            return object([",\"truncate\":\(start)"], nil)
        case let .replaced(slot, _), let .vacated(slot, _), let .restored(slot):
            return object([",\"set\":\(slot),\"record\":"], try table.encodeSlot(slot, with: encoder))
        }
    }
}

extension ClusterModel {
    /// The JSON array of slot operations that redoes `set` on a copy of the model as it was
    /// before; nil when the set replaced the whole model (the caller writes a new base).
    /// Call it right after the changes, on the model they left.
    /// - Complexity: O(records the changes touched), plus their encoding.
    @_spi(Shell) public func journalOperations(for set: ChangeSet) throws -> Data? {
        let encoder = StreamingJSONEncoder()
        var data = Data("[".utf8)
        for (index, change) in set.changes.enumerated() {
            guard let change = change as? any SlotJournaled else { return nil }
            if index > 0 { data += Data(",".utf8) }
            data += try change.slotOperation(in: self, encoder: encoder)
        }
        return data + Data("]".utf8)
    }

    /// Decodes the operations of one journal line (`{"command": …, "operations": [ … ]}`) for
    /// the kinds of this model, straight from the line's bytes (no intermediate JSON value,
    /// which would turn -0.0 into 0).
    @_spi(Shell) public func decodeJournalLine(_ data: Data) throws -> SlotOperations {
        let decoder = JSONDecoder()
        decoder.userInfo[SlotReading.key] = slotReading
        return try decoder.decodeChecked(JournalLine.self, from: data).operations
    }

    /// Applies decoded operations (not journaled: this rebuilds a state, it is nobody's undo).
    /// - Throws: `ValleyError.refused` when an operation does not fit (the journal and its base differ).
    /// - Complexity: O(records in the operations)
    @_spi(Shell) public mutating func apply(_ operations: SlotOperations) throws {
        for operation in operations.operations {
            guard var table = tables.removeValue(forKey: operation.kind) as? any SlotTable else {
                throw ValleyError.refused("the journal has records of '\(operation.kind)', which no plugin here declares")
            }
            let fits = table.apply(operation.action, slots: operation.slots)
            tables[operation.kind] = table
            guard fits else { throw ValleyError.refused("the journal does not fit its base at '\(operation.kind)' (was the base changed?)") }
        }
    }

    var slotReading: SlotReading {
        SlotReading(tables: tables.compactMapValues { ($0.kind.makeTable() as? any SlotTable) })
    }

    // MARK: Empty slots

    /// The empty slots of each table that has any (what a saved workspace drops).
    /// - Complexity: O(model)
    @_spi(Shell) public var emptySlots: [String: [Int]] {
        tables.compactMapValues { ($0 as? any SlotTable)?.emptySlots }.filter { !$0.value.isEmpty }
    }

    /// Puts empty slots back where `emptySlots` said they were (after loading a saved workspace).
    /// - Complexity: O(model)
    @_spi(Shell) public mutating func insertEmptySlots(_ positions: [String: [Int]]) throws {
        for (name, slots) in positions {
            guard var table = tables.removeValue(forKey: name) as? any SlotTable else {
                throw ValleyError.refused("the journal has empty slots of '\(name)', which no plugin here declares")
            }
            let fits = table.insertEmptySlots(at: slots.sorted())
            tables[name] = table
            guard fits else { throw ValleyError.refused("the journal does not fit its base at '\(name)'") }
        }
    }

    // MARK: Snapshots

    /// The whole model slot for slot: `{"tables": {kind: [record|null, …]}, "kept": {…}}`.
    /// - Complexity: O(model)
    @_spi(Shell) public func slotSnapshot() throws -> Data {
        let encoder = StreamingJSONEncoder()
        var data = Data("{\"tables\":{".utf8)
        var first = true
        for name in kindNames {
            guard let table = tables[name] as? any SlotTable, table.slotCount > 0 else { continue }
            if !first { data += Data(",".utf8) }
            first = false
            data += Data(try encoder.encode(name)) + Data(":".utf8) + (try table.encodeSlots(0..<table.slotCount, with: encoder))
        }
        data += Data("},\"kept\":".utf8) + Data(try encoder.encode(keptSections)) + Data("}".utf8)
        return data
    }

    /// A model with `kinds` rebuilt from `slotSnapshot()` bytes.
    @_spi(Shell) public static func fromSlotSnapshot(_ data: Data, kinds: [any AnyRecordKind]) throws -> ClusterModel {
        try fromSlotSnapshot(kinds: kinds) { try $0.decodeChecked(SlotSnapshot.self, from: data) }
    }

    /// The model of a journal header whose base is a snapshot (`{"base": {"snapshot": …}, …}`);
    /// nil when the base is a file.
    @_spi(Shell) public static func fromJournalHeader(_ data: Data, kinds: [any AnyRecordKind]) throws -> ClusterModel? {
        var found = true
        let model = try fromSlotSnapshot(kinds: kinds) { decoder in
            guard let snapshot = try decoder.decodeChecked(JournalHeader.self, from: data).base.snapshot else {
                found = false
                return SlotSnapshot(tables: [:], kept: [:])
            }
            return snapshot
        }
        return found ? model : nil
    }

    private static func fromSlotSnapshot(kinds: [any AnyRecordKind], _ read: (JSONDecoder) throws -> SlotSnapshot) throws -> ClusterModel {
        var model = ClusterModel(kinds: kinds)
        let decoder = JSONDecoder()
        decoder.userInfo[SlotReading.key] = model.slotReading
        let snapshot = try read(decoder)
        for (name, slots) in snapshot.tables {
            guard var table = model.tables.removeValue(forKey: name) as? any SlotTable else { continue }
            guard table.apply(.append(at: 0), slots: slots) else {
                throw ValleyError.refused("the journal's base has two records of '\(name)' with one id")
            }
            model.tables[name] = table
        }
        model.keptSections = snapshot.kept
        return model
    }
}

/// A journal line's operations.
struct JournalLine: Decodable {
    var operations: SlotOperations
}

/// The part of a journal header that holds a snapshot base.
struct JournalHeader: Decodable {
    struct Base: Decodable { var snapshot: SlotSnapshot? }
    var base: Base
}

/// The decoded form of `slotSnapshot()`.
struct SlotSnapshot: Decodable {
    var tables: [String: any Sendable] = [:]
    var kept: [String: KeptSection]

    enum Key: String, CodingKey { case tables, kept }

    init(tables: [String: any Sendable], kept: [String: KeptSection]) {
        self.tables = tables
        self.kept = kept
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        kept = try container.decode([String: KeptSection].self, forKey: .kept)
        let reading = decoder.userInfo[SlotReading.key] as? SlotReading
        let byKind = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .tables)
        for key in byKind.allKeys {
            guard let table = reading?.tables[key.stringValue] else {
                throw ValleyError.refused("the journal has records of '\(key.stringValue)', which no plugin here declares")
            }
            tables[key.stringValue] = try table.decodeSlots(from: byKind.superDecoder(forKey: key), single: false)
        }
    }
}
