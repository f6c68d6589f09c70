import XCTest
@testable import ValleyCore

/// Issue 15: tables wider than the terminal are shown one block per row; long values of a
/// `show` record wrap under their column instead of running off the screen.
final class ExpandedDisplayTests: XCTestCase {
    let table: Table = {
        var table = Table(columns: ["id", "name", "note"])
        table.append([.text("a"), .text("Alpha"), .text(String(repeating: "wide ", count: 20))])
        table.append([.text("b"), .text("驯鹿生物"), .empty])
        return table
    }()

    func testAutomaticExpansionOnlyWhenWiderThanTheTerminal() {
        let narrow = OutputFormat.table.render([.table(table)], width: 40).data
        XCTAssertTrue(narrow.hasPrefix("-[ 1 ]-"), narrow)
        XCTAssertTrue(narrow.contains("\nid    a\nname  Alpha\nnote  wide wide"), narrow)
        XCTAssertTrue(narrow.contains("\n-[ 2 ]-"), narrow)
        XCTAssertTrue(narrow.hasSuffix("\nid    b\nname  驯鹿生物\nnote\n"), narrow)
        XCTAssertTrue(narrow.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 40 }, narrow)
        let wide = OutputFormat.table.render([.table(table)], width: 200).data
        XCTAssertEqual(wide, OutputFormat.table.render(table), "fits: the ordinary table")
        XCTAssertEqual(OutputFormat.table.render([.table(table)]).data, OutputFormat.table.render(table), "no terminal: never expanded")
        XCTAssertTrue(OutputFormat.table.render([.table(table)], expanded: true, width: nil).data.hasPrefix("-[ 1 ]"), "set expanded on")
        XCTAssertEqual(OutputFormat.csv.render([.table(table)], expanded: true, width: 10).data, OutputFormat.csv.render(table), "data formats never change")
    }

    func testRecordValuesWrapUnderTheirColumn() {
        let record = Table.record([("id", .text("x")), ("note", .text("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"))])
        let text = OutputFormat.table.render([.table(record)], width: 30).data
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.allSatisfy { displayWidth($0) <= 30 }, text)
        // Labels pad to the width of "field" (5) and two spaces: values start at column 8.
        XCTAssertEqual(lines.filter { $0.hasPrefix("       ") }.count, 2, "the value continues under itself: \(text)")
        XCTAssertEqual(lines.dropFirst(2).map { $0.dropFirst(7) }.joined(), "x" + "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十")
    }

    func testWrapBreaksAtSpacesWhenItCan() {
        XCTAssertEqual(TableRenderer.wrap("alpha beta gamma delta", width: 11), ["alpha beta", "gamma delta"])
        XCTAssertEqual(TableRenderer.wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(TableRenderer.wrap("short", width: 10), ["short"])
    }
}
