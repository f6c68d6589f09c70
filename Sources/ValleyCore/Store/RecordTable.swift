#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The records of one kind, in insertion order, with an index from key to slot.
///
/// Rows live in slots; a removed record leaves an empty slot (a tombstone) so that undo puts
/// it back exactly where it was and the order of a saved workspace survives remove/undo.
/// Reading is public; changes go through `ClusterModel` so that they are validated and
/// journaled.
///
/// The reading and appending paths are `@inlinable` so that a plugin's loops over a table are
/// specialised for its record type: unspecialised, each call looked up generic metadata (8 % of
/// a 1M-row import).
public struct RecordTable<R: Record>: Sendable {
    @usableFromInline var rows: [R?] = []
    /// From key to slot (see `KeyIndex`: the keys are read from the records).
    @usableFromInline var keys = KeyIndex()
    /// The names of the records, searchable (nil until first used: see `prepareNameSearch`).
    @usableFromInline var nameSearch: NameSearchIndex?

    /// An empty table.
    @inlinable public init() {}

    /// The number of records.
    /// - Complexity: O(1)
    @inlinable
    public var count: Int { keys.count }

    /// True when the table holds no record.
    /// - Complexity: O(1)
    @inlinable
    public var isEmpty: Bool { keys.count == 0 }

    /// The record with this key.
    /// - Complexity: O(1) on average (a hash lookup).
    @inlinable
    public subscript(id id: String) -> R? {
        guard let slot = slot(of: id) else { return nil }
        return rows[slot]
    }

    /// The slot of the record with this key.
    /// - Complexity: O(1) on average (a hash lookup, and a comparison with the key of the
    ///   record in each slot whose hash bits match).
    @inlinable
    func slot(of id: String) -> Int? {
        let hash = KeyIndex.hash(id)
        return rows.withUnsafeBufferPointer { rows in
            keys.slot(hash: hash) { slot in
                assert(slot < rows.count, "the key index names a slot past the end")
                return Self.address(rows.baseAddress! + slot)?.pointee.id == id
            }
        }
    }

    /// Adds `id` at `slot` to the key index unless a record other than the one in `slot` has
    /// that key: then returns that record's slot and changes nothing. The slot may still be
    /// empty or past the end (its record is written after).
    /// - Complexity: O(1) on average.
    @inlinable
    mutating func indexKey(_ id: String, slot: Int) -> Int? {
        let hash = KeyIndex.hash(id)
        return rows.withUnsafeBufferPointer { rows in
            keys.insert(hash: hash, slot: slot) { other in
                other != slot && other < rows.count && Self.address(rows.baseAddress! + other)?.pointee.id == id
            }
        }
    }

    /// Takes the entry of `id` at `slot` out of the key index.
    /// - Complexity: O(1) on average.
    @inlinable
    mutating func unindexKey(_ id: String, slot: Int) {
        keys.remove(hash: KeyIndex.hash(id), slot: slot)
    }

    /// True when a record has this key.
    /// - Complexity: O(1) on average.
    @inlinable
    public func contains(id: String) -> Bool { slot(of: id) != nil }

    /// Calls `body` with each record in insertion order, borrowed in place: a scan of a million
    /// records copies none of them (copying one out retains each of its strings and lists).
    /// - Complexity: O(n)
    @inlinable
    public func forEachRecord(_ body: (borrowing R) throws -> Void) rethrows {
        try forEachRecord(while: { record in try body(record); return true })
    }

    /// Like `forEachRecord(_:)`, stopping after the first call that returns false.
    /// - Complexity: O(n)
    @inlinable
    public func forEachRecord(while body: (borrowing R) throws -> Bool) rethrows {
        try forEachRecordAddress(while: { try body($0.pointee) })
    }

    /// The number of slots: the records and the empty slots removals left, for splitting a
    /// scan into ranges (`forEachRecord(inSlots:_:)`).
    /// - Complexity: O(1)
    @inlinable public var slotCount: Int { rows.count }

    /// Calls `body` with each record in a range of slots and its slot, in insertion order,
    /// borrowed.
    /// - Complexity: O(slots in the range)
    @inlinable
    public func forEachRecord(inSlots slots: Range<Int>, _ body: (Int, borrowing R) throws -> Void) rethrows {
        try forEachRecordAddress(inSlots: slots) { try body($0, $1.pointee) }
    }

    /// Calls `body` with the address of each record in insertion order, stopping after the
    /// first call that returns false. The address is valid only during the call.
    ///
    /// Handing a record by value (or borrowed, as `forEachRecord` does) to code the compiler
    /// cannot see into copies it: a retain and a release of each of its strings and lists.
    /// A reader that loads only what it needs through the address (`RecordFilter.matches(at:)`,
    /// `RecordFields.Field.read`) does not.
    /// - Complexity: O(n)
    @inlinable
    public func forEachRecordAddress(while body: (UnsafePointer<R>) throws -> Bool) rethrows {
        try rows.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in buffer.indices {
                guard let record = Self.address(base + index) else { continue }
                if try !body(record) { return }
            }
        }
    }

    /// Calls `body` with each record's slot and address in a range of slots, in insertion
    /// order (see `forEachRecordAddress(while:)`). The address is valid only during the call.
    /// - Complexity: O(slots in the range)
    @inlinable
    public func forEachRecordAddress(inSlots slots: Range<Int>, _ body: (Int, UnsafePointer<R>) throws -> Void) rethrows {
        try rows.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in slots.clamped(to: buffer.indices) {
                guard let record = Self.address(base + index) else { continue }
                try body(index, record)
            }
        }
    }

    /// Scans the table in pieces of at least 16,384 slots on every core: `produce` makes a result
    /// of each piece (from the table and the piece's slots, e.g. with
    /// `forEachRecordAddress(inSlots:_:)`), and `consume` takes the results on the calling
    /// thread in slot order, as each and those before it are ready, until it returns false
    /// (pieces already started are then discarded). A table under 20,000 slots is scanned in
    /// one piece, and a process with one processor scans its pieces, on the calling thread.
    /// The first error thrown by either ends the scan and is rethrown.
    /// - Complexity: O(n) work spread over the processors, plus `consume`'s.
    package func scanInPieces<T: Sendable>(produce: @escaping @Sendable (RecordTable<R>, Range<Int>) throws -> T,
                                           consume: (T) throws -> Bool) throws {
        let table = self
        try ParallelChunks.stream(count: slotCount, pieces: Swift.max(1, slotCount / 16_384), produce: { try produce(table, $0) },
                                  consume: consume)
    }

    /// Calls `body` with the address of each record in a range of slots that `filter` keeps
    /// (every record without one), in order, checking for Ctrl-C every 16,384 slots: the loop
    /// of a piece of `scanInPieces`. The address is valid only during the call.
    /// - Complexity: O(slots in the range) tests of the filter.
    @inlinable
    package func forEachMatch(inSlots slots: Range<Int>, of filter: RecordFilter<R>?, _ body: (UnsafePointer<R>) throws -> Void) throws {
        var read = 0
        try forEachRecordAddress(inSlots: slots) { _, record in
            if read & 0x3FFF == 0 { try Interruption.check() }
            read += 1
            if filter?.matches(at: record) == false { return }
            try body(record)
        }
    }

    /// The address of the record in a slot, or nil for an empty slot.
    /// - Complexity: O(1)
    @inlinable @inline(__always)
    static func address(_ slot: UnsafePointer<R?>) -> UnsafePointer<R>? {
        // A pattern without a binding reads the tag only (written `!= nil`, this compiled to
        // calls of the records' derived `==` here).
        if case .none = slot.pointee { return nil }
        // This relies on the ABI's layout of a single-payload enum such as `Optional`: the
        // payload at offset 0, any extra tag byte after it. A filled slot thus holds its record
        // at the slot's own address, and its memory, bound to `R?`, is read as `R` — the
        // layout-compatible access Swift allows an enum's payload. A test holds every record
        // read this way equal to the record read by value.
        return UnsafeRawPointer(slot).assumingMemoryBound(to: R.self)
    }

    /// The last record in insertion order.
    /// - Complexity: O(1) unless the last slots are empty.
    public var last: R? { rows.last(where: { $0 != nil }) ?? nil }

    /// The records as an array, in insertion order.
    /// - Complexity: O(n)
    public var all: [R] { rows.compactMap { $0 } }

    // MARK: Changes (internal: `ClusterModel` validates and journals them)

    /// Appends a record whose key is not taken; returns its slot.
    /// - Complexity: O(1) amortized.
    @inlinable
    mutating func append(_ record: R) -> Int {
        let slot = rows.count
        _ = indexKey(record.id, slot: slot)
        rows.append(record)
        indexNames(slot: slot)
        return slot
    }

    /// Brings the name index (when there is one) up to date with `slot`.
    /// - Complexity: O(names of the record) with an index, else O(1).
    @inlinable
    mutating func indexNames(slot: Int) {
        guard nameSearch != nil else { return }
        if let record = rows[slot] {
            nameSearch!.set(slot: slot, names: [record.id] + R.kind.names(record))
        } else {
            nameSearch!.set(slot: slot, names: [])
        }
    }

    /// Builds the name index if the table has none.
    /// - Complexity: O(total length of the names) the first time, then O(1).
    public mutating func prepareNameSearch() {
        guard nameSearch == nil else { return }
        nameSearch = NameSearchIndex.build(rows)
    }

    /// Builds the name index if the table has none, and its completion order if that is
    /// missing or stale (see `NameSearchIndex.prepareCompletion`).
    /// - Complexity: O(1) when both are current; else the builds'.
    public mutating func prepareCompletion() {
        prepareNameSearch()
        nameSearch!.numberNames(rows)
        nameSearch!.prepareCompletion()
    }

    /// Replaces the record in `slot` (same key), returning the one that was there.
    /// - Complexity: O(1)
    mutating func replace(at slot: Int, with record: R) -> R {
        let old = rows[slot]!
        rows[slot] = record
        indexNames(slot: slot)
        return old
    }

    /// Empties `slot`, returning its record.
    /// - Complexity: O(1) on average.
    mutating func vacate(_ slot: Int) -> R {
        let old = rows[slot]!
        rows[slot] = nil
        unindexKey(old.id, slot: slot)
        nameSearch?.clear(slot: slot)
        return old
    }

    /// Puts a record back into an empty slot.
    /// - Complexity: O(1) on average.
    mutating func restore(_ record: R, at slot: Int) {
        _ = indexKey(record.id, slot: slot)
        rows[slot] = record
        indexNames(slot: slot)
    }

    /// Removes the last `count` slots (the latest appends), returning their records.
    /// - Complexity: O(count)
    mutating func removeLast(_ count: Int) -> [R?] {
        let removed = Array(rows.suffix(count))
        for (offset, record) in removed.enumerated() {
            if let record { unindexKey(record.id, slot: rows.count - count + offset) }
        }
        rows.removeLast(count)
        nameSearch?.truncate(to: rows.count)
        return removed
    }

    /// Appends slots back (the inverse of `removeLast`). Stops at a record whose key is taken
    /// (by a record in the table or earlier in `slots`) and returns false; the slots before it
    /// stay appended.
    /// - Complexity: O(count)
    @discardableResult
    mutating func append(slots: [R?]) -> Bool {
        for record in slots {
            if let record, indexKey(record.id, slot: rows.count) != nil { return false }
            rows.append(record)
            indexNames(slot: rows.count - 1)
        }
        return true
    }
}

// MARK: - Reading as a sequence

extension RecordTable: Sequence {
    /// Iterates the records in insertion order, skipping empty slots.
    public struct Iterator: IteratorProtocol {
        @usableFromInline var base: IndexingIterator<[R?]>
        @inlinable init(base: IndexingIterator<[R?]>) { self.base = base }
        /// The next record.
        @inlinable public mutating func next() -> R? {
            while let slot = base.next() { if let record = slot { return record } }
            return nil
        }
    }

    /// Iterates the records in insertion order.
    @inlinable public func makeIterator() -> Iterator { Iterator(base: rows.makeIterator()) }

    /// The number of records (for `Array(table)` and `map` to reserve).
    @inlinable public var underestimatedCount: Int { keys.count }
}

extension RecordTable: Equatable {
    /// Same records in the same order (empty slots do not count).
    public static func == (lhs: RecordTable, rhs: RecordTable) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}

// MARK: - Type erasure

/// A table with its record type erased: what the store's loops over every kind see.
public protocol AnyRecordTable: Sendable {
    /// The kind of its records.
    var kind: any AnyRecordKind { get }
    /// The number of records.
    var count: Int { get }
    /// The derived counts of the kind (label and total).
    var derivedCounts: [(label: String, count: Int)] { get }
    /// True when a record has this key.
    func contains(id: String) -> Bool
    /// The ids of records that refer to `key` of kind `target`, with the reference field and
    /// whether the reference is required.
    /// - Complexity: O(n) over this table when its kind refers to `target`, else O(1).
    func referrers(to target: String, key: String) -> [(id: String, field: String, isRequired: Bool, isChecked: Bool)]
    /// Every reference of every record that names no record of its target kind in `model`.
    func danglingReferences(in model: ClusterModel) -> [(id: String, field: String, target: String, key: String)]
    /// What the record with this id cites (nil when there is none).
    func citations(of id: String) -> [(what: String, source: String)]?
    /// Writes the records as an array under `key`.
    func encode(to container: inout KeyedEncodingContainer<AnyCodingKey>) throws
    /// Calls `body` with each record's compact JSON, in order.
    /// - Complexity: O(n)
    func forEachJSONRecord(_ body: ([UInt8]) throws -> Void) throws
    /// True when `other` is a table of the same kind with the same records in the same order.
    func isEqual(to other: any AnyRecordTable) -> Bool
    /// Builds the table's name index if it has none; from then on the table keeps it current.
    /// - Complexity: O(total length of the names) the first time, then O(1).
    mutating func prepareNameSearch()
    /// Builds the name index and its completion order where missing or stale (before a Tab).
    mutating func prepareCompletion()
    /// Ids and names whose lower-case form starts with `prefix` (lower case), in that order:
    /// see `RecordTable.names(startingWith:limit:)`.
    func names(startingWith prefix: String, limit: Int) -> NamePrefixMatches
}

extension RecordTable: AnyRecordTable {
    /// The kind of its records.
    public var kind: any AnyRecordKind { R.kind }

    /// The derived counts of the kind.
    public var derivedCounts: [(label: String, count: Int)] {
        R.kind.derivedCounts.map { derived in (derived.label, reduce(0) { $0 + derived.count($1) }) }
    }

    /// The ids of records that refer to `key` of kind `target`.
    public func referrers(to target: String, key: String) -> [(id: String, field: String, isRequired: Bool, isChecked: Bool)] {
        let references = R.kind.references.filter { $0.target == target }
        guard !references.isEmpty else { return [] }
        var found: [(id: String, field: String, isRequired: Bool, isChecked: Bool)] = []
        for record in self {
            for reference in references where reference.keys(record).contains(key) {
                found.append((record.id, reference.field, reference.isRequired, reference.isChecked))
            }
        }
        return found
    }

    /// Every reference that names no record of its target kind in `model`.
    /// - Complexity: O(n × keys per record); a key found is remembered (the last 16), as most
    ///   records repeat a few sectors and sources.
    public func danglingReferences(in model: ClusterModel) -> [(id: String, field: String, target: String, key: String)] {
        var found: [(id: String, field: String, target: String, key: String)] = []
        for reference in R.kind.references where reference.isChecked {
            let target = model.tables[reference.target]
            var confirmed: [String] = []
            forEachRecord({ (record: borrowing R) -> Void in
                for key in reference.keys(record) where !confirmed.contains(key) {
                    if target?.contains(id: key) == true {
                        if confirmed.count == 16 { confirmed.removeFirst() }
                        confirmed.append(key)
                    } else {
                        found.append((record.id, reference.field, reference.target, key))
                    }
                }
            })
        }
        return found
    }

    /// What the record with this id cites.
    public func citations(of id: String) -> [(what: String, source: String)]? {
        self[id: id].map { R.kind.citations(of: $0) }
    }

    /// Writes the records as an array under the kind's name.
    public func encode(to container: inout KeyedEncodingContainer<AnyCodingKey>) throws {
        try container.encode(all, forKey: AnyCodingKey(R.kind.name))
    }

    /// Calls `body` with each record's compact JSON, in order.
    public func forEachJSONRecord(_ body: ([UInt8]) throws -> Void) throws {
        let encoder = StreamingJSONEncoder()
        try forEachRecord({ (record: borrowing R) throws -> Void in try body(try encoder.encode(copy record)) })
    }

    /// True when `other` holds the same records in the same order.
    public func isEqual(to other: any AnyRecordTable) -> Bool {
        guard let other = other as? RecordTable<R> else { return false }
        return self == other
    }
}
