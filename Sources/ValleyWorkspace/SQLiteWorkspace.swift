#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import ValleyCore

/// The saved form of a workspace: a SQLite database with one table per record kind.
///
/// - Each kind is a table named as the kind (`enterprises`, `legs`, …), one row per record in
///   the model's order (`rowid`), one column per stored field: scalars as typed columns
///   (`TEXT`, `INTEGER`, `REAL`, `BOOLEAN` 0/1), lists and nested values as compact JSON,
///   each distinct JSON value stored once in `valley_json` and the column holding its code
///   (`INTEGER REFERENCES valley_json(id)`; see `JSONCodes.swift`). JSON rather than child
///   tables keeps a record in one row, keeps the format the same for every kind (a plugin's
///   kind needs no table design), and is read by sqlite3's `json_each` and DuckDB's JSON
///   functions once joined to `valley_json`.
/// - `valley_json(id, json)`: the JSON values, `[]` as 0.
/// - `valley_meta(key, value)`: `format` = `valley-workspace`, `version` (2; version 1 kept
///   the JSON text in the rows, and is read as well), `plugins` (those whose kinds the file holds).
/// - `valley_kinds(kind, plugin, schema_version, records)`: each stored kind.
///
/// Writing goes to a temporary file with SQLite's journal off (the whole file is replaced by
/// one rename, so a crash leaves the old file or the new one), then `FileIO.replaceAtomically`.
/// Pages are 64 KB, not SQLite's 4 KB: SQLite writes a spilled page with one `pwrite`, and a
/// million-row save made 43,000 of them (half its time in the kernel); reading a 64 KB-page
/// file in pieces is faster too (1M rows: save 1.64 -> 1.35 s, open 1.81 -> 1.51 s, file 2 %
/// smaller). Any SQLite reads any page size; files written with 4 KB pages open as before.
/// Reading runs every row through the kinds' validation, like every other way in.
enum SQLiteWorkspace {
    /// The format version of the database's layout (not of any kind's records).
    static let version = 2
    /// The first 16 bytes of every SQLite database file.
    static let magic = Array("SQLite format 3\u{0}".utf8)

    // MARK: Saving

    /// Table names the file keeps for itself (and SQLite for its own).
    static func isReserved(_ name: String) -> Bool {
        name.lowercased().hasPrefix("valley_") || name.lowercased().hasPrefix("sqlite_")
    }

    /// Writes `model` to `path` atomically. `columnar: false` writes every kind through
    /// `Codable` (tests compare the two paths).
    static func save(_ model: ClusterModel, to path: String, columnar: Bool = true) throws {
        for name in model.kindNames + Array(model.keptSections.keys) where isReserved(name) {
            throw ValleyError.refused("a record kind named '\(name)' cannot be saved: the prefix is reserved for the file's own tables")
        }
        try FileIO.replaceAtomically(path) { temporary, _ in
            let database = try SQLiteDatabase(path: temporary, name: path, create: true)
            try database.execute("PRAGMA page_size=65536; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; BEGIN")
            try database.execute("""
                CREATE TABLE valley_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE valley_kinds (kind TEXT PRIMARY KEY, plugin TEXT NOT NULL, schema_version INTEGER NOT NULL, records INTEGER NOT NULL);
                """)
            let codes = try JSONCodeWriter(database: database)
            var kinds: [(name: String, owner: String, version: Int, records: Int)] = []
            for table in model.allTables {
                var writer = TableWriter(model: model, database: database, codes: codes, columnar: columnar)
                do {
                    try table.kind.accept(&writer)
                } catch let error as ValleyError {
                    guard case let .file(_, reason) = error else { throw error }
                    throw ValleyError.refused("cannot save \(table.kind.name): \(reason) (two fields whose names differ only in case?)")
                }
                kinds.append((table.kind.name, table.kind.owner, table.kind.schemaVersion, table.count))
            }
            for (name, section) in model.keptSections.sorted(by: { $0.key < $1.key }) where model.table(named: name) == nil {
                try writeKept(section, named: name, to: database, codes: codes)
                kinds.append((name, section.owner, section.schemaVersion, section.records.count))
            }
            let plugins = kinds.map(\.owner).filter { !$0.isEmpty }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let meta = try database.prepare("INSERT INTO valley_meta VALUES (?, ?)")
            for (key, value) in [("format", Workspace.formatName), ("version", String(version)), ("plugins", plugins.joined(separator: " "))] {
                meta.bind(.text(key), at: 1)
                meta.bind(.text(value), at: 2)
                try meta.run()
            }
            let kindRow = try database.prepare("INSERT INTO valley_kinds VALUES (?, ?, ?, ?)")
            for kind in kinds {
                kindRow.bind(.text(kind.name), at: 1)
                kindRow.bind(.text(kind.owner), at: 2)
                kindRow.bind(.integer(kind.version), at: 3)
                kindRow.bind(.integer(kind.records), at: 4)
                try kindRow.run()
            }
            try database.execute("COMMIT")
        }
    }

    /// Writes one kind's table.
    struct TableWriter: RecordKindVisitor {
        let model: ClusterModel
        let database: SQLiteDatabase
        let codes: JSONCodeWriter
        let columnar: Bool

        func writeColumnar<C: ColumnCodable>(_ type: C.Type, name: String) throws {
            try SQLiteWorkspace.writeColumnarTable(type, name: name, model: model, database: database, codes: codes)
        }

        mutating func visit<R: Record>(_ kind: RecordKind<R>) throws {
            if columnar, let type = R.self as? any ColumnCodable.Type {
                return try writeColumnar(type, name: kind.name)
            }
            var first: R?
            model[R.self].forEachRecord(while: { record in first = copy record; return false })
            let discovered = first.flatMap { ColumnDiscovery.columns(of: $0) } ?? [("id", .text)]
            let table = model[R.self]
            try SQLiteWorkspace.writeTable(kind.name, startingWith: discovered, in: database, codes: codes) { layout, insertRow in
                var failure: (any Error)?
                table.forEachRecord(while: { record in
                    do {
                        layout.startRow()
                        try record.encode(to: RowEncoder(layout: layout))
                        if layout.unsupported {
                            let fields = try jsonObject(of: record)
                            layout.startRow()
                            try fill(layout, from: fields)
                        }
                        return try insertRow()
                    } catch {
                        failure = error
                        return false
                    }
                })
                if let failure { throw describeEncoding(failure, kind: kind.name) }
            }
        }
    }

    /// Writes one table through a `TableLayout`: `rows` fills the layout one row at a time
    /// and calls `insertRow`, stopping when it returns false. A value that changes a column's
    /// declared type (`TableLayout.set`: a typeless column's first value, a value of another
    /// type than its column's) makes it false; the table is then written again from the start
    /// with that type known (none of Valley's kinds do this).
    static func writeTable(_ name: String, startingWith columns: [(name: String, storage: ColumnStorage)] = [("id", .text)],
                           in database: SQLiteDatabase, codes: JSONCodeWriter,
                           rows: (_ layout: TableLayout, _ insertRow: () throws -> Bool) throws -> Void) throws {
        var presets: [String: ColumnStorage] = [:]
        while true {
            let layout = TableLayout(columns: columns, presets: presets)
            var sink = try TableSink(name: name, layout: layout, database: database, codes: codes)
            try rows(layout) {
                if layout.restartNeeded { return false }
                try sink.insertRow()
                return !layout.restartNeeded
            }
            guard layout.restartNeeded else { return try sink.finish() }
            presets = layout.presets
            try database.execute("DROP TABLE IF EXISTS \(SQLiteDatabase.quote(name))")
        }
    }

    /// Writes a kind that declares its columns: bound by position, no `Codable` containers.
    static func writeColumnarTable<C: ColumnCodable>(_ type: C.Type, name: String, model: ClusterModel, database: SQLiteDatabase, codes: JSONCodeWriter) throws {
        let table = SQLiteDatabase.quote(name)
        let columns = C.storedColumns
        let definitions = columns.map { SQLiteDatabase.quote($0.name) + " " + (ColumnStorage(rawValue: $0.type.rawValue) ?? .untyped).declaration }
        try database.execute("CREATE TABLE \(table) (\(definitions.joined(separator: ", ")))")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let insert = try database.prepare("INSERT INTO \(table) VALUES (\(marks))")
        let writer = StatementWriter(statement: insert, codes: codes)
        do {
            try C.writeRows(of: model[C.self], to: writer)
        } catch {
            throw describeEncoding(error, kind: name)
        }
    }

    /// A record whose top level is not a keyed container of scalars and values, as JSON.
    static func jsonObject(of record: some Encodable) throws -> [String: JSONValue] {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(try StreamingJSONEncoder().encode(record)))
        guard case let .object(fields) = value else {
            throw EncodingError.invalidValue(record, .init(codingPath: [], debugDescription: "a record must encode as an object of fields"))
        }
        return fields
    }

    /// Puts an object's fields in the row (keys sorted, so the columns do not depend on hashing).
    static func fill(_ layout: TableLayout, from fields: [String: JSONValue]) throws {
        for key in fields.keys.sorted() {
            switch fields[key]! {
            case .null: _ = layout.column(key, storage: .untyped)
            case let .bool(flag): layout.set(.integer(flag ? 1 : 0), storage: .boolean, forKey: key) { flag ? "true" : "false" }
            case let .integer(number): layout.set(.integer(number), storage: .integer, forKey: key) { String(number) }
            case let .number(number): try layout.set(.real(number), storage: .real, forKey: key) { try JSONText.encode(number) }
            case let .string(text): layout.set(.text(text), storage: .text, forKey: key) { JSONText.string(text) }
            case let .array(items) where items.isEmpty: layout.setJSON("[]", forKey: key)
            case let value: layout.setJSON(try JSONText.encode(value), forKey: key)
            }
        }
    }

    /// Writes the records of a kind no plugin here declares, as they were read.
    static func writeKept(_ section: KeptSection, named name: String, to database: SQLiteDatabase, codes: JSONCodeWriter) throws {
        try writeTable(name, in: database, codes: codes) { layout, insertRow in
            for (index, record) in section.records.enumerated() {
                guard case let .object(fields) = record else {
                    throw ValleyError.refused("kept \(name)[\(index)] is not a record (a JSON object); it cannot be saved")
                }
                layout.startRow()
                try fill(layout, from: fields)
                if try !insertRow() { return }
            }
        }
    }

    /// An encoding failure as a refusal naming the kind.
    static func describeEncoding(_ error: any Error, kind: String) -> any Error {
        if let error = error as? EncodingError, case let .invalidValue(_, context) = error {
            let place = context.codingPath.map(\.stringValue).joined(separator: ".")
            return ValleyError.refused("cannot save \(kind)\(place.isEmpty ? "" : " field '\(place)'"): \(context.debugDescription)")
        }
        return error
    }

    /// The table of one kind as rows arrive: created with the columns known so far, widened
    /// (`ALTER TABLE … ADD COLUMN`, O(1) in SQLite) when a later record brings a new key.
    struct TableSink {
        let name: String
        let layout: TableLayout
        let database: SQLiteDatabase
        let codes: JSONCodeWriter
        private var insert: SQLiteStatement?
        private var created = false
        private var rows = 0

        init(name: String, layout: TableLayout, database: SQLiteDatabase, codes: JSONCodeWriter) throws {
            self.name = name
            self.layout = layout
            self.database = database
            self.codes = codes
        }

        /// Inserts the layout's current row (unless it changed a column's type: the caller
        /// then writes the table again).
        mutating func insertRow() throws {
            if !created || layout.names.count > layout.createdCount { try widen() }
            guard !layout.restartNeeded, let insert else { return }
            for (index, value) in layout.values.enumerated() {
                if layout.storage[index] == .json, case let .text(json) = value {
                    insert.bind(.integer(try codes.code(text: json)), at: Int32(index + 1))
                } else {
                    insert.bind(value, at: Int32(index + 1))
                }
            }
            try insert.run()
            rows += 1
            if rows & 4095 == 0 { try Interruption.check() }  // Ctrl-C cancels a long save
        }

        /// Creates the table (even with no rows: every kind's table is in the file).
        mutating func finish() throws {
            if !created { try widen() }
        }

        private mutating func widen() throws {
            let table = SQLiteDatabase.quote(name)
            func definition(_ index: Int) -> String {
                let type = layout.storage[index].declaration
                return SQLiteDatabase.quote(layout.names[index]) + (type.isEmpty ? "" : " " + type)
            }
            if !created {
                try database.execute("CREATE TABLE \(table) (\(layout.names.indices.map(definition).joined(separator: ", ")))")
                created = true
                layout.createdCount = layout.names.count
            }
            while layout.createdCount < layout.names.count {
                try database.execute("ALTER TABLE \(table) ADD COLUMN \(definition(layout.createdCount))")
                layout.createdCount += 1
            }
            let names = layout.names.map(SQLiteDatabase.quote).joined(separator: ", ")
            let marks = Array(repeating: "?", count: layout.names.count).joined(separator: ", ")
            insert = try database.prepare("INSERT INTO \(table) (\(names)) VALUES (\(marks))")
        }
    }

    // MARK: Opening

    /// Reads the database at `path` into a model with `kinds` (`columnar: false`: every kind
    /// through `Codable`, for tests).
    ///
    /// A kind that declares its columns and has at least `parallelRows` rows is read in pieces
    /// of about `pieceRows` rows on every core (tests make both small).
    static func load(from path: String, kinds: [any AnyRecordKind], columnar: Bool = true,
                     parallelRows: Int = 50_000, pieceRows: Int = 16_384) throws -> Workspace.Loaded {
        let fileIdentity = identity(of: path)
        let database = try SQLiteDatabase(path: path, name: path, create: false)
        func bad(_ reason: String) -> ValleyError { .badWorkspace(path: path, reason: reason) }
        let meta: [String: String]
        do {
            meta = try strings(database, "SELECT key, value FROM valley_meta")
        } catch {
            throw bad("a SQLite database but not a Valley workspace (no valley_meta table)")
        }
        guard meta["format"] == Workspace.formatName else {
            throw bad("format is '\(meta["format"] ?? "")', expected '\(Workspace.formatName)'")
        }
        guard let stored = meta["version"].flatMap(Int.init), (1...version).contains(stored) else {
            throw bad("database version \(meta["version"] ?? "?") is not supported (this valley reads version \(version))")
        }
        var storedKinds: [String: (owner: String, version: Int, records: Int)] = [:]
        var kindOrder: [String] = []
        let kindRows = try database.prepare("SELECT kind, plugin, schema_version, records FROM valley_kinds ORDER BY rowid")
        while try kindRows.step() {
            let name = kindRows.text(0)
            guard !isReserved(name) else { continue }
            storedKinds[name] = (kindRows.text(1), kindRows.integer(2), kindRows.integer(3))
            kindOrder.append(name)
        }
        let tables = Set(try strings(database, "SELECT name, type FROM sqlite_schema WHERE type = 'table'").keys)
        let codes = tables.contains { $0.lowercased() == "valley_json" } ? try JSONCodes(database: database, path: path) : JSONCodes()

        var model = ClusterModel(kinds: kinds)
        var notices: [String] = []
        do {
            // Kinds in the order of their references: each record's references are checked as
            // it is inserted, and no pass over the whole model follows. Kinds that refer to each
            // other in a cycle are loaded first and checked at the end instead.
            let ordered = ClusterModel.dependencyOrder(kinds)
            let loadKinds = { (model: inout ClusterModel) throws in
                for kind in ordered ?? kinds {
                    guard let stored = storedKinds[kind.name], tables.contains(kind.name) else { continue }
                    var reader = TableReader(database: database, path: path, identity: fileIdentity, codes: codes, storedVersion: stored.version, expected: stored.records, columnar: columnar,
                                             parallelRows: parallelRows, pieceRows: pieceRows, model: model)
                    model = ClusterModel()  // the reader holds the only reference while it inserts
                    defer { model = reader.model }
                    try kind.accept(&reader)
                }
            }
            if ordered != nil {
                try model.loadCheckingEachRecord(loadKinds)
            } else {
                try model.load(loadKinds)
            }
        } catch let error as ValleyError {
            switch error {
            case .badWorkspace, .interrupted, .file: throw error
            default: throw bad(ValleyError.describe(error))  // a reference checked at the end
            }
        } catch {
            throw bad(ValleyError.describe(error))  // a plugin's own error (from a migration, say)
        }
        let known = Set(kinds.map(\.name))
        for name in kindOrder where !known.contains(name) {
            guard let stored = storedKinds[name], tables.contains(name) else { continue }
            let records = try jsonRows(of: name, in: database, codes: codes, path: path)
            model.keep(KeptSection(records: records, owner: stored.owner, schemaVersion: stored.version), as: name)
            notices.append(Workspace.keptNotice(path: path, kind: name, count: records.count, owner: stored.owner))
        }
        for table in tables.sorted() where storedKinds[table] == nil && !table.hasPrefix("valley_") && !table.hasPrefix("sqlite_") {
            notices.append("\(path): ignored table '\(table)' (not a record kind of this workspace; the next save does not keep it)")
        }
        return Workspace.Loaded(model: model, notices: notices)
    }

    /// Reads one kind's rows into the model through its validation.
    struct TableReader: RecordKindVisitor {
        let database: SQLiteDatabase
        let path: String
        /// The file's identity when it was opened (see `checkUnchanged`).
        let identity: [Int]
        let codes: JSONCodes
        let storedVersion: Int
        let expected: Int
        let columnar: Bool
        let parallelRows: Int
        let pieceRows: Int
        var model: ClusterModel

        mutating func visit<R: Record>(_ kind: RecordKind<R>) throws {
            let name = kind.name
            func bad(_ row: Int, _ reason: String) -> ValleyError {
                .badWorkspace(path: path, reason: "\(name) row \(row): \(reason)")
            }
            if storedVersion != kind.schemaVersion {
                let records = try kind.migrated(try SQLiteWorkspace.jsonRows(of: name, in: database, codes: codes, path: path), from: storedVersion, path: path)
                for (index, record) in records.enumerated() { try insert(record, row: index + 1, kind: kind) }
                return
            }
            let (statement, layout, order) = try SQLiteWorkspace.selectAll(name, in: database, codes: codes)
            // The count in valley_kinds is the file's word; the table's own count bounds it.
            let rows = (try? SQLiteWorkspace.strings(database, "SELECT count(*), 0 FROM \(SQLiteDatabase.quote(name))").keys.first.flatMap { Int($0) }) ?? 0
            model.reserve(R.self, capacity: max(0, min(expected, rows)))
            if columnar, let type = R.self as? any ColumnCodable.Type {
                if rows >= parallelRows, let order,
                   let pieces = try SQLiteWorkspace.pieces(of: name, rows: rows, pieceRows: pieceRows, order: order, columns: type.storedColumns, layout: layout, in: database, path: path) {
                    try type.insertRows(fromPieces: pieces, into: &model)
                    try SQLiteWorkspace.checkUnchanged(path: path, since: identity)
                    return
                }
                return try readColumnar(type, name: name, statement: statement, layout: layout)
            }
            var row = 0
            while try statement.step() {
                row += 1
                if row & 4095 == 0 { try Interruption.check() }  // Ctrl-C cancels a long open
                let record: R
                do {
                    record = try R(from: RowDecoder(statement: statement, layout: layout))
                } catch let error as DecodingError {
                    throw bad(row, SQLiteWorkspace.describe(error))
                }
                try insert(record, row: row, kind: kind)
            }
        }

        /// Reads a kind that declares its columns: by position, no `Codable` containers.
        private mutating func readColumnar<C: ColumnCodable>(_ type: C.Type, name: String, statement: SQLiteStatement, layout: ReadLayout) throws {
            let reader = StatementReader(statement: statement, columns: C.storedColumns, layout: layout, path: path, table: name)
            try C.insertRows(from: reader, into: &model)
        }

        private mutating func insert<T: Record>(_ record: T, row: Int, kind: RecordKind<T>) throws {
            do {
                try model.insert(record)
            } catch let error as ValleyError {
                throw ValleyError.badWorkspace(path: path, reason: "\(kind.name) row \(row) (id '\(ValleyError.clip(record.id))'): \(ValleyError.describe(error))")
            }
        }
    }

    /// Every row of a table in the order it was written, and its columns with their declared
    /// storage. Rows come by row id, under whichever of SQLite's names for it (`rowid`,
    /// `_rowid_`, `oid`) no field of the kind has taken. A column that references
    /// `valley_json` holds JSON by code.
    static func selectAll(_ table: String, in database: SQLiteDatabase, codes: JSONCodes) throws -> (statement: SQLiteStatement, layout: ReadLayout, order: String?) {
        var declared: [String: ColumnStorage] = [:]
        let info = try database.prepare("PRAGMA table_info(\(SQLiteDatabase.quote(table)))")
        while try info.step() { declared[info.text(1)] = ColumnStorage(declared: info.text(2)) }
        var coded: Set<String> = []
        let references = try database.prepare("PRAGMA foreign_key_list(\(SQLiteDatabase.quote(table)))")
        while try references.step() {
            if references.text(2).lowercased() == "valley_json" { coded.insert(references.text(3)) }
        }
        if let column = coded.sorted().first, !codes.loaded {
            throw ValleyError.badWorkspace(path: database.name, reason: "\(table).\(column) refers to valley_json, which the file does not have")
        }
        for name in coded { declared[name] = .json }
        let taken = Set(declared.keys.map { $0.lowercased() })
        let order = ["_rowid_", "rowid", "oid"].first { !taken.contains($0) }
        let statement = try database.prepare("SELECT * FROM \(SQLiteDatabase.quote(table))" + (order.map { " ORDER BY \($0)" } ?? ""))
        let names = (0..<statement.columnCount).map { statement.columnName($0) }
        let layout = ReadLayout(names: names, storage: names.map { declared[$0] ?? .untyped }, coded: names.map { coded.contains($0) }, codes: codes)
        return (statement, layout, order)
    }

    /// `table`'s rows in pieces of about `pieceRows` row ids, read through connections of their
    /// own; nil when the row ids are too sparse to split usefully.
    static func pieces(of table: String, rows count: Int, pieceRows: Int, order: String, columns: [(name: String, type: ColumnType)], layout: ReadLayout,
                       in database: SQLiteDatabase, path: String) throws -> SQLitePieces? {
        let quoted = SQLiteDatabase.quote(order)
        let bounds = try database.prepare("SELECT min(\(quoted)), max(\(quoted)) FROM \(SQLiteDatabase.quote(table))")
        guard try bounds.step(), case let .integer(low) = bounds.column(0), case let .integer(high) = bounds.column(1),
              high >= low else { return nil }
        // Row ids anywhere in SQLite's range (a hand-made file): the span is computed without
        // overflow, and a sparse table (gaps of more than three rows in four) is read row by row.
        let (gap, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, gap < 4 * count else { return nil }
        let pieceCount = max(2, count / max(1, pieceRows))
        let starts = (0..<pieceCount).map { low + Int((Double(gap + 1) * Double($0) / Double(pieceCount)).rounded(.down)) }
        return SQLitePieces(path: path, table: table, order: order, starts: starts, columns: columns,
                            names: layout.names, storage: layout.storage, coded: layout.coded, codes: layout.codes)
    }

    /// The file's identity: a save that replaced it (a rename) gives another.
    static func identity(of path: String) -> [Int] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
    }

    /// Throws when the file at `path` is no longer the one opened: the pieces read through new
    /// connections would then have come from another file.
    static func checkUnchanged(path: String, since identity: [Int]) throws {
        guard Self.identity(of: path) == identity else {
            throw ValleyError.badWorkspace(path: path, reason: "was replaced while it was opened; open it again")
        }
    }

    /// A table's rows as JSON objects (for a kind kept without its plugin, or migrated):
    /// null columns are left out, JSON columns parsed, booleans made booleans again.
    static func jsonRows(of table: String, in database: SQLiteDatabase, codes: JSONCodes, path: String) throws -> [JSONValue] {
        let (statement, layout, _) = try selectAll(table, in: database, codes: codes)
        let decoder = JSONDecoder()
        var records: [JSONValue] = []
        var row = 0
        while try statement.step() {
            row += 1
            if row & 4095 == 0 { try Interruption.check() }
            var fields: [String: JSONValue] = [:]
            for (index, name) in layout.names.enumerated() {
                var value = statement.column(Int32(index))
                if let code = layout.code(statement, Int32(index)) {
                    do {
                        value = .text(try layout.text(ofCode: code))
                    } catch {
                        throw ValleyError.badWorkspace(path: path, reason: "\(table) row \(row), column \(name): \(error.reason)")
                    }
                }
                switch (value, layout.storage[index]) {
                case (.null, _): continue
                case let (.integer(number), .boolean) where number == 0 || number == 1: fields[name] = .bool(number == 1)
                case let (.text(text), .json):
                    do {
                        fields[name] = try decoder.decodeChecked(JSONValue.self, from: Data(text.utf8))
                    } catch {
                        throw ValleyError.badWorkspace(path: path, reason: "\(table) row \(row), column \(name): not valid JSON")
                    }
                case let (.integer(number), _): fields[name] = .integer(number)
                case let (.real(number), _): fields[name] = .number(number)
                case let (.text(text), _): fields[name] = .string(text)
                }
            }
            records.append(.object(fields))
        }
        return records
    }

    /// A decoding error as the column and what was wrong with its value.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            let place = context.codingPath.map(\.stringValue).joined(separator: ".")
            return place.isEmpty ? context.debugDescription : "\(place): \(context.debugDescription)"
        case let .keyNotFound(key, _):
            return "\(key.stringValue) is missing"
        @unknown default:
            return Workspace.describe(error)
        }
    }

    /// A two-column query as a dictionary of its text.
    static func strings(_ database: SQLiteDatabase, _ sql: String) throws -> [String: String] {
        let statement = try database.prepare(sql)
        var result: [String: String] = [:]
        while try statement.step() { result[statement.text(0)] = statement.text(1) }
        return result
    }
}
