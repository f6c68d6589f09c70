// Changing the model: the one validation path every way in goes through.

extension ClusterModel {
    /// Adds a record after the kind's checks: a usable id not already taken, the kind's own
    /// validation, and references that resolve (at the end of a bulk load, when deferred).
    /// - Complexity: O(1) amortized, plus the kind's checks and one hash lookup per reference.
    public mutating func insert<R: Record>(_ record: R) throws {
        try validate(record)
        guard !(tables[R.kind.name]?.contains(id: record.id) ?? false) else {
            throw ValleyError.duplicateID(kind: R.kind.label, id: record.id)
        }
        let slot = withTable(R.self) { $0.append(record) }
        guard journaling else { return }
        if let last = journal.last as? TableChange<R>, case let .appended(start, count) = last.operation, start + count == slot {
            journal[journal.count - 1] = TableChange<R>(.appended(start: start, count: count + 1))
        } else {
            journal.append(TableChange<R>(.appended(start: slot, count: 1)))
        }
    }

    /// Replaces the record with the same id, after the kind's checks.
    /// - Complexity: O(1) on average, plus the kind's checks.
    public mutating func update<R: Record>(_ record: R) throws {
        guard let slot = (tables[R.kind.name] as? RecordTable<R>)?.slot(of: record.id) else {
            throw ValleyError.notFound(kind: R.kind.label, name: record.id)
        }
        try validate(record)
        // An update that changes nothing is no change (and no undo level).
        if (tables[R.kind.name] as? RecordTable<R>)?.rows[slot] == record { return }
        let old = withTable(R.self) { $0.replace(at: slot, with: record) }
        journal.append(TableChange<R>(.replaced(slot: slot, old)))
    }

    /// Changes the record with this id in place, then validates it like `update(_:)`.
    /// - Complexity: O(1) on average, plus the kind's checks.
    public mutating func update<R: Record>(_ type: R.Type, id: String, _ change: (inout R) throws -> Void) throws {
        guard var record = record(type, id: id) else { throw ValleyError.notFound(kind: R.kind.label, name: id) }
        try change(&record)
        guard record.id == id else { throw ValleyError.refused("the id of \(R.kind.label) '\(id)' cannot change") }
        try update(record)
    }

    /// Removes a record. Records of other kinds that refer to it make this an error listing
    /// them, unless `cascade`: then records that cannot stand without it are removed too
    /// (in turn, with cascade) and other references to it are dropped.
    /// - Returns: what else changed, one line each (empty without cascade).
    /// - Complexity: O(1) on average, plus a scan of each kind that can refer to this one.
    @discardableResult
    public mutating func remove<R: Record>(_ type: R.Type, id: String, cascade: Bool = false) throws -> [String] {
        guard let slot = (tables[R.kind.name] as? RecordTable<R>)?.slot(of: id) else {
            throw ValleyError.notFound(kind: R.kind.label, name: id)
        }
        let referrers = self.referrers(of: R.kind.name, key: id)
        if !referrers.isEmpty, !cascade {
            throw ValleyError.referenced(kind: R.kind.label, id: id, by: referrers.map { "\($0.kind.label) \($0.id) (\($0.field))" })
        }
        // The record goes first, so that a cycle of references (or a record naming itself)
        // ends the cascade instead of coming back to it.
        let old = withTable(R.self) { $0.vacate(slot) }
        journal.append(TableChange<R>(.vacated(slot: slot, old)))
        var effects: [String] = []
        for referrer in referrers {
            // A record may already be gone (removed by an earlier referrer's cascade).
            guard tables[referrer.kind.name]?.contains(id: referrer.id) == true else { continue }
            if !referrer.isChecked {
                effects.append("kept the \(referrer.field) of \(referrer.kind.label) \(referrer.id) as text ('\(id)')")
            } else if referrer.isRequired {
                effects += try referrer.kind.removeRecord(id: referrer.id, in: &self)
                effects.append("removed \(referrer.kind.label) \(referrer.id) (its \(referrer.field) was \(id))")
            } else {
                try referrer.kind.relink(id: referrer.id, target: R.kind.name, from: id, to: nil, in: &self)
                effects.append("dropped \(id) from the \(referrer.field) of \(referrer.kind.label) \(referrer.id)")
            }
        }
        return effects
    }

    /// Points every reference to `old` (a record of kind `R`) at `new` instead.
    /// - Returns: the records changed, as "kind id".
    /// - Complexity: a scan of each kind that can refer to `R`, plus O(1) per record changed.
    @discardableResult
    public mutating func relink<R: Record>(_ type: R.Type, from old: String, to new: String) throws -> [String] {
        var changed: [String] = []
        for referrer in referrers(of: R.kind.name, key: old) {
            try referrer.kind.relink(id: referrer.id, target: R.kind.name, from: old, to: new, in: &self)
            changed.append("\(referrer.kind.label) \(referrer.id)")
        }
        return changed
    }

    /// Every record of any kind that refers to `key` of kind `target`.
    /// - Complexity: a scan of each kind that can refer to `target`.
    public func referrers(of target: String, key: String) -> [(kind: any AnyRecordKind, id: String, field: String, isRequired: Bool, isChecked: Bool)] {
        allTables.flatMap { table in
            table.referrers(to: target, key: key).map { (table.kind, $0.id, $0.field, $0.isRequired, $0.isChecked) }
        }
    }

    // MARK: Validation

    /// The one validation path: the id's form, the kind's own checks, and its references.
    public func validate<R: Record>(_ record: R) throws {
        try Self.checkID(record.id, kind: R.kind.label)
        try R.kind.validate(record)
        if !referencesDeferred { try checkReferences(record) }
    }

    /// Refuses an id that is empty, too long, padded with spaces or holds control characters.
    @usableFromInline static func checkID(_ id: String, kind: String) throws {
        func usable(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
            !bytes.isEmpty && bytes.count <= 200 && bytes.first != 0x20 && bytes.last != 0x20
                && !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F })
        }
        guard id.utf8.withContiguousStorageIfAvailable({ usable($0) }) ?? usable(id.utf8) else {
            throw ValleyError.invalidValue(field: "\(kind) id", value: id,
                                           expected: "1 to 200 bytes, no control characters or spaces at either end")
        }
    }

    /// Refuses a record with a reference that names no record of its target kind.
    func checkReferences<R: Record>(_ record: R) throws {
        for reference in R.kind.references where reference.isChecked {
            let keys = reference.keys(record)
            if keys.isEmpty { continue }
            let target = tables[reference.target]
            for key in keys where target?.contains(id: key) != true {
                throw ValleyError.danglingReference(kind: R.kind.label, id: record.id, field: reference.field,
                                                    target: target?.kind.label ?? reference.target, key: key)
            }
        }
    }

    /// Runs a bulk load (workspace open, default data) with references checked once at the
    /// end rather than per record, so that records may arrive in any order.
    /// - Complexity: the load, plus O(references) at the end.
    public mutating func deferringReferenceChecks(_ body: (inout ClusterModel) throws -> Void) throws {
        let wasDeferred = referencesDeferred
        referencesDeferred = true
        defer { referencesDeferred = wasDeferred }
        try body(&self)
        if wasDeferred { return }
        for table in allTables {
            if let first = table.danglingReferences(in: self).first {
                let target = tables[first.target]?.kind.label ?? first.target
                throw ValleyError.danglingReference(kind: table.kind.label, id: first.id, field: first.field, target: target, key: first.key)
            }
        }
    }

    /// Builds a model in bulk (workspace open, the built-in data): references checked once at
    /// the end, and no journal — a failed load throws the whole model away, and what was
    /// loaded is nobody's undo level.
    /// - Complexity: the load, plus O(references) at the end.
    public mutating func load(_ body: (inout ClusterModel) throws -> Void) throws {
        let wasJournaling = journaling
        journaling = false
        defer { journaling = wasJournaling }
        try deferringReferenceChecks(body)
    }

    /// Builds a model in bulk like `load(_:)`, but checks each record's references as it is
    /// inserted (against records loaded before it), so no pass over the whole model follows.
    /// For a load that inserts kinds in the order of their references (`dependencyOrder`).
    /// - Complexity: the load.
    public mutating func loadCheckingEachRecord(_ body: (inout ClusterModel) throws -> Void) throws {
        let wasJournaling = journaling
        journaling = false
        defer { journaling = wasJournaling }
        try body(&self)
    }

    /// `kinds` ordered so that every kind comes after the kinds it refers to (checked
    /// references only); nil when they refer to each other in a cycle (or a kind to itself).
    /// - Complexity: O(kinds²), for a handful of kinds.
    public static func dependencyOrder(_ kinds: [any AnyRecordKind]) -> [any AnyRecordKind]? {
        let names = Set(kinds.map(\.name))
        var placed: Set<String> = []
        var ordered: [any AnyRecordKind] = []
        var pending = kinds
        while !pending.isEmpty {
            guard let next = pending.firstIndex(where: { kind in
                kind.checkedReferenceTargets.allSatisfy { !names.contains($0) || placed.contains($0) }
            }) else { return nil }
            let kind = pending.remove(at: next)
            placed.insert(kind.name)
            ordered.append(kind)
        }
        return ordered
    }

    /// Every reference that names a missing record, as "kind id: field 'key'" (empty for a
    /// model built through `insert`, which refuses them).
    public var danglingReferences: [String] {
        allTables.flatMap { table in
            table.danglingReferences(in: self).map { "\(table.kind.label) \($0.id): \($0.field) '\($0.key)'" }
        }
    }
}

// MARK: - Kind-level operations the store needs without knowing the record type

extension RecordKind {
    /// Removes a record of this kind with cascade.
    public func removeRecord(id: String, in model: inout ClusterModel) throws -> [String] {
        try model.remove(R.self, id: id, cascade: true)
    }

    /// Rewrites this kind's references to `old` of `target` in record `id` (nil drops them).
    public func relink(id: String, target: String, from old: String, to new: String?, in model: inout ClusterModel) throws {
        guard var record = model.record(R.self, id: id) else { return }
        for reference in references where reference.target == target { reference.replace(&record, old, new) }
        try model.update(record)
    }
}

extension ClusterModel {
    /// Adds records in order, each through `insert(_:)`; the first refused one ends the call
    /// (the caller's transaction rolls the others back).
    /// - Complexity: O(records) amortized, plus the kind's checks.
    public mutating func insert<R: Record>(contentsOf records: some Sequence<R>) throws {
        for record in records { try insert(record) }
    }
}

// MARK: - Bulk insert

/// Appends many records of one kind with the table and the tables its references point to
/// looked up once, instead of once per record (an import of 1M rows spent a fifth of its time
/// finding tables). Each record goes through the same checks as `ClusterModel.insert`.
///
/// `insert` is `@inlinable` so that it is specialised for the plugin's record type.
public struct BulkInserter<R: Record> {
    @usableFromInline var table: RecordTable<R>
    /// The checked references and their target tables, in parallel arrays (copying a whole
    /// `Reference` out of an array for every row cost more than the check itself).
    @usableFromInline let references: [Reference<R>]
    @usableFromInline let referenceKeys: [@Sendable (R) -> [String]]
    @usableFromInline let targetTables: [(any AnyRecordTable)?]
    @usableFromInline let deferred: Bool
    /// Per reference, the last keys found in its target: most rows repeat a few sectors and
    /// sources, and comparing short strings is cheaper than hashing them into another table.
    @usableFromInline var confirmed: [[String]]
    /// The first slot this insert appends (the table's length when it began).
    @usableFromInline let start: Int
    /// The kind's label and validation, read once: `R.kind` is a protocol's static property,
    /// read as a copy of the whole kind (a retain and a release of each of its closures), two
    /// of them per record when the checks read it.
    @usableFromInline let label: String
    @usableFromInline let validate: @Sendable (R) throws -> Void

    @usableFromInline init(table: RecordTable<R>, targets: [(reference: Reference<R>, table: (any AnyRecordTable)?)], deferred: Bool) {
        self.table = table
        self.start = table.rows.count
        let checked = targets.filter { $0.reference.isChecked }
        // Closures, not key paths: a key path into a generic type is made at run time, by
        // demangling its pattern and proving `R: Record` (as much as loading the built-in data).
        self.references = checked.map { $0.reference }
        self.referenceKeys = checked.map { $0.reference.keys }
        self.targetTables = checked.map { $0.table }
        self.deferred = deferred
        self.confirmed = Array(repeating: [], count: checked.count)
        let kind = R.kind
        self.label = kind.label
        self.validate = kind.validate
    }

    /// Appends a record after the kind's checks (see `ClusterModel.insert`).
    /// - Complexity: O(1) amortized, plus the kind's checks and one hash lookup per reference.
    /// The record is consumed: appended without a copy.
    @inlinable public mutating func insert(_ record: consuming R) throws {
        try check(record)
        // One hash lookup for the duplicate check and the index entry.
        let slot = table.rows.count
        if table.indexKey(record.id, slot: slot) != nil {
            throw ValleyError.duplicateID(kind: label, id: record.id)
        }
        table.rows.append(record)
    }

    /// The checks of `ClusterModel.insert`: the id's form, the kind's validation, and (unless
    /// deferred to the end of the load) the references.
    @inlinable mutating func check(_ record: R) throws {
        try ClusterModel.checkID(record.id, kind: label)
        try validate(record)
        guard !deferred else { return }
        for position in referenceKeys.indices {
            for key in referenceKeys[position](record) where !confirmed[position].contains(key) {
                guard targetTables[position]?.contains(id: key) == true else {
                    let reference = references[position]
                    throw ValleyError.danglingReference(kind: label, id: record.id, field: reference.field,
                                                        target: targetTables[position]?.kind.label ?? reference.target, key: key)
                }
                if confirmed[position].count == 16 { confirmed[position].removeFirst() }
                confirmed[position].append(key)
            }
        }
    }

    /// True when a record with this id is in the table (already there or appended).
    /// - Complexity: O(1) on average.
    @inlinable public func contains(id: String) -> Bool { table.contains(id: id) }

    /// The record with this id (already there or appended), nil when there is none.
    /// - Complexity: O(1) on average.
    @inlinable public subscript(id id: String) -> R? { table[id: id] }

    /// The slot of the record with this id (already there or appended), nil when there is
    /// none: where it sits in the table, which scans read in pieces of neighbouring slots.
    /// - Complexity: O(1) on average.
    @inlinable public func slot(of id: String) -> Int? { table.slot(of: id) }

    /// Changes the record with this id in place when this insert appended it (it was not
    /// there before), then checks it as `insert` does; when `change` or a check throws, the
    /// record stays as it was. No undo level records it: the insert's own (its appended slots)
    /// covers the record as it ends.
    /// - Returns: false, changing nothing, when the id is not of a record this insert appended.
    /// - Complexity: O(1) on average, plus `change` and the kind's checks.
    // Inlinable, so that the caller's module specializes it for its kind: unspecialized, the
    // lookup's test of the slot copied the whole record through its value witnesses (2 % of
    // the importing core of a 1M-row import with 103k matches).
    @inlinable public mutating func updateAppended(id: String, _ change: (inout R) throws -> Void) throws -> Bool {
        guard let slot = table.slot(of: id), slot >= start, var record = table.rows[slot] else { return false }
        try change(&record)
        guard record.id == id else { throw ValleyError.refused("the id of \(label) '\(id)' cannot change") }
        try check(record)
        table.rows[slot] = record
        return true
    }

    /// Reserves room for `count` more records.
    public mutating func reserve(_ count: Int, keys: Int) {
        table.rows.reserveCapacity(table.rows.count + count)
        table.keys.reserveCapacity(table.keys.count + keys)
    }
}

extension ClusterModel {
    /// Runs `body` with a `BulkInserter` for kind `R`. Whatever `body` appended stays in the
    /// model and in the journal even when it throws (the caller's rollback removes it).
    /// - Complexity: O(records appended), plus `body`.
    public mutating func bulkInsert<R: Record, T>(_ type: R.Type, _ body: (inout BulkInserter<R>) throws -> T) throws -> T {
        let targets = R.kind.references.map { ($0, tables[$0.target]) }
        let deferred = referencesDeferred
        var inserter = withTable(R.self) { table in
            var taken = RecordTable<R>()
            swap(&taken, &table)
            return BulkInserter(table: taken, targets: targets, deferred: deferred)
        }
        let start = inserter.table.rows.count
        // The name index is set aside during the load. A small load is indexed afterwards,
        // record by record; after a large one (more than an eighth of the table, and at least
        // 10,000 records) the index is dropped, as building it again on first use costs less.
        // Swapped out and back, not copied: a second reference would make the first change
        // after it copy the whole index.
        var names: NameSearchIndex?
        swap(&names, &inserter.table.nameSearch)
        defer {
            let end = inserter.table.rows.count
            if names != nil, end - start <= max(10_000, start / 8) {
                swap(&names, &inserter.table.nameSearch)
                for slot in start..<end { inserter.table.indexNames(slot: slot) }
            }
            withTable(R.self) { $0 = inserter.table }
            if journaling, end > start { journal.append(TableChange<R>(.appended(start: start, count: end - start))) }
        }
        return try body(&inserter)
    }
}
