import Foundation
import XCTest

/// Every class of bad input, on the built binary: one clear line on stderr naming the place,
/// exit status 1, and the model unchanged (the workspace saved before and after is identical).
final class BadInputTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws { directory = try ValleyProcess.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }

    /// Runs `command` from a script, between two saves, and checks the error line and the unchanged model.
    func assertRefused(_ command: String, mentions expected: String, file: StaticString = #filePath, sourceLine: UInt = #line) throws {
        let before = directory + "/before.json", after = directory + "/after.json"
        let script = self.file("commands.valley", "save \(before)\n\(command)\nsave \(after)\n")
        let result = try ValleyProcess.run([script], directory: directory)
        XCTAssertEqual(result.status, 1, String(command.prefix(200)), file: file, line: sourceLine)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 1, "one line: \(result.stderr)", file: file, line: sourceLine)
        XCTAssertTrue(result.stderr.hasPrefix("\(script):2: error: "), result.stderr, file: file, line: sourceLine)
        XCTAssertTrue(result.stderr.contains(expected), "\(expected) in \(result.stderr)", file: file, line: sourceLine)
        XCTAssertLessThan(result.stderr.utf8.count, 500, "a readable line", file: file, line: sourceLine)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: before)), try Data(contentsOf: URL(fileURLWithPath: after)), String(command.prefix(200)), file: file, line: sourceLine)
    }

    func testCommandLevelMistakes() throws {
        try assertRefused("frobnicate", mentions: "unknown command 'frobnicate'")
        try assertRefused("registry list --nope", mentions: "registry list: unknown option '--nope'")
        try assertRefused("registry show \"IASO", mentions: "column 15: unbalanced quote")
        try assertRefused("registry list --where \"founded >> 2\"", mentions: "--where, column 10")
        try assertRefused("registry list --where \"(((founded > 2000)\"", mentions: "expected ')'")
        try assertRefused("logistics check hk-sample-to-nanjing --cargo apheresis-fresh --depart 2025-03-01", mentions: "invalid --depart '2025-03-01'")
        try assertRefused("logistics leg add x --from hkg --to nkg --kind road --duration 1.5h --assumption a", mentions: "invalid --duration '1.5h'")
        try assertRefused("registry show " + String(repeating: "A", count: 10_000_000), mentions: "no enterprise named 'AAAA")
    }

    func testMalformedCSVRows() throws {
        let header = "id,name,founded,credit_code,headcount\n"
        let cases: [(String, String)] = [
            ("x1,\"unclosed,2015,,\n", "unbalanced quote"),
            ("x1,Too,2015,,1,2\n", "invalid row '6 fields': expected 5 fields as in the header"),
            ("x1,Short\n", "invalid row '2 fields'"),
            ("x1,Bad Number,2015,,lots\n", "invalid headcount 'lots'"),
            ("x1,Bad Date,2015-02-30,,\n", "invalid founded '2015-02-30'"),
            ("x1,Bad Code,2015,91350100M000100Y40,\n", "invalid credit-code '91350100M000100Y40'"),
        ]
        for (index, (row, message)) in cases.enumerated() {
            let path = file("bad\(index).csv", header + "ok1,Fine,2015,,\n" + row)
            try assertRefused("registry import \(path)", mentions: "\(path):3: \(message)")
        }
    }

    /// A workspace the store's validation refuses: `open` names the place and changes nothing;
    /// `--workspace` exits 66 with the same line.
    func testWorkspacesWithBadRecordsAreRefusedWithTheirPlace() throws {
        let source = #"{"id":"s","title":"t","publisher":"p","reliability":"primary"}"#
        func enterprise(_ id: String, _ extra: String = "") -> String {
            #"{"id":"\#(id)","nameEN":"E","aliases":[],"status":"active","sectors":[],"designations":[],"listings":[],"sources":["s"]\#(extra)}"#
        }
        let cases: [(String, String)] = [
            ("[" + enterprise("a") + "," + enterprise("a") + "]", "model.enterprises.[1] (id 'a'): an enterprise with id 'a' already exists"),
            ("[" + enterprise("a", #","headcount":-1"#) + "]", "model.enterprises.[0] (id 'a'): invalid headcount '-1'"),
            ("[" + enterprise("a", #","sectors":["nowhere"]"#).replacingOccurrences(of: #""sectors":[],"#, with: "") + "]",
             "enterprise 'a': sector 'nowhere' names no sector"),
        ]
        for (index, (enterprises, message)) in cases.enumerated() {
            let path = file("bad\(index).json", #"{"format":"valley-workspace","version":2,"model":{"sources":[\#(source)],"enterprises":\#(enterprises)}}"#)
            try assertRefused("open \(path)", mentions: message)
            let result = try ValleyProcess.run(["--workspace", path, "-c", "model"], directory: directory)
            XCTAssertEqual(result.status, 66)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
    }

    func testFilesThatCannotBeUsed() throws {
        try assertRefused("registry import \(directory!)/missing.csv", mentions: "missing.csv: no such file")
        try assertRefused("registry import \(directory!)", mentions: "is a directory, not a file")
        try assertRefused("registry import \(file("empty.csv", ""))", mentions: "empty.csv: is empty")
        try assertRefused("registry import \(file("latin1.csv", Array("id,name\nok,Fine\nx,".utf8) + [0xE9, 0x0A]))", mentions: "latin1.csv:3: invalid text")
        let truncated = file("truncated.json", "{\"format\": \"valley-workspace\", \"version\": 1, \"model\": {\"sour")
        try assertRefused("open \(truncated)", mentions: "not a Valley workspace: not valid JSON")
        let other = file("other.json", "[1, 2, 3]")
        try assertRefused("open \(other)", mentions: "not a Valley workspace")
        try assertRefused("source \(directory!)/none.valley", mentions: "none.valley: no such file")
        try assertRefused("save /proc/valley-cannot-write-here.json", mentions: "cannot be written")
    }

    func testInvalidUTF8InAScriptNamesItsLine() throws {
        let script = file("bad.valley", Array("model\nregistry show ".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
        let result = try ValleyProcess.run([script])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1)
        XCTAssertTrue(result.stderr.contains("\(script):2:"), result.stderr)
        let piped = try ValleyProcess.run([], stdin: String(decoding: Array("model\n".utf8), as: UTF8.self) + "x\u{0}\n")
        XCTAssertEqual(piped.status, 1)
    }

    func testLimits() throws {
        // A million-line script of comments and blank lines runs.
        var text = ""
        text.reserveCapacity(5_000_000)
        for index in 0..<1_000_000 { text += index % 2 == 0 ? "# line\n" : "\n" }
        let big = file("big.valley", text + "model\n")
        let result = try ValleyProcess.run([big])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("enterprises"))
        // `source` nested deeper than the limit is refused, with the innermost place named.
        for depth in 0..<40 { _ = file("s\(depth).valley", "source s\(depth + 1).valley\n") }
        _ = file("s40.valley", "model\n")
        let deep = try ValleyProcess.run([directory + "/s0.valley"], directory: directory)
        XCTAssertEqual(deep.status, 1)
        XCTAssertTrue(deep.stderr.contains("source nested more than 32 deep"), deep.stderr)
        // A filter nested 10,000 deep is an error, not a crash.
        let nested = String(repeating: "(", count: 10_000) + "founded > 2000" + String(repeating: ")", count: 10_000)
        try assertRefused("registry list --where '\(nested)'", mentions: "nested more than")
    }

    /// A script is read line by line and the shell keeps no per-line state, so a script 100
    /// times longer needs no more memory: a 1,000,000-line script (33 MB) peaks within 8 MB
    /// of a 10,000-line one. (Reading the whole file, as the shell once did, cost ~90 MB more.)
    func testMemoryDoesNotGrowWithTheScriptsLength() throws {
        func script(_ name: String, lines: Int) throws -> String {
            var text = ""
            text.reserveCapacity(lines * 34)
            for index in 0..<lines { text += index % 1_000 == 0 ? "set var n \(index)\n" : "# comment line number \(index)\n" }
            return file(name, text)
        }
        let short = try ValleyProcess.peakMemory(["--no-rc", try script("short.valley", lines: 10_000)])
        let long = try ValleyProcess.peakMemory(["--no-rc", try script("long.valley", lines: 1_000_000)])
        XCTAssertEqual(short.status, 0)
        XCTAssertEqual(long.status, 0)
        XCTAssertLessThan(long.kilobytes, short.kilobytes + 8_192, "peak \(long.kilobytes) KB for 1M lines, \(short.kilobytes) KB for 10k")
        // A 10 MB line is held a few times over (bytes, line, word, variable), not 20 times
        // over as when the tokenizer worked on `[Character]` (16 bytes a character).
        let line = file("line.valley", "set var big \"" + String(repeating: "x", count: 10_000_000) + "\"\nset var ok 1\n")
        let wide = try ValleyProcess.peakMemory(["--no-rc", line])
        XCTAssertEqual(wide.status, 0)
        XCTAssertLessThan(wide.kilobytes, short.kilobytes + 120_000, "peak \(wide.kilobytes) KB for a 10 MB line")
    }
}
