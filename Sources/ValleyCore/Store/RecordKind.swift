#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The declaration of a record kind: its name, its fields, its references to other kinds
/// and its validation. The store runs every way in (commands, imports, workspace open,
/// default data) through this one declaration.
public struct RecordKind<R: Record>: Sendable {
    /// A count derived from the records of a kind (e.g. observations of indicators), shown by `model`.
    public struct DerivedCount: Sendable {
        /// The label, e.g. `observations`.
        public let label: String
        /// What one record adds to the count.
        public let count: @Sendable (R) -> Int

        /// Declares a derived count.
        public init(_ label: String, count: @escaping @Sendable (R) -> Int) {
            self.label = label
            self.count = count
        }
    }

    /// The table and workspace key, plural, e.g. `enterprises`.
    public let name: String
    /// One record in messages, e.g. `enterprise`.
    public let label: String
    /// How `model` lists it, e.g. `graduate cohorts`.
    public let title: String
    /// Who declares it: `core` or a plugin's namespace.
    public let owner: String
    /// The version of the record's stored form (raise it when the form changes).
    public let schemaVersion: Int
    /// The fields the filter language, `--fields` and `--by` read; nil when none are declared.
    public let fields: RecordFields<R>?
    /// The names a record answers to besides its id (English and Chinese names, aliases):
    /// what `ClusterModel.resolve` matches, completion offers and "did you mean" suggests.
    public let names: @Sendable (R) -> [String]
    /// The record's references to other kinds (sources included).
    public let references: [Reference<R>]
    /// Counts shown beside the kind's own.
    public let derivedCounts: [DerivedCount]
    /// Domain checks (ranges, forms); throw `ValleyError.invalidValue` naming the field.
    public let validate: @Sendable (R) throws -> Void
    /// What a record cites, in detail ("observation 2016" → source id), for `sources ID`;
    /// nil: every key of its source references, labelled with the kind.
    public let citations: (@Sendable (R) -> [(what: String, source: String)])?
    /// Reads the kind's workspace section when its form is not a plain array of records
    /// (older forms); nil for the plain array.
    public let decodeSection: (@Sendable (any Decoder) throws -> [R])?
    /// Brings one stored record of an older `schemaVersion` (`from`) to the current form, as a
    /// JSON object, before it is decoded; nil when the form never changed. Both workspace forms
    /// (SQLite and JSON) run it, so a kind migrates once for both.
    public let migrate: (@Sendable (_ record: inout JSONValue, _ from: Int) throws -> Void)?

    /// Declares a kind.
    public init(name: String, label: String, title: String? = nil, owner: String, schemaVersion: Int = 1,
                fields: RecordFields<R>? = nil, names: @escaping @Sendable (R) -> [String] = { _ in [] },
                references: [Reference<R>] = [], derivedCounts: [DerivedCount] = [],
                citations: (@Sendable (R) -> [(what: String, source: String)])? = nil,
                decodeSection: (@Sendable (any Decoder) throws -> [R])? = nil,
                migrate: (@Sendable (_ record: inout JSONValue, _ from: Int) throws -> Void)? = nil,
                validate: @escaping @Sendable (R) throws -> Void = { _ in }) {
        self.name = name
        self.label = label
        self.title = title ?? name
        self.owner = owner
        self.schemaVersion = schemaVersion
        self.fields = fields
        self.names = names
        self.references = references
        self.derivedCounts = derivedCounts
        self.citations = citations
        self.decodeSection = decodeSection
        self.migrate = migrate
        self.validate = validate
    }
}

/// A field of a record that names records of another kind by key.
public struct Reference<R: Record>: Sendable {
    /// The field's name as users see it, e.g. `sector`.
    public let field: String
    /// The kind referred to, e.g. `sectors`.
    public let target: String
    /// True when the record cannot stand without the target: `remove --cascade` of the
    /// target removes the record; otherwise the reference is dropped from it.
    public let isRequired: Bool
    /// False for a loose reference (free text that names a record when it matches one, e.g.
    /// an event's subject: an enterprise id or a region): not checked on the way in, but
    /// found by `remove` and rewritten by `merge` when it does match.
    public let isChecked: Bool
    /// The keys the record refers to.
    public let keys: @Sendable (R) -> [String]
    /// Replaces `old` by `new` (nil: drops the reference).
    public let replace: @Sendable (inout R, _ old: String, _ new: String?) -> Void

    /// Declares a reference read and rewritten by closures.
    public init(field: String, target: String, isRequired: Bool, isChecked: Bool = true,
                keys: @escaping @Sendable (R) -> [String],
                replace: @escaping @Sendable (inout R, String, String?) -> Void) {
        self.field = field
        self.target = target
        self.isRequired = isRequired
        self.isChecked = isChecked
        self.keys = keys
        self.replace = replace
    }

    // The factories below read `T.kind.name`: a kind cannot name its own type as the target
    // (its `static let kind` would be read while it is being initialised). A kind that refers
    // to its own records uses `Reference(field:target:…)` with its name as a string; note that
    // `bulkInsert` checks references against the tables as they were when it started.
    // They take a getter and a setter rather than a key path: making the key paths of every
    // kind at start-up, and applying one for every imported row, cost more than the checks.

    /// A list of keys, e.g. a policy's target sectors; dropping a key removes it from the list.
    public static func list<T: Record>(_ field: String, to target: T.Type, get: @escaping @Sendable (R) -> [String],
                                       set: @escaping @Sendable (inout R, [String]) -> Void) -> Self {
        Reference(field: field, target: target.kind.name, isRequired: false, keys: get) { record, old, new in
            var seen = Set<String>()
            set(&record, get(record).compactMap { $0 == old ? new : $0 }.filter { seen.insert($0).inserted })
        }
    }

    /// An optional key, e.g. a site's enterprise; dropping it sets nil.
    public static func optional<T: Record>(_ field: String, to target: T.Type, get: @escaping @Sendable (R) -> String?,
                                           set: @escaping @Sendable (inout R, String?) -> Void) -> Self {
        Reference(field: field, target: target.kind.name, isRequired: false, keys: { get($0).map { [$0] } ?? [] }) { record, old, new in
            if get(record) == old { set(&record, new) }
        }
    }

    /// A required key, e.g. a leg's origin; removing the target with `--cascade` removes the record.
    public static func required<T: Record>(_ field: String, to target: T.Type, get: @escaping @Sendable (R) -> String,
                                           set: @escaping @Sendable (inout R, String) -> Void) -> Self {
        Reference(field: field, target: target.kind.name, isRequired: true, keys: { [get($0)] }) { record, old, new in
            if get(record) == old, let new { set(&record, new) }
        }
    }

    /// A required list of keys (e.g. a route's legs): removing a target with `--cascade`
    /// removes the record, as the list would mean something else without it.
    public static func requiredList<T: Record>(_ field: String, to target: T.Type, get: @escaping @Sendable (R) -> [String],
                                               set: @escaping @Sendable (inout R, [String]) -> Void) -> Self {
        Reference(field: field, target: target.kind.name, isRequired: true, keys: get) { record, old, new in
            set(&record, get(record).compactMap { $0 == old ? new : $0 })
        }
    }

    /// Free text that names a record of `target` when it matches one's key (see `isChecked`).
    public static func loose<T: Record>(_ field: String, to target: T.Type, get: @escaping @Sendable (R) -> String,
                                        set: @escaping @Sendable (inout R, String) -> Void) -> Self {
        Reference(field: field, target: target.kind.name, isRequired: false, isChecked: false, keys: { [get($0)] }) { record, old, new in
            if get(record) == old, let new { set(&record, new) }
        }
    }

    /// The sources a record cites (a list of source ids, possibly spread over nested values).
    public static func sources(_ keys: @escaping @Sendable (R) -> [String],
                               replace: @escaping @Sendable (inout R, String, String?) -> Void) -> Self {
        Reference(field: "source", target: Source.kind.name, isRequired: true, keys: keys, replace: replace)
    }
}

// MARK: - Type erasure

/// A record kind with its record type erased: what code that loops over every kind sees.
public protocol AnyRecordKind: Sendable {
    /// The table and workspace key, e.g. `enterprises`.
    var name: String { get }
    /// One record in messages, e.g. `enterprise`.
    var label: String { get }
    /// How `model` lists it.
    var title: String { get }
    /// `core` or the declaring plugin's namespace.
    var owner: String { get }
    /// The version of the record's stored form.
    var schemaVersion: Int { get }
    /// The kinds this kind refers to.
    var referenceTargets: [String] { get }
    /// The kinds this kind's checked references name (what must exist before a record is inserted).
    var checkedReferenceTargets: [String] { get }
    /// The Swift type of its records, e.g. `Enterprise`.
    var recordTypeName: String { get }
    /// The names of the declared fields (`--where`, `--by`, `--fields`), in order.
    var fieldNames: [String] { get }
    /// The declared fields with their kind (`text`, `number`, `date`, `list`) and help.
    var fieldDescriptions: [(name: String, kind: String, summary: String)] { get }
    /// The references: field, target kind, and whether the record needs the target.
    var referenceDescriptions: [(field: String, target: String, isRequired: Bool)] { get }
    /// Up to `limit` distinct values of field `name` in the kind's records, for completion.
    /// - Complexity: O(n) in the records, stopping once `limit` values are found.
    func fieldValues(_ name: String, in model: ClusterModel, limit: Int) -> [String]
    /// The id of the record `name` names (see `ClusterModel.resolve`).
    func resolveID(_ name: String, in model: ClusterModel) throws -> String
    /// Reads this kind's section of a JSON workspace, stored at `storedVersion` of its schema
    /// (migrating an older one), and inserts each record through the store's validation;
    /// errors name the record's place.
    func load(from container: KeyedDecodingContainer<AnyCodingKey>, into model: inout ClusterModel, path: String, storedVersion: Int) throws
    /// An empty table of this kind.
    func makeTable() -> any AnyRecordTable
    /// Removes a record of this kind, with cascade; returns what else changed.
    func removeRecord(id: String, in model: inout ClusterModel) throws -> [String]
    /// Rewrites the references of record `id` to `old` of kind `target` (nil drops them).
    func relink(id: String, target: String, from old: String, to new: String?, in model: inout ClusterModel) throws
    /// Calls `visitor` with the kind's record type known: how code outside core (a workspace
    /// format) reads and writes the records of kinds it does not name.
    func accept<V: RecordKindVisitor>(_ visitor: inout V) throws -> V.Result
}

/// Code that needs a kind's record type, given only `any AnyRecordKind` (see `accept(_:)`).
public protocol RecordKindVisitor {
    /// What a visit gives.
    associatedtype Result
    /// Called with the kind, its record type `R` known.
    mutating func visit<R: Record>(_ kind: RecordKind<R>) throws -> Result
}

extension RecordKind: AnyRecordKind {
    /// The kinds this kind refers to.
    public var referenceTargets: [String] { references.map(\.target) }

    /// The kinds this kind's checked references name.
    public var checkedReferenceTargets: [String] { references.filter(\.isChecked).map(\.target) }

    /// The Swift type of its records, e.g. `Enterprise`.
    public var recordTypeName: String { String(describing: R.self) }

    /// The names of the declared fields.
    public var fieldNames: [String] { fields?.names ?? [] }

    /// The declared fields with their kind and help.
    public var fieldDescriptions: [(name: String, kind: String, summary: String)] {
        (fields?.fields ?? []).map { ($0.name, $0.kind.rawValue, $0.summary) }
    }

    /// The references: field, target kind, and whether the record needs the target.
    public var referenceDescriptions: [(field: String, target: String, isRequired: Bool)] {
        references.map { ($0.field, $0.target, $0.isRequired) }
    }

    /// Up to `limit` distinct values of field `name`.
    public func fieldValues(_ name: String, in model: ClusterModel, limit: Int) -> [String] {
        guard let field = fields?.field(named: name) else { return [] }
        var seen = Set<String>()
        var result: [String] = []
        model[R.self].forEachRecord(while: { record in
            let values: [String]
            switch field.value(record) {
            case .missing: values = []
            case let .list(items): values = items
            case let .date(date): values = [date.description]
            case let value: values = [value.cell.text]
            }
            for value in values where !value.isEmpty && seen.insert(value).inserted { result.append(value) }
            return result.count < limit
        })
        return result
    }

    /// The id of the record `name` names.
    public func resolveID(_ name: String, in model: ClusterModel) throws -> String { try model.resolve(R.self, name).id }

    /// Calls `visitor` with `R` known.
    public func accept<V: RecordKindVisitor>(_ visitor: inout V) throws -> V.Result { try visitor.visit(self) }

    /// Reads this kind's section of a workspace, stored at `storedVersion` of its schema, and
    /// inserts each record through the store's validation.
    public func load(from container: KeyedDecodingContainer<AnyCodingKey>, into model: inout ClusterModel, path: String,
                     storedVersion: Int) throws {
        let key = AnyCodingKey(name)
        let records: [R]
        do {
            if storedVersion != schemaVersion {
                try checkReadable(storedVersion: storedVersion, path: path)
                records = try migrated(try container.decode([JSONValue].self, forKey: key), from: storedVersion, path: path)
            } else if let decodeSection {
                records = try decodeSection(try container.superDecoder(forKey: key))
            } else {
                records = try container.decode([R].self, forKey: key)
            }
        } catch let error as DecodingError {
            throw ValleyError.badWorkspace(path: path, reason: Workspace.describe(error))
        }
        model.reserve(R.self, capacity: records.count)
        for (index, record) in records.enumerated() {
            if index & 4095 == 0 { try Interruption.check() }  // Ctrl-C cancels a long open
            do {
                try model.insert(record)
            } catch let error as ValleyError {
                throw ValleyError.badWorkspace(path: path, reason: "model.\(name).[\(index)] (id '\(ValleyError.clip(record.id))'): \(ValleyError.describe(error))")
            }
        }
    }

    /// An empty table of this kind.
    public func makeTable() -> any AnyRecordTable { RecordTable<R>() }

    /// Refuses records stored at a schema version this valley cannot bring to its own: a newer
    /// one (written by a later valley), or an older one when the kind declares no migration.
    public func checkReadable(storedVersion: Int, path: String) throws {
        if storedVersion > schemaVersion {
            throw ValleyError.badWorkspace(path: path, reason: "its \(name) are at schema version \(storedVersion), newer than this valley's \(schemaVersion) (written by a later valley); nothing was opened")
        }
        if storedVersion < schemaVersion, migrate == nil {
            throw ValleyError.badWorkspace(path: path, reason: "its \(name) are at schema version \(storedVersion) and this valley (version \(schemaVersion)) has no migration from it")
        }
    }

    /// Records stored at an older schema version, migrated record by record and decoded.
    /// Errors name the record's place (`enterprises[3]`).
    public func migrated(_ stored: [JSONValue], from version: Int, path: String) throws -> [R] {
        try checkReadable(storedVersion: version, path: path)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        return try stored.enumerated().map { index, value in
            var record = value
            do {
                try migrate?(&record, version)
                return try decoder.decode(R.self, from: encoder.encode(record))
            } catch let error as DecodingError {
                throw ValleyError.badWorkspace(path: path, reason: "\(name)[\(index)] after migration from schema version \(version): \(Workspace.describe(error))")
            } catch let error as ValleyError {
                throw ValleyError.badWorkspace(path: path, reason: "\(name)[\(index)] in migration from schema version \(version): \(ValleyError.describe(error))")
            }
        }
    }

    /// What a record cites: the kind's own detail, or its source references.
    public func citations(of record: R) -> [(what: String, source: String)] {
        if let citations { return citations(record) }
        return references.filter { $0.target == Source.kind.name }.flatMap { $0.keys(record).map { (label, $0) } }
    }
}

/// A coding key made from any string (workspace sections are named by kinds at run time).
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    /// The key.
    public var stringValue: String
    /// Always nil: sections are named.
    public var intValue: Int? { nil }
    /// A key for a string.
    public init(_ string: String) { stringValue = string }
    /// A key for a string.
    public init?(stringValue: String) { self.stringValue = stringValue }
    /// Integer keys are not used.
    public init?(intValue: Int) { return nil }
}
