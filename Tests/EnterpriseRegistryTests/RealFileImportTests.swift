import Foundation
import XCTest
import ValleyCore
@testable import ValleyTableFiles
import ValleyTestSupport
@testable import ValleyShell
@testable import EnterpriseRegistry

/// The files analysts have: registry exports in GB18030 with Chinese headers, spreadsheets,
/// dates and money as written. Each reproduction of issue 14 is a test here.
final class RealFileImportTests: XCTestCase {
    func write(_ harness: SessionHarness, _ name: String, _ bytes: [UInt8]) -> String {
        let path = harness.path(name)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    /// GB18030 bytes of `text`, by glibc's iconv (the same converter the reader uses, run
    /// the other way; the round trip through a second program is in the example test).
    func gb18030(_ text: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["iconv", "-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    func testExtraColumnsAreListedAndIgnoredAndStrictRefusesThem() throws {
        let harness = SessionHarness()
        let path = write(harness, "export.csv", Array("序号,企业名称,电话\n1,示例甲有限公司,025-1\n".utf8))
        harness.run(["registry import \(path)"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertTrue(harness.stdout.contains("ignored columns: 序号, 电话"), harness.stdout)
        XCTAssertEqual(harness.session.model.enterprises.last?.nameZH, "示例甲有限公司")
        let before = harness.session.model
        harness.run(["registry import \(path) --strict"])
        XCTAssertTrue(harness.stderr.contains("export.csv:1: invalid column '序号'"), harness.stderr)
        XCTAssertEqual(harness.session.model, before)
        harness.run(["undo", "registry import \(path) --map 序号=- --map 电话=note"])
        XCTAssertEqual(harness.session.model.enterprises.last?.note, "025-1")
    }

    func testDatesAsWrittenInTheWild() throws {
        let cases: [(String, String)] = [("2017/8/21", "2017-08-21"), ("2019年3月1日", "2019-03-01"), ("20190301", "2019-03-01"),
                                         ("43525", "2019-03-01"), ("2019.3.1", "2019-03-01"), ("2019-3-1 00:00:00", "2019-03-01"),
                                         ("2019年3月", "2019-03"), ("25/12/2019", "2019-12-25")]
        for (written, iso) in cases {
            XCTAssertEqual(try WrittenValues.date(written, field: "founded", order: nil).description, iso, written)
        }
        // Found by the tablefile fuzzer (corpus/tablefile/regression-lone-dot): a lone "." (and
        // ".5") trapped on an empty split instead of being refused.
        for bad in [".", ".5", "..", "12345."] {
            XCTAssertThrowsError(try WrittenValues.date(bad, field: "founded", order: nil), bad)
        }
        XCTAssertThrowsError(try WrittenValues.date("03/01/2019", field: "founded", order: nil)) { error in
            XCTAssertTrue(ValleyError.describe(error).contains("--date-order"), ValleyError.describe(error))
        }
        XCTAssertEqual(try WrittenValues.date("03/01/2019", field: "founded", order: .dmy).description, "2019-01-03")
        XCTAssertEqual(try WrittenValues.date("03/01/2019", field: "founded", order: .mdy).description, "2019-03-01")
        XCTAssertThrowsError(try WrittenValues.date("2019/2/30", field: "founded", order: nil))
    }

    func testMoneyKeepsAmountUnitCurrencyAndText() throws {
        let money = try WrittenValues.money("1,000万元人民币", field: "registered-capital")
        XCTAssertEqual(money.amount, 1000)
        XCTAssertEqual(money.unit, "万")
        XCTAssertEqual(money.currency, "CNY")
        XCTAssertEqual(money.value, 10_000_000)
        XCTAssertEqual(money.text, "1,000万元人民币")
        XCTAssertEqual(try WrittenValues.money("500万美元", field: "c").currency, "USD")
        XCTAssertEqual(try WrittenValues.money("1.2亿元", field: "c").value, 120_000_000)
        XCTAssertEqual(try WrittenValues.money("CNY 5,000,000", field: "c").value, 5_000_000)
        XCTAssertThrowsError(try WrittenValues.money("lots", field: "c"))
        XCTAssertThrowsError(try WrittenValues.money("1" + String(repeating: "0", count: 305) + "亿", field: "c"), "not infinity")
        XCTAssertEqual(try WrittenValues.money("500", field: "c", headerUnit: "万元").value, 5_000_000, "注册资本(万元)")
        XCTAssertEqual(try WrittenValues.money("1000万元整", field: "c").value, 10_000_000)
        XCTAssertNil(WrittenValues.integer("12,5"), "a decimal comma is not a thousands separator")
        XCTAssertEqual(try WrittenValues.date("2019.03", field: "f", order: nil).description, "2019-03")
        XCTAssertEqual(WrittenValues.integer("3,100"), 3100)
        XCTAssertEqual(WrittenValues.integer("3 100"), 3100)
        XCTAssertNil(WrittenValues.integer("3.5"))
    }

    func testSectorsByNameAndAddSectors() throws {
        let harness = SessionHarness()
        let path = write(harness, "s.csv", Array("name,sectors\nA,Cell Therapy\nB,CRO/CDMO;细胞治疗\n".utf8))
        harness.run(["registry import \(path)"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises.suffix(2).map(\.sectors), [["cell-therapy"], ["cro-cdmo", "cell-therapy"]])
        let unknown = write(harness, "u.csv", Array("name,sectors\nC,Synthetic Biology\n".utf8))
        harness.run(["registry import \(unknown)"])
        XCTAssertTrue(harness.stderr.contains("u.csv:2: invalid sector 'Synthetic Biology'"), harness.stderr)
        harness.run(["registry import \(unknown) --add-sectors"])
        XCTAssertEqual(harness.session.model.sectors[id: "synthetic-biology"]?.name, "Synthetic Biology")
        XCTAssertEqual(harness.session.model.enterprises.last?.sectors, ["synthetic-biology"])
    }

    func testEncodingsAndDelimitersAreDetected() throws {
        let text = "企业名称;成立日期\n示例乙有限公司;2019/3/1\n"
        let utf16: [UInt8] = [0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let files: [(String, [UInt8])] = [("gb.csv", try gb18030(text)), ("utf16.csv", utf16), ("bom.csv", bom),
                                          ("tab.tsv", Array(text.replacingOccurrences(of: ";", with: "\t").utf8))]
        for (name, bytes) in files {
            let harness = SessionHarness()
            harness.run(["registry import \(write(harness, name, bytes))"])
            XCTAssertEqual(harness.errors, [], name)
            XCTAssertEqual(harness.session.model.enterprises.last?.nameZH, "示例乙有限公司", name)
            XCTAssertEqual(harness.session.model.enterprises.last?.founded?.description, "2019-03-01", name)
        }
        // Latin-1 is neither UTF-8 nor GB18030 here: one line that names the encoding option.
        let harness = SessionHarness()
        let latin1: [UInt8] = Array("name\nCaf".utf8) + [0xE9, 0xFF, 0x0A]
        harness.run(["registry import \(write(harness, "latin1.csv", latin1))"])
        XCTAssertEqual(harness.errors.count, 1)
        XCTAssertTrue(harness.stderr.contains("--encoding"), harness.stderr)
    }

    func testAllBadRowsAreReportedAndRejectsFileHasThemAll() throws {
        let harness = SessionHarness()
        let rows = (1...25).map { "B\($0),20x\($0)" }.joined(separator: "\n")
        let path = write(harness, "bad.csv", Array("name,founded\nGood,2019\n\(rows)\n".utf8))
        let before = harness.session.model
        harness.run(["registry import \(path) --rejects \(harness.path("rejects.csv"))"])
        XCTAssertEqual(harness.session.model, before, "all or nothing")
        XCTAssertTrue(harness.stderr.contains("bad.csv: 25 of 26 rows are bad; nothing was imported"), harness.stderr)
        XCTAssertTrue(harness.stderr.contains("bad.csv:3: invalid founded '20x1'"), harness.stderr)
        XCTAssertTrue(harness.stderr.contains("… and 5 more"), harness.stderr)
        let rejects = try String(contentsOfFile: harness.path("rejects.csv"), encoding: .utf8)
        XCTAssertEqual(rejects.split(separator: "\r\n").count, 26, "a header and every bad row")
        XCTAssertTrue(rejects.hasPrefix("line,problem,name,founded\r\n3,\"invalid founded '20x1'"), rejects)
    }

    func testMatchingByCreditCodeOrNameUpdatesSkipsOrRefuses() throws {
        let harness = SessionHarness()
        let path = write(harness, "m.csv", Array("企业名称,参保人数\n南京药石科技股份有限公司,\"1,200\"\n".utf8))
        let count = harness.session.model.enterprises.count
        harness.run(["registry import \(path) --on-match skip"])
        XCTAssertEqual(harness.session.model.enterprises.count, count)
        XCTAssertNil(harness.session.model.enterprises[id: "pharmablock"]?.headcount)
        harness.run(["registry import \(path) --on-match error"])
        XCTAssertTrue(harness.stderr.contains("matches enterprise 'pharmablock' by name"), harness.stderr)
        harness.run(["registry import \(path)"])
        XCTAssertEqual(harness.session.model.enterprises.count, count, "no duplicate")
        let updated = try XCTUnwrap(harness.session.model.enterprises[id: "pharmablock"])
        XCTAssertEqual(updated.headcount, 1200)
        XCTAssertTrue(updated.aliases.contains("南京药石科技股份有限公司"))
        XCTAssertEqual(EnterpriseMatcher.normalized("Simcere Pharmaceutical Group Co., Ltd."), EnterpriseMatcher.normalized("simcere pharmaceutical"))
    }

    /// A row matching an earlier row of the same file updates it inside the insert, at once;
    /// one matching an enterprise that was there before waits for the end of the file. Both
    /// give the model that importing the rows one file at a time gives (where every update
    /// waits), and undo takes the whole import back.
    func testUpdatesOfTheFilesOwnRowsMatchOneRowAtATime() throws {
        let header = "id,name,credit_code,headcount,note\n"
        let rows = ["a1,Alpha Bio,91320100MA1XXXXX11,10,", "a2,\"Alpha Bio Co., Ltd.\",,20,second", "p1,PharmaBlock,,5,",
                    "b1,Beta Bio,,7,", "a3,Alpha Bio,91320100MA1XXXXX11,30,", "b2,Beta Bio,,8,beta"]
        let whole = SessionHarness()
        let original = whole.session.model
        let path = write(whole, "all.csv", Array((header + rows.joined(separator: "\n") + "\n").utf8))
        whole.run(["registry import \(path) --format csv"])
        XCTAssertEqual(whole.errors, [])
        XCTAssertTrue(whole.stdout.contains("all.csv,\"csv, UTF-8, delimiter ','\",6,2,4,0,0"), whole.stdout)
        let single = SessionHarness()
        for (number, row) in rows.enumerated() {
            let one = write(single, "row\(number).csv", Array((header + row + "\n").utf8))
            single.run(["registry import \(one)"])
        }
        XCTAssertEqual(single.errors, [])
        // Sources differ by file name (each file cites itself): compared without them.
        func records(_ harness: SessionHarness) -> [Enterprise] {
            harness.session.model.enterprises.map { var e = $0; e.sources = []; e.designations = []; return e }
        }
        XCTAssertEqual(records(whole), records(single))
        let alpha = try XCTUnwrap(whole.session.model.enterprises[id: "a1"])
        XCTAssertEqual(alpha.headcount, 30)
        XCTAssertEqual(alpha.note, "second")
        XCTAssertEqual(alpha.aliases, ["Alpha Bio Co., Ltd."])
        XCTAssertEqual(whole.session.model.enterprises[id: "pharmablock"]?.headcount, 5)
        whole.run(["undo"])
        XCTAssertEqual(whole.session.model, original, "undo takes back the import and its updates")
        // An update the kind refuses (a headcount past the maximum) rejects its row, with its
        // line, and leaves the record it matched as it was.
        let bad = write(whole, "bad.csv", Array((header + rows[0] + "\na4,Alpha Bio,,2000000000000,\n").utf8))
        whole.run(["registry import \(bad) --skip-bad"])
        XCTAssertTrue(whole.stdout.contains("   3  invalid headcount '2000000000000'"), whole.stdout)
        XCTAssertEqual(whole.session.model.enterprises[id: "a1"]?.headcount, 10)
        // Bad rows are listed by line, although an update of an enterprise that was there
        // before (line 2) is refused after the rows that follow it (line 3).
        let late = write(whole, "late.csv", Array((header + "p2,PharmaBlock,,2000000000000,\nc1,Gamma Bio,,-5,\n").utf8))
        whole.run(["registry import \(late) --skip-bad --rejects \(whole.path("rejects.csv"))"])
        let rejects = try String(contentsOfFile: whole.path("rejects.csv"), encoding: .utf8)
        XCTAssertEqual(rejects.split(whereSeparator: \.isNewline).dropFirst().map { $0.prefix(2) }, ["2,", "3,"], rejects)
    }

    func testReimportingAnUpdatedExportAndDuplicatesInOneFile() throws {
        let harness = SessionHarness()
        try FileManager.default.createDirectory(atPath: harness.path("v1"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: harness.path("v2"), withIntermediateDirectories: true)
        let first = write(harness, "v1/list.csv", Array("name\nAlpha Bio\nBeta Bio\n".utf8))
        let second = write(harness, "v2/list.csv", Array("name\nGamma Bio\nAlpha Bio\nBeta Bio\n\"Gamma Bio Co., Ltd.\"\n".utf8))
        let count = harness.session.model.enterprises.count
        harness.run(["registry import \(first)", "registry import \(second)"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises.count, count + 3, "Alpha and Beta updated, Gamma once")
        XCTAssertTrue(harness.session.model.enterprises.last?.aliases.contains("Gamma Bio Co., Ltd.") == true)
    }

    /// On screen the matches table shows its first rows and counts the rest, in a dry run as in
    /// the import; a data format lists every match, each with the row's name.
    func testManyMatchesAreCountedOnScreenAndListedInData() throws {
        let harness = SessionHarness()
        let code = try XCTUnwrap(CreditCode.withCheckCharacter("91320100MA1OMEGA1".replacingOccurrences(of: "O", with: "0")))
        let rows = (0...30).map { "Omega Bio \($0 == 0 ? "" : "Co. Ltd."),\(code)" }
        let path = write(harness, "omega.csv", Array(("name,credit_code\n" + rows.joined(separator: "\n") + "\n").utf8))
        for dryRun in [true, false] {
            let (out, err) = (harness.stdout.count, harness.stderr.count)
            harness.run(["registry import \(path)" + (dryRun ? " --dry-run" : "")])
            let said = String(harness.stdout.dropFirst(out)) + String(harness.stderr.dropFirst(err))
            XCTAssertEqual(harness.errors, [])
            XCTAssertTrue(said.contains("… and \(30 - RegistryImport.matchesShown) more matched rows"), said)
            XCTAssertEqual(said.components(separatedBy: "Omega Bio Co. Ltd.").count - 1, RegistryImport.matchesShown, said)
        }
        harness.run(["registry import \(path) --on-match skip --format csv"])
        let listed = harness.stdout.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("matches,") }
        XCTAssertEqual(listed.count, 31, "every row matches the first import's enterprise, each listed")
        XCTAssertTrue(listed.allSatisfy { $0.contains(",Omega Bio") && $0.hasSuffix(",credit code,skipped") }, listed.prefix(3).joined(separator: "\n"))
    }

    /// The same name registered in two places is two companies: rows whose credit codes both
    /// exist and differ never match by name (a generated 1M-row registry with repeated names
    /// merged into 4,000 enterprises before this rule); a row without a code still does.
    func testNamesNeverMatchAcrossDifferentCreditCodes() throws {
        let harness = SessionHarness()
        let path = write(harness, "codes.csv", Array("""
            name,credit_code
            Delta Bio,91320100MA1XXXXX11
            Delta Bio Co. Ltd.,91320500MA1YYYYY21
            Delta Bio,
            Delta Bio,91320100MA1XXXXX11

            """.utf8))
        let count = harness.session.model.enterprises.count
        harness.run(["registry import \(path)"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises.count, count + 3,
                       "two codes, two companies; the code-less row matches neither (their shared name identifies neither); the last row updates the first by code")
        XCTAssertEqual(harness.session.model.enterprises.filter { $0.creditCode == "91320100MA1XXXXX11" }.count, 1)
        // A code that is not a code matches no one, not even a code-less company of the same
        // name: the row is refused as a new one, with its line and the code, and is not listed
        // as matched (a lower-case code is upper-cased and matches).
        let odd = write(harness, "odd.csv", Array("name,credit_code\nTheta Bio,\nTheta Bio,XYZ\nDelta Bio Co. Ltd.,91320500ma1yyyyy21\n".utf8))
        let beforeOdd = harness.session.model
        harness.run(["registry import \(odd) --skip-bad --format csv"])
        XCTAssertEqual(harness.errors, [])
        let rows = harness.stdout.split(whereSeparator: \.isNewline)
        XCTAssertTrue(rows.contains { $0.hasPrefix("problems,,,,,,,,3,") && $0.contains("invalid credit-code 'XYZ'") }, harness.stdout)
        XCTAssertFalse(rows.contains { $0.hasPrefix("matches,,,,,,,,3,") }, "the bad row is not listed as matched")
        XCTAssertTrue(rows.contains { $0.hasPrefix("matches,,,,,,,,4,Delta Bio Co. Ltd.,") && $0.contains(",credit code,updated") },
                      "the lower-case code matches by code")
        XCTAssertEqual(harness.session.model.enterprises.count, beforeOdd.enterprises.count + 1)
        XCTAssertNil(harness.session.model.enterprises.first { $0.nameEN == "Theta Bio" }?.creditCode)
        // A code-less row matched by name takes the code of the row that matches it: a third
        // row of the same name with another code is another company.
        let chain = write(harness, "chain.csv", Array("name,credit_code\nZeta Bio,\nZeta Bio,91320100MA1QQQQQ1P\nZeta Bio,91320500MA1WWWWW1D\n".utf8))
        let start = harness.session.model.enterprises.count
        harness.run(["registry import \(chain)"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises.count, start + 2)
        // So under --on-match skip, where the matched company is not updated and its record
        // never holds the code: the code is remembered by the import itself.
        let skipChain = write(harness, "skip-chain.csv", Array("name,credit_code\nEta Bio,\nEta Bio,91320100MA1HHHHH1X\nEta Bio,91320500MA1KKKKK26\n".utf8))
        let beforeSkip = harness.session.model.enterprises.count
        harness.run(["registry import \(skipChain) --on-match skip"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises.count, beforeSkip + 2, "the third row's code differs from the one the second row gave")
        XCTAssertNil(harness.session.model.enterprises.first { $0.nameEN == "Eta Bio" && $0.creditCode == "91320100MA1HHHHH1X" }, "a skipped match updates nothing")
        // A name two companies of the file share identifies neither: a later row without a code is new.
        let shared = write(harness, "shared.csv", Array("name,credit_code\nEpsilon Bio,91320100MA1XXXXX11\nEpsilon Bio,91320500MA1YYYYY21\nEpsilon Bio,\n".utf8))
        let before = harness.session.model.enterprises.count
        harness.run(["registry import \(shared) --on-match skip"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises.count, before + 1, "the coded rows match Delta's codes and are skipped; the code-less row matches no one")
        let a = CreditCode.Packed("91320100MA1XXXXX11"), b = CreditCode.Packed("91320500MA1YYYYY21")
        XCTAssertEqual(EnterpriseMatcher.codesAgree(a, b), false)
        XCTAssertEqual(EnterpriseMatcher.codesAgree(a, a), true)
        XCTAssertEqual(EnterpriseTable.words(" a; b；c、d\ne\r\n;; 细胞治疗 "), ["a", "b", "c", "d", "e", "细胞治疗"])
        XCTAssertEqual(EnterpriseTable.words(""), [])
        XCTAssertEqual(EnterpriseMatcher.codesAgree(a, nil), true)
    }

    /// A code learnt through one of a company's names holds for its other names too; a name a
    /// new row shares with a model company identifies neither afterwards.
    func testCodesHoldPerCompanyAcrossItsNames() throws {
        let harness = SessionHarness()
        let count = harness.session.model.enterprises.count
        // pharmablock (药石科技 / PharmaBlock) has no code in the built-in data.
        let path = write(harness, "names.csv", Array("name,credit_code\n南京药石科技股份有限公司,91320100MA1QQQQQ1P\n\"PharmaBlock Co., Ltd.\",91320500MA1WWWWW1D\nPharmaBlock,\n".utf8))
        harness.run(["registry import \(path)"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.enterprises[id: "pharmablock"]?.creditCode, "91320100MA1QQQQQ1P")
        XCTAssertEqual(harness.session.model.enterprises.count, count + 2,
                       "the second code is another company; then the name PharmaBlock is shared and the code-less row matches neither")
    }

    func testAWorkbookWithACellInColumnXFDStaysSmall() throws {
        // One cell at XFD (column 16,384) on each of 2,000 rows: laid out to the header's width.
        var rows = #"<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>"#
        for row in 2...2001 { rows += #"<row r="\#(row)"><c r="A\#(row)" t="inlineStr"><is><t>N\#(row)</t></is></c><c r="XFD\#(row)"><v>1</v></c></row>"# }
        let workbook = try XLSXWriter.package([("s", #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"# + rows + "</sheetData></worksheet>")])
        let harness = SessionHarness()
        harness.run(["registry import \(write(harness, "wide.xlsx", workbook)) --skip-bad"])
        XCTAssertTrue(harness.stdout.contains("2000"), harness.stdout + harness.stderr)
        XCTAssertTrue(harness.stdout.contains("(cells past the header)") || harness.stdout.contains("invalid row"), harness.stdout)
    }

    func testDryRunChangesNothingAndPrintsTheReproducingCommand() throws {
        let harness = SessionHarness()
        let path = write(harness, "gb.csv", try gb18030("企业名称|成立日期\n示例丙有限公司|2019/3/1\n"))
        let before = harness.session.model
        harness.run(["registry import \(path) --dry-run"])
        XCTAssertEqual(harness.session.model, before)
        XCTAssertTrue(harness.stdout.contains("read as: csv, GB18030 (not valid UTF-8), delimiter '|'"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("reproduce with: registry import \(path) --encoding gb18030 --delimiter '|'"), harness.stdout)
        harness.run(["undo"])
        XCTAssertTrue(harness.stderr.contains("nothing to undo"), "a dry run leaves no undo level")
    }

    func testExportReimportsIntoAnEmptyModelInEveryFormat() throws {
        for name in ["out.csv", "out.xlsx", "out.json"] {
            let harness = SessionHarness()
            let file = harness.path(name)
            harness.run(["registry export \(file)"])
            XCTAssertEqual(harness.errors, [], name)
            let empty = SessionHarness(model: emptyModel())
            empty.run(name.hasSuffix(".json") ? ["registry sector list"] : ["registry import \(file)"])
            if name.hasSuffix(".json") { continue }
            XCTAssertEqual(empty.errors, [], name)
            XCTAssertEqual(empty.session.model.enterprises.count, harness.session.model.enterprises.count, name)
            let original = try XCTUnwrap(harness.session.model.enterprises[id: "geneseeq"])
            let copy = try XCTUnwrap(empty.session.model.enterprises[id: "geneseeq"])
            XCTAssertEqual(copy.nameEN, original.nameEN, name)
            XCTAssertEqual(copy.founded, original.founded, name)
            XCTAssertEqual(copy.sectors, original.sectors, "sector ids survive the round trip: \(name)")
        }
    }
}
