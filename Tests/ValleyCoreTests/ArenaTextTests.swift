import XCTest
@testable import ValleyCore

final class ArenaTextTests: XCTestCase {
    /// Texts appended to one arena read back as they were, across chunk boundaries, with a
    /// text too large for a shared chunk and the empty text among them.
    func testAppendedTextsReadBackAcrossChunks() {
        var arena = TextArena()
        let texts = (0..<6_000).map { "Company \($0) 生物科技" } + ["", String(repeating: "x", count: TextArena.chunkSize), "é"]
        let kept = texts.map { arena.append($0) }
        XCTAssertEqual(kept.map(\.string), texts)
        XCTAssertEqual(kept.map(\.utf8Count), texts.map(\.utf8.count))
        XCTAssertFalse(kept[0].chunk === kept[5_999].chunk, "6,000 texts of ~30 bytes fill more than one chunk")
        XCTAssertTrue(kept[0].chunk === kept[1].chunk)
        XCTAssertFalse(kept[6_001].chunk === kept[6_000].chunk, "a text of a whole chunk's size gets a chunk of its own")
        XCTAssertTrue(kept[6_002].chunk === kept[6_000].chunk, "and the arena goes on filling the chunk it had")
    }

    func testStartChunkSharesNothingWithEarlierTexts() {
        var arena = TextArena()
        let first = arena.append("Alpha Bio")
        arena.startChunk()
        let second = arena.append("Beta Devices")
        XCTAssertFalse(first.chunk === second.chunk)
        XCTAssertEqual([first.string, second.string], ["Alpha Bio", "Beta Devices"])
    }

    /// Equal as strings are equal, wherever the bytes are kept, and hashed alike.
    func testEqualityAndHashFollowStrings() {
        var arena = TextArena()
        let pairs: [(String, String)] = [("IASO Bio", "IASO Bio"), ("caf\u{E9}", "cafe\u{301}"), ("\u{212A}", "K"), ("a", "b"), ("", "")]
        for (a, b) in pairs {
            let x = arena.append(a), y = ArenaText(b)
            XCTAssertEqual(x == y, a == b, "\(a) against \(b)")
            if a == b { XCTAssertEqual(x.hashValue, y.hashValue, a) }
        }
    }

    func testASCIIBytesAreGivenOnlyForASCIIText() {
        XCTAssertEqual(ArenaText("Alpha").withASCII { Array($0) }, Array("Alpha".utf8))
        XCTAssertNil(ArenaText("驯鹿").withASCII { _ in true })
    }

    /// An enterprise's English name kept in an arena is the same name to every reader: its
    /// property, a filter (both the byte path and the general one), equality and JSON.
    func testEnterpriseNamesKeptInAnArenaReadAsStrings() throws {
        var arena = TextArena()
        var a = Enterprise(id: "a", sources: [])
        a.packedNameEN = arena.append("Alpha Bio")
        var b = Enterprise(id: "b", sources: [])
        b.packedNameEN = arena.append("Ålpha Øre")
        let plain = Enterprise(id: "a", nameEN: "Alpha Bio", sources: [])
        XCTAssertEqual(a, plain)
        XCTAssertEqual(a.nameEN, "Alpha Bio")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        XCTAssertEqual(try encoder.encode(a), try encoder.encode(plain))
        let records = [a, b, Enterprise(id: "c", nameZH: "驯鹿生物", sources: [])]
        func ids(_ expression: String) throws -> [String] {
            let filter = try Enterprise.fields.filter(expression)
            return records.filter(filter.matches).map(\.id)
        }
        // The filter's byte path: the bytes of an ASCII name, none for one that is not ASCII.
        let readASCII = try XCTUnwrap(Enterprise.fields.field(named: "name")?.readASCII)
        XCTAssertEqual(withUnsafePointer(to: a) { readASCII($0) { String(decoding: $0, as: UTF8.self) == "Alpha Bio" } }, true)
        XCTAssertNil(withUnsafePointer(to: b) { readASCII($0) { _ in true } })
        XCTAssertEqual(try ids("name ~ BIO"), ["a"])
        XCTAssertEqual(try ids("name = 'alpha bio'"), ["a"])
        XCTAssertEqual(try ids("name ~ 'ålpha'"), ["b"], "text that is not ASCII takes the general path, which folds Å")
        XCTAssertEqual(try ids("name != 'alpha bio'"), ["b"], "a record without the field is neither = nor !=")
        a.nameEN = "Renamed"
        XCTAssertEqual(a.nameEN, "Renamed")
        XCTAssertEqual(b.nameEN, "Ålpha Øre", "a name set alone leaves the arena's other names as they were")
    }
}
