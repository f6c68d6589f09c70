import Foundation
import XCTest
import ValleyCore
import ValleyTestSupport
@testable import ValleyShell
@testable import EnterpriseRegistry

final class RegistryTests: XCTestCase {
    let header = "id,name,name_zh,credit_code,founded,sectors,designations,headcount\n"

    func csv(_ harness: SessionHarness, _ name: String, _ body: String, bom: Bool = false) throws -> String {
        let path = harness.path(name)
        let bytes: [UInt8] = (bom ? [0xEF, 0xBB, 0xBF] : []) + Array((header + body).utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    /// A session that imported `text`, written to a file `name`, without errors.
    func sessionImporting(_ name: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> SessionHarness {
        let harness = SessionHarness()
        let path = harness.path(name)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)), file: file, line: line)
        harness.run(["registry import \(path)"])
        XCTAssertEqual(harness.errors, [], file: file, line: line)
        return harness
    }

    func testImportIsAllOrNothingAndNamesTheLine() throws {
        let harness = SessionHarness()
        let before = harness.session.model
        let file = try csv(harness, "bad.csv", "a1,Alpha,,,2015,cell-therapy,,\na2,Beta,,,2015-13,cell-therapy,,\n")
        harness.run(["registry import \(file)"])
        XCTAssertEqual(harness.session.model, before)
        XCTAssertEqual(harness.errorLines, ["test.valley:1: error: \(file):3: invalid founded '2015-13': expected a date such as 2019-03-01, 2019/3/1, 2019年3月1日 or 20190301"])
    }

    /// Rows are read on one core and inserted on another, in batches: the first bad row and a
    /// broken quote thousands of rows in are still named by their lines, with nothing imported,
    /// and --skip-bad imports every other row in the file's order.
    func testImportAcrossBatchesNamesTheLineAndKeepsTheOrder() throws {
        let harness = SessionHarness()
        let before = harness.session.model
        func rows(_ range: Range<Int>) -> String { range.map { "b\($0),Batch \($0),,,2015,cell-therapy,,\($0)\n" }.joined() }
        let badRow = try csv(harness, "bad-row.csv", rows(0..<3_000) + "b3000,Bad,,,2015-13,cell-therapy,,\n" + rows(3_001..<5_000))
        let brokenQuote = try csv(harness, "quote.csv", rows(0..<4_100) + "b4100,\"open,,,,,,\n" + rows(4_101..<4_200))
        harness.run(["registry import \(badRow)", "registry import \(brokenQuote)"])
        XCTAssertEqual(harness.session.model, before)
        XCTAssertEqual(harness.errorLines.count, 2, harness.stderr)
        XCTAssertTrue(harness.stderr.contains("\(badRow):3002: invalid founded '2015-13'"), harness.stderr)
        XCTAssertTrue(harness.stderr.contains("\(brokenQuote):4102: unbalanced quote"), harness.stderr)

        let skipping = SessionHarness()
        let file = try csv(skipping, "skip.csv", rows(0..<3_000) + "b3000,Bad,,,2015-13,cell-therapy,,\n" + rows(3_001..<5_000))
        skipping.run(["registry import \(file) --skip-bad"])
        let imported = skipping.session.model.enterprises.all.filter { $0.id.hasPrefix("b") && $0.id != "bgi" }
        XCTAssertEqual(imported.map(\.id), (0..<5_000).filter { $0 != 3_000 }.map { "b\($0)" })
        XCTAssertEqual(imported.map(\.headcount), (0..<5_000).filter { $0 != 3_000 }.map { Optional($0) })
    }

    func testImportErrorsForEachKindOfBadRow() throws {
        let cases: [(row: String, message: String)] = [
            ("x,Bad Code,,91350100M000100Y44,,,,", "invalid credit-code '91350100M000100Y44'"),
            ("x,Bad Sector,,,,space,,", "invalid sector 'space'"),
            ("x,Bad Count,,,,,,many", "invalid headcount 'many'"),
            ("x,Short Row", "invalid row '2 fields'"),
            ("iaso-bio,Duplicate,,,,,,", "an enterprise with id 'iaso-bio' already exists"),
            ("x,\"open quote,,,,,,", "unbalanced quote"),
        ]
        for (row, message) in cases {
            let harness = SessionHarness()
            let before = harness.session.model
            let file = try csv(harness, "bad.csv", "ok,Fine Row,,,,,,\n" + row + "\n")
            harness.run(["registry import \(file)"])
            XCTAssertEqual(harness.session.model, before, row)
            XCTAssertEqual(harness.errorLines.count, 1, row)
            XCTAssertTrue(harness.stderr.contains("\(file):3: \(message)"), "\(row): \(harness.stderr)")
        }
    }

    /// CSV and JSON import refuse what the enterprise kind refuses, naming FILE:LINE (the JSON
    /// "line" is the record's position), and change nothing.
    func testCSVAndJSONImportTakeTheKindsOneValidationPath() throws {
        let record = #"{"id":"%@","nameEN":"X","aliases":[],"status":"active","sectors":[],"designations":[],"listings":[],"sources":["seed-efec-2025"]%@}"#
        func json(_ id: String, _ extra: String = "") -> String {
            String(format: record, id, extra)
        }
        // (An empty id in a CSV row is not an error: the row gets an id from the file name and line.)
        let cases: [(csv: String?, json: String, message: String)] = [
            ("x,Neg,,,,,,-5", json("x", #","headcount":-5"#), "invalid headcount"),
            ("x,Huge,,,,,,20000000", json("x", #","headcount":20000000"#), "20000000"),
            (nil, json(""), "id ''"),
            ("x,Bad Sector,,,,space,,", json("x", "").replacingOccurrences(of: #""sectors":[]"#, with: #""sectors":["space"]"#), "space"),
        ]
        for (row, record, message) in cases {
            let files = [row.map { ("bad.csv", header + "ok,Fine Row,,,,,,\n" + $0 + "\n") }, ("bad.json", "[" + json("ok") + "," + record + "]")]
            for (name, body) in files.compactMap({ $0 }) {
                let harness = SessionHarness()
                let before = harness.session.model
                let path = harness.path(name)
                try body.write(toFile: path, atomically: true, encoding: .utf8)
                harness.run(["registry import \(path)"])
                XCTAssertEqual(harness.session.model, before, "\(name): \(record)")
                XCTAssertEqual(harness.errorLines.count, 1, harness.stderr)
                let line = name.hasSuffix(".csv") ? 3 : 2
                XCTAssertTrue(harness.stderr.contains("\(path):\(line): "), "\(name): \(harness.stderr)")
                XCTAssertTrue(harness.stderr.contains(message), "\(name) \(message): \(harness.stderr)")
            }
        }
    }

    /// A header may use the names `--where` and `--fields` use; what is imported is then found by them.
    func testImportHeaderTakesTheFilterVocabulary() throws {
        let harness = SessionHarness()
        let path = harness.path("fields.csv")
        try "id,name,name-zh,sector,credit-code,source,as-of\nz1,Zed,泽,cell-therapy,91350100M000100Y43,seed-efec-2025,2024\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        harness.run(["set format csv", "registry import \(path)", "registry list --where 'sector = cell-therapy and name-zh = 泽' --fields id,credit-code,source,as-of"])
        XCTAssertEqual(harness.stderr, "")
        XCTAssertTrue(harness.stdout.hasSuffix("id,credit-code,source,as-of\r\nz1,91350100M000100Y43,seed-efec-2025,2024\r\n"), harness.stdout)
    }

    func testRemoveIsRefusedWhileOtherPluginsRecordsReferToIt() {
        let harness = SessionHarness()
        let before = harness.session.model
        harness.run(["registry remove iaso-bio"])
        XCTAssertEqual(harness.session.model, before)
        XCTAssertTrue(harness.stderr.contains("is referred to by event fucaso-approved (subject)"), harness.stderr)
        XCTAssertTrue(harness.stderr.contains("site iaso-nanjing (enterprise)"), harness.stderr)
        harness.run(["registry remove iaso-bio --cascade"])
        XCTAssertNil(harness.session.model.enterprises[id: "iaso-bio"])
        XCTAssertEqual(harness.session.model.danglingReferences, [])
        XCTAssertTrue(harness.stdout.contains("dropped iaso-bio from the enterprise of site iaso-nanjing"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("kept the subject of event fucaso-approved as text ('iaso-bio')"), harness.stdout)
        harness.run(["undo"])
        XCTAssertEqual(harness.session.model, before)
    }

    func testSkipBadImportsTheGoodRowsAndListsTheRest() throws {
        let harness = SessionHarness()
        let file = try csv(harness, "mixed.csv", "g1,Good One,,,2015,,,\nb1,Bad,,,20x,,,\ng2,Good Two,,,,,,\n")
        harness.run(["set format csv", "registry import \(file) --skip-bad"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertTrue(harness.stdout.contains("import,\(file),\"csv, UTF-8, delimiter ','\",3,2,0,0,1"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("problems,,,,,,,,3,\"invalid founded '20x'"), harness.stdout)
        XCTAssertTrue(harness.messages.contains("skipped 1 bad row"), harness.stderr)
        XCTAssertEqual(harness.session.model.enterprises.suffix(2).map(\.id), ["g1", "g2"])
        XCTAssertEqual(harness.session.model.enterprises.last?.sources, ["import:mixed.csv"], "rows without sources cite the file")
        XCTAssertNotNil(harness.session.model.source(id: "import:mixed.csv"))
    }

    /// Cells lose the spaces spreadsheets pad with (space, tab, no-break, ideographic) and no
    /// more: a Chinese character whose last byte is 0x80 or 0xA0 (一, 丠) stays whole.
    func testPaddedCellsAreTrimmedToWholeCharacters() throws {
        let harness = SessionHarness()
        let path = harness.path("padded.csv")
        let text = "id,name,name-zh,park,region\npad1,\u{A0}Alpha Bio\u{3000},第一\u{3000},\u{3000}—\u{A0}, \t\npad2,丠丠 Bio 丠 ,\t统一 ,NJBPV,\u{3000}\u{3000}\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        harness.run(["registry import \(path)"])
        XCTAssertEqual(harness.errors, [])
        let first = try XCTUnwrap(harness.session.model.enterprises[id: "pad1"])
        XCTAssertEqual(first.nameEN, "Alpha Bio")
        XCTAssertEqual(first.nameZH, "第一")
        XCTAssertNil(first.park, "a padded dash is no data")
        XCTAssertNil(first.region)
        let second = try XCTUnwrap(harness.session.model.enterprises[id: "pad2"])
        XCTAssertEqual(second.nameEN, "丠丠 Bio 丠")
        XCTAssertEqual(second.nameZH, "统一")
        XCTAssertEqual(second.park, "NJBPV")
        XCTAssertNil(second.region)
    }

    func testAwkwardCSVAndColumnMapping() throws {
        let harness = SessionHarness()
        let path = harness.path("awkward.csv")
        let text = "\u{FEFF}Company,Chinese,Founded\r\n\"Semi, Colon\nBio\",样例,2020-02-29\r\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        harness.run(["registry import \(path) --map Company=name --map Chinese=name-zh --map Founded=founded"])
        XCTAssertEqual(harness.stderr, "")
        let added = try XCTUnwrap(harness.session.model.enterprises.last)
        XCTAssertEqual(added.nameEN, "Semi, Colon\nBio")
        XCTAssertEqual(added.nameZH, "样例")
        XCTAssertEqual(added.founded, CalendarDate("2020-02-29"))
        XCTAssertEqual(added.id, "awkward-2", "ids default to the file name and line")
        // Without the mapping no column names an enterprise: refused at the header, naming it.
        harness.run(["registry import \(path)"])
        XCTAssertTrue(harness.stderr.contains("\(path):1: invalid header 'Company,Chinese,Founded'"), harness.stderr)
        harness.run(["registry import \(path) --strict --map Company=name"])
        XCTAssertTrue(harness.stderr.contains("\(path):1: invalid column 'Chinese'"), harness.stderr)
    }

    func testExportThenImportRoundTrips() throws {
        for format in ["csv", "json"] {
            let harness = SessionHarness()
            let file = harness.path("all.\(format)")
            harness.run([
                "registry update simcere --credit-code 91350100M000100Y43 --designation 'high-tech enterprise::2023:2026' --headcount 5000",
                "registry export \(file)",
            ])
            let original = harness.session.model.enterprises
            var empty = harness.session.model
            for enterprise in original.all { try empty.remove(Enterprise.self, id: enterprise.id, cascade: true) }
            XCTAssertTrue(empty.enterprises.isEmpty)
            let fresh = SessionHarness(model: empty)
            fresh.run(["registry import \(file)"])
            XCTAssertEqual(fresh.stderr, "", format)
            XCTAssertEqual(fresh.session.model.enterprises, original, format)
        }
    }

    /// Export writes each row field by field; the bytes are those of the row's strings, for
    /// every built-in enterprise and for text that needs quoting in every field.
    func testExportRowBytesAreTheRowsFields() throws {
        let awkward = "a, \"b\"\nc；d"
        var enterprises = SessionHarness().session.model.enterprises.all
        enterprises.append(Enterprise(
            id: "odd,id", nameEN: awkward, nameZH: "南京,\"细胞\"", aliases: [awkward, "x"], creditCode: nil,
            founded: CalendarDate(year: 987, month: 1, day: 2), status: .movedOut, sectors: ["cell-therapy"], park: awkward, region: "\u{2028}",
            designations: [Designation(name: awkward, tier: "national", granted: CalendarDate(year: 2020), validUntil: CalendarDate(year: 2023, month: 12), source: "s,1"),
                           Designation(name: "plain", source: "s")],
            listings: [Listing(exchange: "SSE", ticker: "688,1", date: CalendarDate(year: 2021, month: 7, day: 1), source: "s")],
            headcount: -3, sources: ["a", "b,c"], asOf: CalendarDate(year: 2024), note: awkward,
            registration: Registration(legalRepresentative: awkward, registeredCapital: Money(amount: 1, unit: nil, currency: "CNY", text: "1,000万元"),
                                       paidInCapital: Money(amount: 1234.5678, unit: "万", currency: "USD", text: "\u{01}\t\\"),
                                       industry: "医药", province: "江苏", city: "南京", district: "江北", address: awkward, businessScope: "a\r\nb")))
        enterprises.append(Enterprise(id: "bare", sources: []))
        for enterprise in enterprises {
            var reference: [UInt8] = []
            CSVWriter.append(EnterpriseTable.row(enterprise), to: &reference)
            var writer = CSVRecordWriter()
            withUnsafePointer(to: enterprise) { EnterpriseTable.appendCSVRow(at: $0, to: &writer) }
            XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), String(decoding: reference, as: UTF8.self), enterprise.id)

            var json = JSONBytes()
            withUnsafePointer(to: enterprise) { Enterprise.appendJSON(at: $0, to: &json) }
            XCTAssertEqual(String(decoding: json.bytes, as: UTF8.self), String(decoding: try StreamingJSONEncoder().encode(enterprise), as: UTF8.self), enterprise.id)
        }
    }

    /// A capital that is not a finite number is refused by the kind: it has no JSON, so a
    /// save would write a workspace that open refuses.
    func testANonFiniteCapitalIsRefused() {
        var model = SessionHarness().session.model
        for amount in [Double.infinity, -.infinity, .nan] {
            let enterprise = Enterprise(id: "odd", nameEN: "Odd", sources: [],
                                        registration: Registration(registeredCapital: Money(amount: amount, currency: "CNY", text: "?")))
            XCTAssertThrowsError(try model.insert(enterprise)) {
                XCTAssertTrue(ValleyError.describe($0).contains("registered-capital"), ValleyError.describe($0))
            }
        }
        XCTAssertNil(model.enterprises[id: "odd"])
    }

    func testUndoOfAnImport() throws {
        let harness = SessionHarness()
        let before = harness.session.model
        let file = try csv(harness, "one.csv", "n1,New One,,,,,,\n")
        harness.run(["registry import \(file)"])
        XCTAssertEqual(harness.session.model.enterprises.count, before.enterprises.count + 1)
        harness.run(["undo"])
        XCTAssertEqual(harness.session.model, before)
    }

    func testUpdateValidatesAndChangesOnlyWhatIsGiven() {
        let harness = SessionHarness()
        harness.run([
            "registry update 驯鹿生物 --founded 2017 --alias 'IASO Biotherapeutics' --sector gene-therapy",
            "registry update iaso-bio --credit-code 91350100M000100Y44",
            "registry update iaso-bio",
        ])
        let iaso = harness.session.model.enterprises.first { $0.id == "iaso-bio" }
        XCTAssertEqual(iaso?.founded, CalendarDate(year: 2017))
        XCTAssertEqual(iaso?.aliases, ["Reindeer Medical", "IASO Biotherapeutics"])
        XCTAssertEqual(iaso?.sectors, ["cell-therapy", "gene-therapy"])
        XCTAssertNil(iaso?.creditCode)
        XCTAssertEqual(harness.errorLines.count, 2, harness.stderr)
        XCTAssertTrue(harness.errorLines[0].contains("check character is '4', expected '3'"))
    }

    func testMergeUnitesAndMovesLinks() {
        let harness = SessionHarness()
        harness.run([
            "registry add reindeer --name 'Reindeer Medical Co., Ltd.' --designation 'little giant:national' --source seed-efec-2025 --sector gene-therapy",
            "registry duplicates --format csv",
            "registry merge iaso-bio reindeer",
        ])
        XCTAssertTrue(harness.stdout.contains("same name,reindeermedical,\"iaso-bio, reindeer\""), harness.stdout)
        let model = harness.session.model
        XCTAssertFalse(model.enterprises.contains { $0.id == "reindeer" })
        let iaso = model.enterprises.first { $0.id == "iaso-bio" }
        XCTAssertEqual(iaso?.sectors, ["cell-therapy", "gene-therapy"])
        XCTAssertEqual(iaso?.designations.map(\.name), ["little giant"])
        XCTAssertTrue(iaso?.aliases.contains("Reindeer Medical Co., Ltd.") == true)
        // The site (a logistics record) now points at the kept enterprise; nothing at the merged one.
        XCTAssertTrue(model.referrers(of: Enterprise.kind.name, key: "iaso-bio").contains { $0.id == "iaso-nanjing" && $0.field == "enterprise" })
        XCTAssertTrue(model.referrers(of: Enterprise.kind.name, key: "reindeer").isEmpty)
        XCTAssertEqual(model.danglingReferences, [])
        harness.run(["registry merge iaso-bio iaso-bio"])
        XCTAssertTrue(harness.stderr.contains("the same enterprise"))
    }

    func testCountCoverageFindAndValidate() throws {
        let harness = SessionHarness()
        harness.run([
            "set format csv",
            "registry add hte --name 'High Tech Bio' --founded 2016 --designation 'high-tech enterprise' --sector cell-therapy --source seed-efec-2025",
            "registry count --by sector --where \"founded >= 2000\"",
            "registry coverage",
            "registry find 'hi tech'",
            "registry validate",
        ])
        XCTAssertEqual(harness.errors, [])
        // founded >= 2000: PharmaBlock (cro-cdmo), Geneseeq (gene + cell), hte (cell): 3 enterprises.
        XCTAssertTrue(harness.stdout.contains("cell-therapy,2,66.7\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("high-tech biomedicine enterprises,Nanjing,1032,1,0.1,seed-chinaorg-2025"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("listed firms in the valley,NJBPV,5,2,40.0"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains(",hte,High Tech Bio,High Tech Bio"), harness.stdout)
        XCTAssertTrue(harness.messages.contains("no problems in 7 enterprises"), harness.stderr)
    }

    /// A batch of read rows gives back each row's fields as its record had them (kept packed
    /// for the problems table of a refused row), also when kept for a matched row.
    func testAReadBatchGivesBackEachRowsFields() {
        let records = [
            CSVReader.Record(fields: ["a", "", "泽璟制药", "comma, \"quote\"\r\nline", "\u{0}nul"], line: 2),
            CSVReader.Record(fields: [], line: 3),
            CSVReader.Record(fields: [""], line: 5),
            CSVReader.Record(fields: [String(repeating: "长", count: 70_000), "é\u{301}", "last"], line: 6),
        ]
        var batch = ReadBatch(bytes: 8)
        for record in records {
            batch.append(record, enterprise: .failure(ValleyError.refused("test")), hasOwnID: false)
        }
        XCTAssertEqual(batch.rows.map(\.line), [2, 3, 5, 6])
        // Compared as bytes: `String`'s `==` would equate canonically equivalent forms.
        XCTAssertEqual(batch.rows.map { batch.fields(of: $0).map { Array($0.utf8) } }, records.map { $0.fields.map { Array($0.utf8) } })
        // Kept for a matched row's update in one allocation (lengths to 210,000 bytes: three
        // bytes of LEB128), they give back the same fields.
        XCTAssertEqual(batch.rows.map { batch.keptFields(of: $0).strings.map { Array($0.utf8) } }, records.map { $0.fields.map { Array($0.utf8) } })
        XCTAssertEqual(KeptFields.none.strings, [])
    }

    /// Rows of an import share a repeated list (memory), but only within a run of rows the
    /// size of a scan's piece: a list shared by every row had its reference count written by
    /// every core of a scan at once.
    func testImportSharesRepeatedValuesWithinARunOfRows() throws {
        let harness = SessionHarness()
        let run = EnterpriseTable.RowReader.sharingRun
        // `innovative-drugs` is longer than a string stored inline: its text has storage to share.
        let text = (0..<(2 * run + 2)).map { "sr\($0),Shared \($0),,,2015,innovative-drugs;gene-therapy,,\n" }.joined()
        harness.run(["registry import \(try csv(harness, "shared.csv", text))"])
        XCTAssertEqual(harness.errors, [])
        let table = harness.session.model.enterprises
        /// The address of the list's elements, as an identity: equal when two rows share it.
        func storage(_ row: Int, _ list: KeyPath<Enterprise, [String]>) -> Int? {
            table[id: "sr\(row)"]?[keyPath: list].withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        }
        for list: KeyPath<Enterprise, [String]> in [\.sectors, \.sources] {
            XCTAssertNotNil(storage(0, list))
            XCTAssertEqual(storage(0, list), storage(run - 1, list), "rows of one run share")
            XCTAssertNotEqual(storage(run - 1, list), storage(run, list), "a run ends after \(run) rows")
            XCTAssertEqual(storage(run, list), storage(2 * run - 1, list), "every run has \(run) rows")
            XCTAssertNotEqual(storage(2 * run - 1, list), storage(2 * run, list))
            XCTAssertEqual(storage(2 * run, list), storage(2 * run + 1, list))
        }
        XCTAssertEqual(table[id: "sr\(2 * run + 1)"]?.sectors, ["innovative-drugs", "gene-therapy"])
        // Park, designations and sources: one box for the rows of a run that write them alike.
        func row(_ index: Int) -> Enterprise { table[id: "sr\(index)"]! }
        XCTAssertTrue(row(0).sharesFields(with: row(run - 1)))
        XCTAssertFalse(row(run - 1).sharesFields(with: row(run)), "a run ends after \(run) rows")
        XCTAssertTrue(row(2 * run).sharesFields(with: row(2 * run + 1)))
        // The sector id, which comes from the model's taxonomy, is copied for each run too.
        func idStorage(_ row: Int) -> Int? {
            table[id: "sr\(row)"]?.sectors.first?.utf8.withContiguousStorageIfAvailable { Int(bitPattern: $0.baseAddress) } ?? nil
        }
        XCTAssertNotNil(idStorage(0))
        XCTAssertEqual(idStorage(0), idStorage(run - 1))
        XCTAssertNotEqual(idStorage(run - 1), idStorage(run))
    }

    /// Rows share a box of park, designations and sources only where all three cells are
    /// written alike; each row reads its own values.
    func testImportSharesFieldsOnlyOfRowsThatWriteThemAlike() throws {
        var text = "id,name,park,designations,sources\n"
        text += "a1,A1,NJBPV,little giant|national||,\n"
        text += "a2,A2,NJBPV,little giant|national||,\n"
        text += "a3,A3,Other Park,little giant|national||,\n"
        text += "a4,A4,NJBPV,high-tech enterprise,\n"
        text += "a5,A5,NJBPV,little giant|national||,seed-efec-2025\n"
        let harness = sessionImporting("parks.csv", text)
        let table = harness.session.model.enterprises
        func row(_ id: String) -> Enterprise { table[id: id]! }
        XCTAssertTrue(row("a1").sharesFields(with: row("a2")))
        for other in ["a3", "a4", "a5"] { XCTAssertFalse(row("a1").sharesFields(with: row(other)), other) }
        XCTAssertEqual(row("a3").park, "Other Park")
        XCTAssertEqual(row("a4").designations.map(\.name), ["high-tech enterprise"])
        XCTAssertEqual(row("a5").sources, ["seed-efec-2025"])
        XCTAssertEqual(row("a2").designations.map(\.tier), ["national"])
        XCTAssertEqual(row("a2").sources, row("a1").sources)
        XCTAssertNotEqual(row("a2").sources, ["seed-efec-2025"], "a row without sources cites the file")
        // An edit of one sharing row leaves the other as it was.
        harness.run(["registry update a1 --park Elsewhere"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises[id: "a1"]?.park, "Elsewhere")
        XCTAssertEqual(harness.session.model.enterprises[id: "a2"]?.park, "NJBPV")
    }

    /// Rows whose sparse fields are equal (here a note) share one box of them; a row that adds
    /// a region, or another note, has its own; an edit of one sharing row leaves the other.
    func testImportSharesSparseFieldsOnlyOfRowsWhoseFieldsAreEqual() throws {
        var text = "id,name,region,note\n"
        text += "b1,B1,,from the 2024 list\n"
        text += "b2,B2,,from the 2024 list\n"
        text += "b3,B3,,from the 2023 list\n"
        text += "b4,B4,Pukou,from the 2024 list\n"
        text += "b5,B5,,\n"
        let harness = sessionImporting("notes.csv", text)
        func row(_ id: String) -> Enterprise { harness.session.model.enterprises[id: id]! }
        XCTAssertTrue(row("b1").sharesSparseBox(with: row("b2")), "one box for the same note")
        for other in ["b3", "b4"] { XCTAssertFalse(row("b1").sharesSparseBox(with: row(other)), other) }
        XCTAssertFalse(row("b5").hasSparseFields)
        XCTAssertEqual(row("b4").note, "from the 2024 list")
        XCTAssertEqual(row("b4").region, "Pukou")
        harness.run(["registry update b1 --note changed"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(row("b1").note, "changed")
        XCTAssertEqual(row("b2").note, "from the 2024 list")
    }

    /// Updates of one file that merge to the same sectors, park, designations and sources give
    /// the updated records one list and one box; the values are each record's own as before.
    func testUpdatesThatMergeAlikeShareTheirLists() throws {
        var text = "id,name,credit_code,sectors,designations\n"
        text += "x1,X One,91320100MA1HHHHH1X,cell-therapy,\n"
        text += "x2,X Two,91320500MA1KKKKK26,cell-therapy,\n"
        text += "x3,X Three,,cell-therapy,\n"
        text += ",X One Ltd,91320100MA1HHHHH1X,gene-therapy,little giant\n"
        text += ",X Two Ltd,91320500MA1KKKKK26,gene-therapy,little giant\n"
        let harness = sessionImporting("updates.csv", text)
        func row(_ id: String) -> Enterprise { harness.session.model.enterprises[id: id]! }
        func buffer(_ list: [String]) -> UnsafePointer<String>? { list.withUnsafeBufferPointer { $0.baseAddress } }
        for id in ["x1", "x2"] {
            XCTAssertEqual(row(id).sectors, ["cell-therapy", "gene-therapy"], id)
            XCTAssertEqual(row(id).designations.map(\.name), ["little giant"], id)
        }
        XCTAssertEqual(row("x1").aliases, ["X One Ltd"])
        XCTAssertEqual(buffer(row("x1").sectors), buffer(row("x2").sectors), "one list for the two merges")
        XCTAssertTrue(row("x1").sharesFields(with: row("x2")))
        XCTAssertFalse(row("x1").sharesFields(with: row("x3")), "x3 was not updated: it keeps the reader's box")
        harness.run(["registry update x1 --sector medical-devices"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(row("x2").sectors, ["cell-therapy", "gene-therapy"])
    }

    /// Enough rows for scans in pieces on every core (a piece is ~16,000 slots), with empty
    /// slots from removals: counts, and the first N matches in order, are what one scan gives.
    func testScansInPiecesGiveWhatOneScanGives() throws {
        let harness = SessionHarness()
        let rows = 70_000
        let base = ["cell-therapy", "gene-therapy", "cro-cdmo"]
        func sectors(_ i: Int) -> [String] { i % 7 == 0 ? ["cell-therapy", "cro-cdmo"] : [base[i % 3]] }
        var text = ""
        for i in 0..<rows { text += "gx\(i),Scan \(i),,,\(1990 + i % 30),\(sectors(i).joined(separator: ";")),,\(i % 1000)\n" }
        let path = try csv(harness, "scan.csv", text)
        let removed: Set<Int> = [5, 16_400, 40_000, 69_999]
        harness.run(["set format csv", "registry import \(path)"] + removed.sorted().map { "registry remove gx\($0)" } + [
            "registry count --by sector --where \"id ~ gx and founded >= 2010\"",
            "registry count --where \"id ~ gx and headcount > 500\"",
            "registry list --where \"id ~ gx and headcount = 999 and founded-year = 2019\" --limit 12 --fields id",
        ])
        XCTAssertEqual(harness.errors, [])
        let kept = (0..<rows).filter { !removed.contains($0) }
        var bySector: [String: Int] = [:]
        for i in kept where 1990 + i % 30 >= 2010 { for sector in sectors(i) { bySector[sector, default: 0] += 1 } }
        let lines = harness.stdout.components(separatedBy: "\r\n")
        for (sector, count) in bySector {
            XCTAssertTrue(lines.contains { $0.hasPrefix("\(sector),\(count),") }, "\(sector): \(count)\n\(harness.stdout.prefix(600))")
        }
        XCTAssertTrue(lines.contains(String(kept.filter { $0 % 1000 > 500 }.count)), harness.stdout.prefix(600).description)
        let firstMatches = kept.filter { $0 % 1000 == 999 && 1990 + $0 % 30 == 2019 }.prefix(12).map { "gx\($0)" }
        XCTAssertEqual(firstMatches.count, 12)
        XCTAssertTrue(harness.stdout.hasSuffix((["id"] + firstMatches).joined(separator: "\r\n") + "\r\n"), String(harness.stdout.suffix(300)))
    }

    func testListFieldsSortAndErrors() {
        let harness = SessionHarness()
        harness.run([
            "set format csv",
            "registry list --where 'founded > 1990' --sort founded --descending --fields id,founded",
            "registry list --fields id,colour",
            "registry list --where 'founded > nineteen'",
        ])
        XCTAssertTrue(harness.stdout.hasPrefix("id,founded\r\ngeneseeq,2008\r\npharmablock,2006\r\nsimcere,1995\r\n"), harness.stdout)
        XCTAssertEqual(harness.errorLines.count, 2)
        XCTAssertTrue(harness.errorLines[0].contains("invalid --fields 'colour': expected one of id, name"), harness.errorLines[0])
        XCTAssertTrue(harness.errorLines[1].contains("--where, column 11: 'founded' is a date"), harness.errorLines[1])
    }

    func testCompletionOffersImportedNamesFromTheIndex() throws {
        let harness = SessionHarness()
        let file = try csv(harness, "names.csv", "z1,Zeta Alpha,泽塔,,,,,\nz2,Zeta Beta,,,,,,\n")
        let completer = Completer(session: harness.session)
        XCTAssertEqual(completer.complete("registry show Zet").candidates, [])
        harness.run(["registry import \(file)"])
        XCTAssertEqual(completer.complete("registry show zeta").candidates, ["\"Zeta Alpha\"", "\"Zeta Beta\""])
        XCTAssertEqual(completer.complete("registry show 泽").candidates, ["泽塔"])
        harness.run(["undo"])
        XCTAssertEqual(completer.complete("registry show Zet").candidates, [], "the index follows undo")
    }
}
