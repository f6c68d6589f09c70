/// The one shared in-memory model every plugin reads and writes: a small store of record
/// kinds, each a table with an index by key.
///
/// Changes go through `insert`, `update` and `remove`, which run the kind's one validation
/// path and write a journal. The shell takes the journal after each command: a failed command
/// is rolled back from it, a successful one becomes an undo level. So a command's
/// all-or-nothing run costs nothing up front, and an edit or an undo level costs O(change),
/// never O(model).
///
/// A value type: copying a model is O(1) (the tables are copy-on-write), but changing a copy
/// while another copy is alive copies the tables it touches. The shell never keeps a second
/// copy while a command runs.
public struct ClusterModel: Sendable {
    /// Tables by kind name.
    var tables: [String: any AnyRecordTable] = [:]
    /// Kind names in the order their tables were made: the order `model` lists them.
    public private(set) var kindNames: [String] = []
    /// Workspace sections of kinds whose plugin is absent, kept to be written back untouched.
    public internal(set) var keptSections: [String: KeptSection] = [:]
    /// Changes since the last `takeChanges()`.
    var journal: [any ModelChange] = []
    /// True while references are checked at the end of a bulk load instead of per record.
    var referencesDeferred = false
    /// False during `load`: inserts are not journaled.
    var journaling = true

    /// A model with an empty table for each of `kinds` (in that order).
    /// - Precondition: no two kinds share a name (a plugin that reuses one is a programming
    ///   error, caught as soon as any model is made with its kinds).
    public init(kinds: [any AnyRecordKind] = ClusterModel.coreKinds) {
        for kind in kinds {
            if let existing = tables[kind.name] {
                precondition(existing.kind.recordTypeName == kind.recordTypeName,
                             "two record kinds are named '\(kind.name)' (\(existing.kind.recordTypeName) and \(kind.recordTypeName)); kind names must be unique")
                continue
            }
            tables[kind.name] = kind.makeTable()
            kindNames.append(kind.name)
        }
    }

    /// Adds an empty table for each of `kinds` the model has none of (a plugin added during
    /// the session); kinds it has are left as they are.
    /// - Complexity: O(kinds)
    public mutating func addTables(for kinds: [any AnyRecordKind]) {
        for kind in kinds where tables[kind.name] == nil {
            tables[kind.name] = kind.makeTable()
            kindNames.append(kind.name)
        }
    }

    /// The kinds core declares because more than one plugin reads them.
    public static let coreKinds: [any AnyRecordKind] = [Source.kind, Sector.kind, Enterprise.kind, Indicator.kind]

    // MARK: Reading

    /// The table of a kind (empty when the model has none of it).
    /// - Complexity: O(1)
    public subscript<R: Record>(_ type: R.Type) -> RecordTable<R> {
        (tables[R.kind.name] as? RecordTable<R>) ?? RecordTable()
    }

    /// The record of a kind with this key.
    /// - Complexity: O(1) on average.
    public func record<R: Record>(_ type: R.Type, id: String) -> R? {
        (tables[R.kind.name] as? RecordTable<R>)?[id: id]
    }

    /// Every table, in `kindNames` order.
    public var allTables: [any AnyRecordTable] { kindNames.compactMap { tables[$0] } }

    /// The table of the kind with this name.
    /// - Complexity: O(1)
    public func table(named name: String) -> (any AnyRecordTable)? { tables[name] }

    /// Sources, sectors, enterprises and indicators: the vocabulary plugins share.
    public var sources: RecordTable<Source> { self[Source.self] }
    /// The sector taxonomy.
    public var sectors: RecordTable<Sector> { self[Sector.self] }
    /// Companies in the cluster.
    public var enterprises: RecordTable<Enterprise> { self[Enterprise.self] }
    /// Indicators and their observations.
    public var indicators: RecordTable<Indicator> { self[Indicator.self] }

    /// The source with the given id, if any.
    /// - Complexity: O(1) on average.
    public func source(id: String) -> Source? { record(Source.self, id: id) }

    /// The number of records of each kind (and each derived count), in `kindNames` order.
    public var entityCounts: [(entity: String, count: Int)] {
        allTables.flatMap { table in [(table.kind.title, table.count)] + table.derivedCounts.map { ($0.label, $0.count) } }
    }

    /// "108 records of 13 kinds", for messages.
    public var recordSummary: String {
        let kinds = allTables.filter { $0.count > 0 }
        let records = kinds.reduce(0) { $0 + $1.count }
        return "\(Cell.format(Double(records), digits: 0)) record\(records == 1 ? "" : "s") of \(kinds.count) kind\(kinds.count == 1 ? "" : "s")"
    }

    // MARK: Table access for changes

    /// Runs `body` on the table of `R`, taken out of the dictionary so that it is uniquely
    /// referenced and changes in place.
    mutating func withTable<R: Record, T>(_ type: R.Type, _ body: (inout RecordTable<R>) throws -> T) rethrows -> T {
        let name = R.kind.name
        var table: RecordTable<R>
        if let existing = tables.removeValue(forKey: name) {
            guard let typed = existing as? RecordTable<R> else {
                preconditionFailure("two record kinds are named '\(name)' (\(existing.kind.recordTypeName) and \(R.self)); kind names must be unique")
            }
            table = typed
        } else {
            table = RecordTable()
            kindNames.append(name)
        }
        defer { tables[name] = table }
        return try body(&table)
    }

    /// Reserves room for `capacity` more records of a kind (before a bulk insert).
    public mutating func reserve<R: Record>(_ type: R.Type, capacity: Int) {
        withTable(type) { table in
            table.rows.reserveCapacity(table.rows.count + capacity)
            table.keys.reserveCapacity(table.keys.count + capacity)
        }
    }
}

// MARK: - Equality

extension ClusterModel: Equatable {
    /// Same records of every kind in the same order, and the same kept sections (the journal
    /// and empty tables do not count).
    public static func == (lhs: ClusterModel, rhs: ClusterModel) -> Bool {
        guard lhs.keptSections == rhs.keptSections else { return false }
        let names = Set(lhs.tables.keys).union(rhs.tables.keys)
        for name in names {
            switch (lhs.tables[name], rhs.tables[name]) {
            case let (a?, b?): if !a.isEqual(to: b) { return false }
            case let (a?, nil): if a.count != 0 { return false }
            case let (nil, b?): if b.count != 0 { return false }
            case (nil, nil): break
            }
        }
        return true
    }
}

extension ClusterModel: CustomStringConvertible {
    /// The counts of each kind (a failed test shows this, not a million records).
    public var description: String {
        "ClusterModel(" + entityCounts.map { "\($0.entity): \($0.count)" }.joined(separator: ", ")
            + (keptSections.isEmpty ? "" : "; kept: \(keptSections.keys.sorted().joined(separator: ", "))") + ")"
    }
}
