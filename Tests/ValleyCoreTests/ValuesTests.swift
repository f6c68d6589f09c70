import Foundation
import XCTest
@testable import ValleyCore
import ValleyTestSupport

final class CalendarDateTests: XCTestCase {
    func testParsesEachPrecision() {
        XCTAssertEqual(CalendarDate("2011"), CalendarDate(year: 2011))
        XCTAssertEqual(CalendarDate("2020-08"), CalendarDate(year: 2020, month: 8))
        XCTAssertEqual(CalendarDate("2024-01-12")?.description, "2024-01-12")
        XCTAssertEqual(CalendarDate("2024-02-29")?.day, 29)
    }

    /// Only `YYYY`, `YYYY-MM` and `YYYY-MM-DD` of real dates parse: the parser agrees with a
    /// plain reading of the text (split at '-', widths 4, 2, 2) on random texts of those bytes.
    func testParsesOnlyTheThreeFormsOfRealDates() {
        for text in ["", "-", "2020-", "-2020", "2020-1", "2020-1-01", "202-01", "20201", "2020-13", "2020-00", "2023-02-29",
                     "2024-04-31", "2020-01-01-", "2020-01-01-01", "2020--01", "2020-01-1", "２０２０", "2020 ", "12345"] {
            XCTAssertNil(CalendarDate(text), text)
        }
        XCTAssertEqual(CalendarDate("0000-12-31"), CalendarDate(year: 0, month: 12, day: 31))
        var random = SeededGenerator(state: 11)
        let bytes = Array("0123456789-".utf8) + [0x31, 0x32, 0x30, 0x32, 0x2D]
        for _ in 0..<20_000 {
            let text = String(decoding: (0..<Int.random(in: 1...11, using: &random)).map { _ in bytes.randomElement(using: &random)! }, as: UTF8.self)
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            let widthsFit = (1...3).contains(parts.count) && parts.enumerated().allSatisfy { $1.count == ($0 == 0 ? 4 : 2) && $1.utf8.allSatisfy { (0x30...0x39).contains($0) } }
            var expected: CalendarDate?
            if widthsFit {
                let numbers = parts.map { Int($0)! }
                let month = numbers.count > 1 ? numbers[1] : nil, day = numbers.count > 2 ? numbers[2] : nil
                if month.map({ (1...12).contains($0) }) ?? true, day.map({ $0 >= 1 && $0 <= CalendarDate.daysIn(month: month!, year: numbers[0]) }) ?? true {
                    expected = CalendarDate(year: numbers[0], month: month, day: day)
                }
            }
            XCTAssertEqual(CalendarDate(text), expected, text)
        }
    }

    /// `description` (made in one step for years 0–9999) and `appendDescription` give the
    /// same text, which parses back to the date, at every precision and at the year's edges.
    func testTheTextOfADateIsTheSameEitherWayAndReadsBack() {
        XCTAssertEqual(CalendarDate(year: 5).description, "0005")
        XCTAssertEqual(CalendarDate(year: 987, month: 3).description, "0987-03")
        XCTAssertEqual(CalendarDate(year: 2024, month: 12, day: 31).description, "2024-12-31")
        XCTAssertEqual(CalendarDate(year: 12_345, month: 1, day: 2).description, "12345-01-02")
        for year in [0, 1, 9, 10, 999, 1000, 1999, 2024, 9999, 10_000, 32_767, -1, -2024] {
            for (month, day) in [(nil, nil), (1, nil), (10, nil), (2, 9), (11, 30)] as [(Int?, Int?)] {
                let date = CalendarDate(year: year, month: month, day: day)
                var bytes: [UInt8] = []
                date.appendDescription(to: &bytes)
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self), date.description, "\(year) \(month ?? 0) \(day ?? 0)")
                if (0...9999).contains(year) { XCTAssertEqual(CalendarDate(date.description), date, date.description) }
            }
        }
    }

    func testRejectsMalformedDates() {
        for bad in ["", "24", "2024-13", "2023-02-29", "2024-1-5", "2024/01/01", "abcd", "2024-01-32"] {
            XCTAssertNil(CalendarDate(bad), bad)
        }
    }

    func testOrdersCoarserDatesFirst() {
        XCTAssertLessThan(CalendarDate("2020")!, CalendarDate("2020-01")!)
        XCTAssertLessThan(CalendarDate("2020-08")!, CalendarDate("2021")!)
    }
}

final class TransitDurationTests: XCTestCase {
    func testParsesUnitsInOrder() {
        XCTAssertEqual(TransitDuration("30h")?.seconds, 30 * 3600)
        XCTAssertEqual(TransitDuration("2d6h")?.seconds, 54 * 3600)
        XCTAssertEqual(TransitDuration("90m")?.seconds, 5400)
        XCTAssertEqual(TransitDuration("1h30m15s")?.seconds, 5415)
    }

    func testRejectsBadForms() {
        for bad in ["", "h", "30", "6h2d", "3x", "1h1h", "-3h", "1.5h"] {
            XCTAssertNil(TransitDuration(bad), bad)
        }
    }

    func testDescribesInHours() {
        XCTAssertEqual(TransitDuration.hours(144).description, "144h")
        XCTAssertEqual(TransitDuration(seconds: 9000).description, "2h30m")
        XCTAssertEqual(TransitDuration(seconds: -1800).description, "-30m")
        XCTAssertEqual(TransitDuration(seconds: 0).description, "0m")
    }
}

final class RendererTests: XCTestCase {
    let table = Table(columns: ["name", "count"], rows: [["驯鹿生物", 12], ["IASO Bio", 3]])

    func testChineseTakesTwoColumnsAndNumbersAlignRight() {
        let lines = OutputFormat.table.render(table).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "name      count")
        XCTAssertEqual(lines[2], "驯鹿生物     12")
        XCTAssertEqual(lines[3], "IASO Bio      3")
        XCTAssertEqual(displayWidth("驯鹿生物"), 8)
        XCTAssertEqual(displayWidth("e\u{301}"), 1)
    }

    func testCSVQuotesPerRFC4180() {
        let quoted = Table(columns: ["a", "b"], rows: [["x,y", "say \"hi\""], ["line\nbreak", "plain"]])
        XCTAssertEqual(OutputFormat.csv.render(quoted), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",plain\r\n")
    }

    func testJSONKeepsTypes() throws {
        let mixed = Table(columns: ["n", "x", "ok", "none", "s"], rows: [[5, .number(1.5, digits: 2), .boolean(true), .empty, "a\"b"]])
        let text = OutputFormat.json.render(mixed)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.first?["n"] as? Int, 5)
        XCTAssertEqual(parsed?.first?["x"] as? Double, 1.5)
        XCTAssertEqual(parsed?.first?["ok"] as? Bool, true)
        XCTAssertTrue(parsed?.first?["none"] is NSNull)
        XCTAssertEqual(parsed?.first?["s"] as? String, "a\"b")
    }

    func testMarkdownEscapesPipes() {
        let piped = Table(columns: ["a"], rows: [["x|y"]])
        XCTAssertEqual(OutputFormat.markdown.render(piped), "| a |\n| --- |\n| x\\|y |\n")
    }

    func testEmptyTableSaysSo() {
        XCTAssertTrue(OutputFormat.table.render(Table(columns: ["a"])).hasSuffix("(no rows)\n"))
        XCTAssertEqual(OutputFormat.json.render(Table(columns: ["a"])), "[]\n")
    }

    func testNumberFormatting() {
        XCTAssertEqual(Cell.format(49.5, digits: 2), "49.50")
        XCTAssertEqual(Cell.format(-0.125, digits: 2), "-0.13")
        XCTAssertEqual(Cell.format(2.0, digits: 0), "2")
        XCTAssertEqual(Cell.format(1e300, digits: 0), "1e+300")
        XCTAssertEqual(Cell.format(-1e20, digits: 2), "-1e+20")
        XCTAssertEqual(Cell.format(12.5, digits: 400), "12.5", "more digits than a Double holds: its shortest form")
    }
}

final class ErrorTests: XCTestCase {
    func testExitCodes() {
        XCTAssertEqual(ValleyError.usage("x").exitCode, 1)
        XCTAssertEqual(ValleyError.interrupted.exitCode, 130)
        XCTAssertEqual(ValleyError.located(file: "a", line: 2, .interrupted).exitCode, 130)
    }

    func testMessagesAreOneLine() {
        let error = ValleyError.located(file: "s.valley", line: 3, .unknownCommand("regstry", suggestion: "registry"))
        XCTAssertEqual(ValleyError.describe(error), "s.valley:3: unknown command 'regstry' (did you mean 'registry'?); type 'help' for the list")
        XCTAssertFalse(ValleyError.describe(ValleyError.usage("a\nb")).contains("\n"))
    }
}

final class ProgressLineTests: XCTestCase {
    func testTheLineSaysRowsRateAndTimeLeft() {
        let text = ProgressLine.text(rows: 1_234_567, bytes: 50_000_000, totalBytes: 150_000_000, elapsed: .seconds(2), verb: "read")
        XCTAssertEqual(text, "read 1,234,567 rows · 25.0 MB/s · 33 % · 4s left")
        XCTAssertEqual(ProgressLine.text(rows: 10, bytes: 1_000_000, totalBytes: 0, elapsed: .seconds(1), verb: "wrote"), "wrote 10 rows · 1.0 MB/s")
    }
}
