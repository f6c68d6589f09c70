import Foundation
import XCTest
import ValleyCore
import ValleyShell
import ValleyTestSupport
@testable import ValleyWorkspace

// Kinds only these tests declare: every sort of field (an optional left out, a boolean, a
// fraction, a list, a nested value), at two schema versions.

/// Version 2 of the `samples` kind: version 1 called `label` `title`.
struct Sample: Record {
    struct Window: Codable, Hashable, Sendable {
        var from: Int
        var to: Int
    }

    var id: String
    var label: String
    var flag: Bool
    var ratio: Double
    var count: Int?
    var tags: [String]
    var window: Window?

    static let kind = RecordKind<Sample>(
        name: "samples", label: "sample", owner: "samples", schemaVersion: 2,
        migrate: { record, from in
            guard from < 2, case var .object(fields) = record else { return }
            if let title = fields.removeValue(forKey: "title") { fields["label"] = title }
            record = .object(fields)
        },
        validate: { sample in
            guard sample.ratio >= 0 else { throw ValleyError.invalidValue(field: "ratio", value: "\(sample.ratio)", expected: "a fraction of at least 0") }
        })
}

/// Version 1 of `samples`, as an older plugin wrote it.
struct SampleV1: Record {
    var id: String
    var title: String
    var flag: Bool
    var ratio: Double
    var tags: [String]

    static let kind = RecordKind<SampleV1>(name: "samples", label: "sample", owner: "samples", schemaVersion: 1)
}

/// `samples` at version 3 with no migration declared: older files cannot be brought to it.
struct SampleV3: Record {
    var id: String
    var label: String

    static let kind = RecordKind<SampleV3>(name: "samples", label: "sample", owner: "samples", schemaVersion: 3)
}

final class WorkspaceFileTests: XCTestCase {
    /// Opening shares a long text value rows repeat (a park) as one string, gives every value
    /// as `String(decoding:)` would (invalid UTF-8 repaired alike), and stops looking values
    /// up in a column of mostly distinct ones.
    func testOpenSharesRepeatedTextOnlyWhereItRepeats() {
        func storage(_ text: String) -> UnsafePointer<UInt8>? {
            var text = text
            return text.withUTF8 { $0.baseAddress }
        }
        var memo = TextMemo()
        let park = Array("Jiangbei New Area Biotech Park".utf8)
        let first = park.withUnsafeBufferPointer { memo.text($0) }
        let second = park.withUnsafeBufferPointer { memo.text($0) }
        XCTAssertEqual(first, "Jiangbei New Area Biotech Park")
        XCTAssertEqual(storage(first), storage(second), "one string for the repeated value")
        let invalid: [UInt8] = Array("a long enough value ".utf8) + [0xFF, 0xC3]
        XCTAssertEqual(Array(invalid.withUnsafeBufferPointer { memo.text($0) }.utf8), Array(String(decoding: invalid, as: UTF8.self).utf8))
        XCTAssertEqual(Array(invalid.withUnsafeBufferPointer { memo.text($0) }.utf8), Array(String(decoding: invalid, as: UTF8.self).utf8))
        XCTAssertFalse(memo.isOff)
        var distinct = TextMemo()
        for index in 0..<5_000 {
            let value = Array("distinct company name \(index)".utf8)
            XCTAssertEqual(value.withUnsafeBufferPointer { distinct.text($0) }, "distinct company name \(index)")
        }
        XCTAssertTrue(distinct.isOff, "mostly distinct values: no more lookups")
    }

    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "valley-workspace-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    var sampleKinds: [any AnyRecordKind] { recordKinds() + [Sample.kind] }

    /// The built-in data plus samples with every sort of field.
    func sampleModel() throws -> ClusterModel {
        var model = ClusterModel(kinds: sampleKinds)
        let base = defaultModel()
        try model.load { model in
            for table in base.allTables {
                var copier = Copier(from: base, into: model)
                try table.kind.accept(&copier)
                model = copier.model
            }
            try model.insert(Sample(id: "a", label: "plain", flag: true, ratio: 0.25, count: nil, tags: [], window: nil))
            try model.insert(Sample(id: "b", label: "quote \" back\\slash\nline 細胞", flag: false, ratio: 2, count: -3,
                                    tags: ["x", "y \"z\"", "\u{1}"], window: .init(from: 1, to: 2)))
            try model.insert(Sample(id: "c", label: "big", flag: true, ratio: 1e300, count: Int.max, tags: ["中文"], window: nil))
        }
        _ = model
        return model
    }

    struct Copier: RecordKindVisitor {
        let from: ClusterModel
        var model: ClusterModel
        init(from: ClusterModel, into model: ClusterModel) {
            self.from = from
            self.model = model
        }
        mutating func visit<R: Record>(_ kind: RecordKind<R>) throws {
            for record in from[R.self] { try model.insert(record) }
        }
    }

    // MARK: Round trips

    func testEveryFieldRoundTripsThroughBothFormsAndTheBytesAreStable() throws {
        let model = try sampleModel()
        let database = path("w.valley"), json = path("w.json"), again = path("again.valley"), viaJSON = path("via-json.valley")
        try WorkspaceFile.save(model, to: database, format: .sqlite)
        XCTAssertEqual(try WorkspaceFile.format(of: database), .sqlite)
        let loaded = try WorkspaceFile.load(from: database, kinds: sampleKinds)
        XCTAssertEqual(loaded.model, model)
        XCTAssertEqual(loaded.notices, [])
        XCTAssertEqual(loaded.model[Sample.self][id: "b"]?.tags, ["x", "y \"z\"", "\u{1}"])
        XCTAssertEqual(loaded.model[Sample.self][id: "c"]?.count, Int.max)

        try WorkspaceFile.save(loaded.model, to: again, format: .sqlite)
        XCTAssertEqual(try bytes(again), try bytes(database), "save → open → save writes the same bytes")

        try WorkspaceFile.save(model, to: json, format: .json)
        XCTAssertEqual(try WorkspaceFile.format(of: json), .json)
        let fromJSON = try WorkspaceFile.load(from: json, kinds: sampleKinds)
        XCTAssertEqual(fromJSON.model, model)
        try WorkspaceFile.save(fromJSON.model, to: viaJSON, format: .sqlite)
        XCTAssertEqual(try bytes(viaJSON), try bytes(database), "the JSON form carries everything the database does")
    }

    func testTheColumnarPathWritesAndReadsExactlyWhatCodableDoes() throws {
        var model = try sampleModel()
        // Every sort of enterprise field: all empty, all set, escapes, designations and listings.
        try model.insert(Enterprise(id: "full", nameEN: "Full \"Co\"", nameZH: "全\n称", aliases: ["a", "b\\c"], creditCode: nil,
                                    founded: CalendarDate("2019-03-01"), status: .merged, sectors: ["cell-therapy", "cro-cdmo"],
                                    park: "NJBPV", region: "Jiangbei", designations: [Designation(name: "little giant", tier: "national", granted: CalendarDate("2021"), source: "seed-efec-2025")],
                                    listings: [Listing(exchange: "HKEX", ticker: "1.HK", date: CalendarDate("2020-07-01"), source: "seed-efec-2025")],
                                    headcount: 0, sources: ["seed-efec-2025"], asOf: CalendarDate("2025"), note: "tab\there",
                                    registration: Registration(legalRepresentative: "张\"三", registeredCapital: Money(amount: 1234.5, unit: "万", currency: "CNY", text: "1234.5万元"),
                                                               paidInCapital: Money(amount: 0, currency: "USD", text: "0"), city: "南京", businessScope: "a\nb")))
        try model.insert(Enterprise(id: "bare", nameZH: "裸", sources: []))
        try model.insert(Enterprise(id: "twin", nameEN: "Twin", designations: model.enterprises.first { $0.id == "full" }!.designations, sources: ["seed-efec-2025"]))
        let columnar = path("columnar.valley"), codable = path("codable.valley")
        try SQLiteWorkspace.save(model, to: columnar, columnar: true)
        try SQLiteWorkspace.save(model, to: codable, columnar: false)
        XCTAssertEqual(try bytes(columnar), try bytes(codable), "the same file from either path")
        let loaded = try SQLiteWorkspace.load(from: columnar, kinds: sampleKinds, columnar: true).model
        XCTAssertEqual(loaded, model)
        // Rows that give one code share one decoded value (each code is decoded once).
        let full = try XCTUnwrap(loaded.enterprises.first { $0.id == "full" }), twin = try XCTUnwrap(loaded.enterprises.first { $0.id == "twin" })
        XCTAssertEqual(full.designations.withUnsafeBufferPointer(\.baseAddress), twin.designations.withUnsafeBufferPointer(\.baseAddress))
        XCTAssertEqual(try SQLiteWorkspace.load(from: columnar, kinds: sampleKinds, columnar: false).model, model)
    }

    func testTheSchemaIsTypedAndReadableBySQLite3() throws {
        let model = try sampleModel()
        let database = path("w.valley")
        try WorkspaceFile.save(model, to: database, format: .sqlite)
        let sqlite = try XCTUnwrap(["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "sqlite3 is needed (the README's test command installs it)")
        func query(_ sql: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sqlite)
            process.arguments = [database, sql]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, sql)
            return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try query("SELECT count(*) FROM enterprises"), String(model.enterprises.count))
        XCTAssertEqual(try query("SELECT value FROM valley_meta WHERE key = 'format'"), "valley-workspace")
        XCTAssertEqual(try query("SELECT plugin || ' ' || schema_version || ' ' || records FROM valley_kinds WHERE kind = 'samples'"), "samples 2 3")
        // Column types: scalars typed, lists and nested values codes into valley_json, optional
        // fields present even when no record has one.
        let columns = try query("SELECT name || ':' || type FROM pragma_table_info('samples')").split(separator: "\n").map(String.init)
        XCTAssertEqual(columns, ["id:TEXT", "label:TEXT", "flag:BOOLEAN", "ratio:REAL", "count:INTEGER", "tags:INTEGER", "window:INTEGER"])
        XCTAssertEqual(try query("SELECT group_concat(\"from\") FROM (SELECT \"from\" FROM pragma_foreign_key_list('samples') WHERE \"table\" = 'valley_json' ORDER BY 1)"), "tags,window")
        XCTAssertTrue(try query("SELECT group_concat(name) FROM pragma_table_info('enterprises')").contains("headcount"))
        XCTAssertEqual(try query("SELECT typeof(flag) || typeof(ratio) || typeof(count) FROM samples WHERE id = 'b'"), "integerrealinteger")
        XCTAssertEqual(try query("SELECT json_extract(j.json, '$.to') FROM samples JOIN valley_json AS j ON j.id = samples.window WHERE samples.id = 'b'"), "2")
        // Each JSON value is stored once, `[]` as code 0; every code a row holds is in valley_json.
        XCTAssertEqual(try query("SELECT json FROM valley_json WHERE id = 0"), "[]")
        XCTAssertEqual(try query("SELECT count(*) - count(DISTINCT json) FROM valley_json"), "0")
        XCTAssertEqual(try query("SELECT count(*) FROM enterprises WHERE sectors NOT IN (SELECT id FROM valley_json)"), "0")
        XCTAssertEqual(try query("SELECT count(DISTINCT sectors) FROM enterprises"), String(Set(model.enterprises.map(\.sectors)).count))
        // The README's example: enterprises per sector, the list's code looked up and unfolded with json_each.
        let perSector = try query("""
            SELECT s.value, count(*) FROM enterprises JOIN valley_json AS j ON j.id = enterprises.sectors, json_each(j.json) AS s
            GROUP BY s.value ORDER BY s.value
            """)
        var expected: [String: Int] = [:]
        for enterprise in model.enterprises { for sector in enterprise.sectors { expected[sector, default: 0] += 1 } }
        XCTAssertEqual(perSector, expected.sorted { $0.key < $1.key }.map { "\($0.key)|\($0.value)" }.joined(separator: "\n"))
    }

    // MARK: Kinds that come and go

    func testAKindWithoutItsPluginIsKeptAndWrittenBackInEitherForm() throws {
        let model = try sampleModel()
        let database = path("w.valley"), resaved = path("resaved.valley"), json = path("kept.json"), back = path("back.valley")
        try WorkspaceFile.save(model, to: database, format: .sqlite)

        let without = try WorkspaceFile.load(from: database, kinds: recordKinds())
        XCTAssertEqual(without.notices, ["\(database): kept 3 records of 'samples' (plugin 'samples' is not here; they are written back unchanged)"])
        XCTAssertNil(without.model.table(named: "samples"))
        XCTAssertEqual(without.model.enterprises, model.enterprises)
        try WorkspaceFile.save(without.model, to: resaved, format: .sqlite)
        try WorkspaceFile.save(without.model, to: json, format: .json)
        try WorkspaceFile.save(try WorkspaceFile.load(from: json, kinds: recordKinds()).model, to: back, format: .sqlite)

        for file in [resaved, back] {
            let with = try WorkspaceFile.load(from: file, kinds: sampleKinds)
            XCTAssertEqual(with.model, model, "\(file): the kept samples come back whole, with their version")
            XCTAssertEqual(with.notices, [])
        }
    }

    func testKeptRecordsOfMixedShapesComeBackAsTheyWere() throws {
        // A kind no plugin here declares, whose fields change type from record to record: a
        // column first null then a list, a boolean after nulls, a number then text, a field
        // named like SQLite's row id.
        let records: [JSONValue] = [
            .object(["id": .string("a"), "tags": .null, "code": .integer(7), "rowid": .string("z")]),
            .object(["id": .string("b"), "tags": .array([.string("x")]), "ok": .bool(true), "code": .string("007"), "rowid": .string("a")]),
            .object(["id": .string("c"), "ok": .bool(false), "code": .number(2.5), "nested": .object(["k": .array([.integer(1), .null])])]),
            .object([:]),
        ]
        var model = ClusterModel(kinds: recordKinds())
        model.keep(KeptSection(records: records, owner: "elsewhere", schemaVersion: 4), as: "mixed")
        let first = path("first.valley"), second = path("second.valley")
        try WorkspaceFile.save(model, to: first, format: .sqlite)
        let loaded = try WorkspaceFile.load(from: first, kinds: recordKinds())
        let kept = try XCTUnwrap(loaded.model.keptSections["mixed"])
        XCTAssertEqual(kept.owner, "elsewhere")
        XCTAssertEqual(kept.schemaVersion, 4)
        // Explicit nulls are left out (a null column is an absent field); everything else is exact.
        XCTAssertEqual(kept.records, [
            .object(["id": .string("a"), "code": .integer(7), "rowid": .string("z")]),
            .object(["id": .string("b"), "tags": .array([.string("x")]), "ok": .bool(true), "code": .string("007"), "rowid": .string("a")]),
            .object(["id": .string("c"), "ok": .bool(false), "code": .number(2.5), "nested": .object(["k": .array([.integer(1), .null])])]),
            .object([:]),
        ])
        // From then on the file is stable (the first save had the explicit nulls, which move a column).
        let third = path("third.valley")
        try WorkspaceFile.save(loaded.model, to: second, format: .sqlite)
        try WorkspaceFile.save(try WorkspaceFile.load(from: second, kinds: recordKinds()).model, to: third, format: .sqlite)
        XCTAssertEqual(try bytes(third), try bytes(second))
    }

    func testAJSONWorkspaceOpensFromAPipe() throws {
        let json = path("w.json"), fifo = path("pipe")
        try WorkspaceFile.save(defaultModel(), to: json, format: .json)
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let bytes = try bytes(json)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: fifo)
            handle?.write(bytes)
            try? handle?.close()
        }
        writer.start()
        XCTAssertEqual(try WorkspaceFile.load(from: fifo, kinds: recordKinds()).model, defaultModel())
    }

    func testAMissingKindLoadsEmptyAndAForeignTableIsNamed() throws {
        let database = path("w.valley")
        try WorkspaceFile.save(defaultModel(), to: database, format: .sqlite)
        let connection = try SQLiteDatabase(path: database, name: database, create: true)
        try connection.execute("""
            DROP TABLE routes; DELETE FROM valley_kinds WHERE kind = 'routes';
            CREATE TABLE my_notes (text TEXT); INSERT INTO my_notes VALUES ('mine');
            """)
        let loaded = try WorkspaceFile.load(from: database, kinds: recordKinds())
        XCTAssertTrue(loaded.model.table(named: "routes").map { $0.count == 0 } ?? true)
        XCTAssertEqual(loaded.model.enterprises, defaultModel().enterprises)
        XCTAssertEqual(loaded.notices, ["\(database): ignored table 'my_notes' (not a record kind of this workspace; the next save does not keep it)"])
    }

    /// Layout version 1 held each list's JSON text in its row (`JSON` columns, no `valley_json`):
    /// such a file still opens, to the same model.
    func testAFileOfLayoutVersion1Opens() throws {
        let model = try sampleModel()
        let database = path("v1.valley")
        try WorkspaceFile.save(model, to: database, format: .sqlite)
        let connection = try SQLiteDatabase(path: database, name: database, create: true)
        let kinds = try SQLiteWorkspace.strings(connection, "SELECT kind, plugin FROM valley_kinds").keys
        for kind in kinds {
            let table = SQLiteDatabase.quote(kind)
            var columns: [(name: String, type: String)] = []
            let info = try connection.prepare("PRAGMA table_info(\(table))")
            while try info.step() { columns.append((info.text(1), info.text(2))) }
            let coded = Set(try SQLiteWorkspace.strings(connection, "SELECT \"from\", 0 FROM pragma_foreign_key_list('\(kind)')").keys)
            let definitions = columns.map { SQLiteDatabase.quote($0.name) + " " + (coded.contains($0.name) ? "JSON" : $0.type) }
            let values = columns.map { coded.contains($0.name) ? "(SELECT json FROM valley_json WHERE id = \(table).\(SQLiteDatabase.quote($0.name)))" : "\(table).\(SQLiteDatabase.quote($0.name))" }
            try connection.execute("""
                CREATE TABLE old (\(definitions.joined(separator: ", ")));
                INSERT INTO old SELECT \(values.joined(separator: ", ")) FROM \(table) ORDER BY rowid;
                DROP TABLE \(table); ALTER TABLE old RENAME TO \(table);
                """)
        }
        try connection.execute("DROP TABLE valley_json; UPDATE valley_meta SET value = '1' WHERE key = 'version'")
        XCTAssertEqual(try SQLiteWorkspace.strings(connection, "SELECT type, 0 FROM pragma_table_info('enterprises') WHERE name = 'sectors'").keys.first, "JSON")
        XCTAssertEqual(try WorkspaceFile.load(from: database, kinds: sampleKinds).model, model)
        XCTAssertEqual(try SQLiteWorkspace.load(from: database, kinds: sampleKinds, columnar: false).model, model)
    }

    func testAnOlderSchemaVersionIsMigratedANewerOneRefused() throws {
        var old = ClusterModel(kinds: ClusterModel.coreKinds + [SampleV1.kind])
        try old.insert(SampleV1(id: "s1", title: "from version 1", flag: true, ratio: 0.5, tags: ["t"]))
        try old.insert(SampleV1(id: "s2", title: "second", flag: false, ratio: 1, tags: []))
        for format in WorkspaceFormat.allCases {
            let file = path("old-\(format.rawValue)")
            try WorkspaceFile.save(old, to: file, format: format)
            let migrated = try WorkspaceFile.load(from: file, kinds: ClusterModel.coreKinds + [Sample.kind])
            XCTAssertEqual(migrated.model[Sample.self].map(\.label), ["from version 1", "second"], "\(format)")
            XCTAssertEqual(migrated.model[Sample.self][id: "s1"], Sample(id: "s1", label: "from version 1", flag: true, ratio: 0.5, count: nil, tags: ["t"], window: nil))

            XCTAssertThrowsError(try WorkspaceFile.load(from: file, kinds: ClusterModel.coreKinds + [SampleV3.kind]), "\(format)") { error in
                XCTAssertEqual(ValleyError.describe(error), "\(file): not a Valley workspace: its samples are at schema version 1 and this valley (version 3) has no migration from it")
            }
            // A file written by a later valley (version 2) opened by this older one (version 1).
            let newer = path("newer-\(format.rawValue)")
            var model = ClusterModel(kinds: ClusterModel.coreKinds + [Sample.kind])
            try model.insert(Sample(id: "n", label: "new", flag: true, ratio: 1, count: 1, tags: [], window: nil))
            try WorkspaceFile.save(model, to: newer, format: format)
            XCTAssertThrowsError(try WorkspaceFile.load(from: newer, kinds: ClusterModel.coreKinds + [SampleV1.kind])) { error in
                XCTAssertTrue(ValleyError.describe(error).contains("samples are at schema version 2, newer than this valley's 1"), ValleyError.describe(error))
            }
        }
    }

    /// Records whose park, designations and sources are stored alike share one box of them once
    /// opened; each reads its own values, and the model is the one saved.
    func testOpenSharesTheFieldsRecordsRepeat() throws {
        var model = defaultModel()
        let designation = Designation(name: "little giant", tier: "national", granted: CalendarDate(year: 2023), source: "seed-efec-2025")
        for index in 0..<6 {
            try model.insert(Enterprise(id: "o\(index)", nameEN: "Open \(index)", park: index == 4 ? "Other Park" : "Jiangbei New Area Biotech Park",
                                        designations: index == 5 ? [] : [designation], sources: ["seed-efec-2025"]))
        }
        let database = path("shared.valley")
        try WorkspaceFile.save(model, to: database, format: .sqlite)
        let opened = try SQLiteWorkspace.load(from: database, kinds: recordKinds(), parallelRows: .max).model
        XCTAssertEqual(opened, model)
        func row(_ index: Int) -> Enterprise { opened.enterprises[id: "o\(index)"]! }
        XCTAssertTrue(row(0).sharesFields(with: row(3)))
        XCTAssertFalse(row(0).sharesFields(with: row(4)))
        XCTAssertFalse(row(0).sharesFields(with: row(5)))
        XCTAssertEqual(row(4).park, "Other Park")
        XCTAssertEqual(row(5).designations, [])
        XCTAssertEqual(row(3).designations, [designation])
    }

    /// Lists that rows repeat are read once and shared; every text still reads as itself.

    func testListsRowsRepeatAreSharedAndReadAsThemselves() {
        var memo = ListMemo()
        func read(_ text: String) -> [String]? {
            var text = text
            return text.withUTF8 { memo.list($0, parse: JSONText.parseStrings(bytes:)) }
        }
        let first = read(#"["cell-therapy","gene-therapy"]"#), again = read(#"["cell-therapy","gene-therapy"]"#)
        XCTAssertEqual(first, ["cell-therapy", "gene-therapy"])
        XCTAssertEqual(first?.withUnsafeBufferPointer(\.baseAddress), again?.withUnsafeBufferPointer(\.baseAddress), "one array for both rows")
        XCTAssertEqual(read(#"["gene-therapy","cell-therapy"]"#), ["gene-therapy", "cell-therapy"])
        XCTAssertEqual(read("[]"), [])
        XCTAssertNil(read(#"["a",1]"#), "a text that is no list of strings reads as none")
        // Past the memo's size, texts are still read, each as itself.
        for index in 0..<1_500 { XCTAssertEqual(read("[\"s\(index)\"]"), ["s\(index)"]) }
        for index in stride(from: 0, to: 1_500, by: 7) { XCTAssertEqual(read("[\"s\(index)\"]"), ["s\(index)"]) }
    }

    // MARK: Bad files

    /// A large kind is read in pieces on every core: the same model as reading it row by row,
    /// with gaps in the row ids, and the same first error, named by the same row.
    func testAPieceWiseOpenReadsWhatTheSequentialOneReads() throws {
        var model = defaultModel()
        for index in 0..<3000 {
            try model.insert(Enterprise(id: "p\(index)", nameEN: "Piece \(index)", nameZH: index % 7 == 0 ? "片\(index)" : nil,
                                        founded: CalendarDate(year: 1990 + index % 30, month: 1 + index % 12),
                                        sectors: index % 3 == 0 ? ["cell-therapy", "gene-therapy"] : index % 3 == 1 ? ["gene-therapy"] : ["cell-therapy"],
                                        headcount: index, sources: ["seed-efec-2025"], note: index % 5 == 0 ? "note, \"\(index)\"" : nil))
        }
        let database = path("pieces.valley")
        try WorkspaceFile.save(model, to: database, format: .sqlite)
        func sequential(_ file: String) throws -> ClusterModel {
            try SQLiteWorkspace.load(from: file, kinds: recordKinds(), parallelRows: .max).model
        }
        func piecewise(_ file: String) throws -> ClusterModel {
            try SQLiteWorkspace.load(from: file, kinds: recordKinds(), parallelRows: 100, pieceRows: 250).model
        }
        XCTAssertEqual(try piecewise(database), model)
        XCTAssertEqual(try sequential(database), model)

        let sparse = path("sparse.valley")
        try FileManager.default.copyItem(atPath: database, toPath: sparse)
        try SQLiteDatabase(path: sparse, name: sparse, create: true).execute("DELETE FROM enterprises WHERE rowid % 3 = 0 AND rowid > 40")
        let thinned = try sequential(sparse)
        XCTAssertLessThan(thinned.enterprises.count, model.enterprises.count - 900)
        XCTAssertEqual(try piecewise(sparse), thinned)

        // Row ids at the ends of SQLite's range (a hand-made file) are read, not trapped on.
        for (index, sql) in ["UPDATE enterprises SET rowid = 9223372036854775807 WHERE rowid = 3000",
                             "UPDATE enterprises SET rowid = -9223372036854775808 WHERE rowid = 1"].enumerated() {
            let copy = path("extreme\(index).valley")
            try FileManager.default.copyItem(atPath: database, toPath: copy)
            try SQLiteDatabase(path: copy, name: copy, create: true).execute(sql)
            XCTAssertEqual(try piecewise(copy).enterprises.count, model.enterprises.count, sql)
            XCTAssertEqual(try piecewise(copy), try sequential(copy), sql)
        }

        for (index, sql) in ["UPDATE enterprises SET headcount = -5 WHERE rowid = 2500",
                             "UPDATE enterprises SET headcount = 'many' WHERE rowid = 1800",
                             "UPDATE enterprises SET id = 'p5' WHERE rowid = 2900",
                             "UPDATE enterprises SET sectors = '[\"none\"]' WHERE rowid = 2990"].enumerated() {
            let copy = path("bad-piece\(index).valley")
            try FileManager.default.copyItem(atPath: database, toPath: copy)
            try SQLiteDatabase(path: copy, name: copy, create: true).execute(sql)
            var expected = "", found = ""
            XCTAssertThrowsError(try sequential(copy), sql) { expected = ValleyError.describe($0) }
            XCTAssertThrowsError(try piecewise(copy), sql) { found = ValleyError.describe($0) }
            XCTAssertEqual(found, expected, sql)
            XCTAssertTrue(expected.contains("enterprises row"), expected)
        }
    }

    func testABadRowIsRefusedWithItsPlaceAndNothingIsOpened() throws {
        let database = path("w.valley")
        try WorkspaceFile.save(defaultModel(), to: database, format: .sqlite)
        let cases: [(sql: String, message: String)] = [
            ("UPDATE enterprises SET headcount = -5 WHERE rowid = 2", "enterprises row 2 (id 'wuxi-apptec'): invalid headcount '-5'"),
            ("UPDATE enterprises SET headcount = 'many' WHERE rowid = 1", "enterprises row 1: headcount: expected a whole number, found 'many'"),
            ("UPDATE enterprises SET sectors = '[\"cell-therapy\"' WHERE rowid = 3", "enterprises row 3: sectors:"),
            ("UPDATE enterprises SET id = 'iaso-bio' WHERE rowid = 2", "enterprises row 2 (id 'iaso-bio'):"),
            ("UPDATE enterprises SET sectors = '[\"no-such-sector\"]' WHERE rowid = 1", "no-such-sector"),
            ("UPDATE enterprises SET sectors = 99999 WHERE rowid = 3", "enterprises row 3: sectors: 99999 is not a code in valley_json"),
            ("UPDATE valley_json SET json = '[' WHERE id = (SELECT listings FROM enterprises WHERE rowid = 3)", "enterprises row 3: listings:"),
            ("DROP TABLE valley_json", "sectors.aliases refers to valley_json, which the file does not have"),
            ("ALTER TABLE valley_json RENAME COLUMN json TO text", "valley_json: expected the columns id and json"),
            ("""
             CREATE TABLE j AS SELECT * FROM valley_json; INSERT INTO j SELECT id, '[1]' FROM valley_json WHERE id = 0;
             DROP TABLE valley_json; ALTER TABLE j RENAME TO valley_json
             """, "valley_json: code 0 appears twice"),
            ("UPDATE legs SET duration = '1000000008h' WHERE rowid = 1", "legs row 1"),
            ("UPDATE enterprises SET nameEN = NULL, nameZH = NULL WHERE rowid = 1", "enterprises row 1 (id 'iaso-bio'): invalid name"),
            ("UPDATE valley_meta SET value = '9' WHERE key = 'version'", "database version 9 is not supported"),
            ("DROP TABLE valley_meta", "a SQLite database but not a Valley workspace"),
        ]
        for (index, (sql, message)) in cases.enumerated() {
            let copy = path("bad\(index).valley")
            try FileManager.default.copyItem(atPath: database, toPath: copy)
            try SQLiteDatabase(path: copy, name: copy, create: true).execute(sql)
            XCTAssertThrowsError(try WorkspaceFile.load(from: copy, kinds: recordKinds()), sql) { error in
                let text = ValleyError.describe(error)
                XCTAssertTrue(text.hasPrefix("\(copy): "), text)
                XCTAssertTrue(text.contains(message), "\(sql): \(text)")
            }
        }
        // A truncated database and a file that is neither form.
        let whole = try bytes(database)
        let truncated = path("truncated.valley")
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: truncated))
        XCTAssertThrowsError(try WorkspaceFile.load(from: truncated, kinds: recordKinds()))
        let text = path("notes.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try WorkspaceFile.load(from: text, kinds: recordKinds())) { error in
            XCTAssertEqual(ValleyError.describe(error), "\(text): not a Valley workspace: not valid JSON (truncated or corrupt)")
        }
    }

    // MARK: The file itself

    func testSavingKeepsTheModeWritesThroughSymlinksAndRefusesNonFiles() throws {
        let model = defaultModel()
        for format in WorkspaceFormat.allCases {
            let file = path("private-\(format.rawValue)")
            try WorkspaceFile.save(model, to: file, format: format)
            XCTAssertEqual(chmod(file, 0o600), 0)
            try WorkspaceFile.save(model, to: file, format: format)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int, 0o600, "\(format): the mode is kept")

            let target = path("target-\(format.rawValue)"), link = path("link-\(format.rawValue)")
            try Data("old".utf8).write(to: URL(fileURLWithPath: target))
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target-\(format.rawValue)")
            try WorkspaceFile.save(model, to: link, format: format)
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "target-\(format.rawValue)", "the link stays a link")
            XCTAssertEqual(try WorkspaceFile.load(from: target, kinds: recordKinds()).model, model, "the link's target is the workspace")

            let fifo = path("fifo-\(format.rawValue)")
            XCTAssertEqual(mkfifo(fifo, 0o644), 0)
            XCTAssertThrowsError(try WorkspaceFile.save(model, to: fifo, format: format)) { error in
                XCTAssertEqual(ValleyError.describe(error), "\(fifo): is a FIFO, not a regular file; nothing was written")
            }
            XCTAssertThrowsError(try WorkspaceFile.save(model, to: "/dev/null", format: format)) { error in
                XCTAssertEqual(ValleyError.describe(error), "/dev/null: is a character device, not a regular file; nothing was written")
            }
            XCTAssertThrowsError(try WorkspaceFile.save(model, to: directory, format: format)) { error in
                XCTAssertTrue(ValleyError.describe(error).contains("is a directory, not a regular file"), ValleyError.describe(error))
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertEqual(names.filter { $0.contains(".tmp-") }, [], "no temporary file is left behind")
    }
}
