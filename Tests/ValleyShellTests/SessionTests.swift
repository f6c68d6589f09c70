import Foundation
import XCTest
@_spi(Shell) import ValleyCore
import ValleyTestSupport
@testable import ValleyShell

final class SessionTests: XCTestCase {
    func testHistoryKeepsTheLastThousandAndNumbersOnFromTheStart() {
        let harness = SessionHarness()
        harness.run((0..<2_500).map { "set var x \($0)" } + ["set format csv", "history 2", "history"])
        let lines = harness.stdout.components(separatedBy: "\r\n")
        XCTAssertEqual(Array(lines.prefix(3)), ["#,command", "2500,set var x 2499", "2501,set format csv"],
                       "a command joins the history once it has run")
        XCTAssertEqual(lines.filter { !$0.isEmpty }.count, 3 + 1 + 1_000, "'history' shows the last 1,000")
        XCTAssertTrue(lines.contains("1503,set var x 1502"), "the oldest shown")
        XCTAssertFalse(lines.contains("1502,set var x 1501"))
        XCTAssertLessThan(harness.session.commandHistory.count, 2_000, "trimmed as it goes")
    }

    func testRunsPluginCommandsAndRendersInTheSessionFormat() {
        let harness = SessionHarness()
        harness.run(["set format csv", "registry show 驯鹿生物"])
        XCTAssertTrue(harness.stdout.hasPrefix("id,name,name-zh,alias,"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("\r\niaso-bio,IASO Bio,驯鹿生物,Reindeer Medical,"), harness.stdout)
        XCTAssertEqual(harness.stderr, "")
        XCTAssertFalse(harness.session.hadFailure)
    }

    func testUnknownCommandSuggestsAndNamesFileAndLine() {
        let harness = SessionHarness()
        harness.run(["model", "regstry list", "registry lst"])
        XCTAssertEqual(harness.errorLines, [
            "test.valley:2: error: unknown command 'regstry' (did you mean 'registry'?); type 'help' for the list",
            "test.valley:3: error: unknown command 'registry lst' (did you mean 'registry list'?); type 'help' for the list",
        ])
        XCTAssertEqual(harness.session.exitStatus, 1)
    }

    func testFailedCommandLeavesTheModelUnchanged() {
        let harness = SessionHarness()
        let before = harness.session.model
        harness.run([
            "registry add acme --name Acme --source no-such-source",
            "registry add iaso-bio --name Dup --source seed-efec-2025",
            "registry add 'bad id' --name X --source seed-efec-2025",
            "registry add acme --name Acme --founded 2024-13 --source seed-efec-2025",
        ])
        XCTAssertEqual(harness.errorLines.count, 4, harness.stderr)
        XCTAssertEqual(harness.session.model, before)
        XCTAssertTrue(harness.errorLines[3].contains("invalid --founded '2024-13'"), harness.errorLines[3])
    }

    func testUndoAndRedo() {
        let harness = SessionHarness()
        let before = harness.session.model
        harness.run(["registry add acme --name Acme --source seed-efec-2025"])
        let after = harness.session.model
        XCTAssertEqual(after.enterprises.count, before.enterprises.count + 1)
        harness.run(["undo"])
        XCTAssertEqual(harness.session.model, before)
        harness.run(["redo"])
        XCTAssertEqual(harness.session.model, after)
        harness.run(["redo"])
        XCTAssertTrue(harness.stderr.contains("nothing to redo"))
    }

    func testUndoKeepsAHundredLevels() {
        let harness = SessionHarness(model: ClusterModel())
        harness.run(["registry add s0 --name S --source x"])
        XCTAssertTrue(harness.stderr.contains("no source named 'x'"))
        var model = ClusterModel()
        try! model.insert(Source(id: "x", title: "t", publisher: "p", reliability: .primary))
        let session = SessionHarness(model: model)
        session.run((0..<120).map { "registry add e\($0) --name E\($0) --source x" })
        session.run(Array(repeating: "undo", count: 120))
        XCTAssertEqual(session.session.model, model)
        XCTAssertEqual(session.stderr, "")
    }

    func testUndoMemoryLimitDropsTheOldestLevelsAndSaysSo() throws {
        // Levels of 400 updates each (~140 KB estimated) against a 1 MB limit.
        var model = ClusterModel()
        try model.insert(Source(id: "x", title: "t", publisher: "p", reliability: .primary))
        for index in 0..<400 { try model.insert(Enterprise(id: "e\(index)", nameEN: "E", headcount: 0, sources: ["x"])) }
        _ = model.takeChanges()
        var history = UndoHistory()
        history.memoryLimit = 1 << 20
        var dropped = 0
        for level in 1...20 {
            for index in 0..<400 { try model.update(Enterprise.self, id: "e\(index)") { $0.headcount = level } }
            dropped += history.push(model.takeChanges(), command: "level \(level)")
        }
        XCTAssertGreaterThan(dropped, 0)
        XCTAssertLessThanOrEqual(history.bytes, 1 << 20)
        XCTAssertEqual(history.undoCount, 20 - dropped)
        // The kept levels undo in order: after all of them, every headcount is the last dropped level's.
        while let level = history.popUndo() { history.pushRedo(model.revert(level.changes), command: level.command) }
        XCTAssertTrue(model.enterprises.allSatisfy { $0.headcount == dropped }, "\(model.enterprises.all.first?.headcount ?? -1)")

        // The session says so on stderr, and the setting is shown and checked.
        let session = SessionHarness()
        session.run(["set undo-memory 1MB", "set"])
        XCTAssertTrue(session.stdout.split(separator: "\n").contains { $0.hasPrefix("undo-memory ") && $0.hasSuffix(" 1 MB") }, session.stdout)
        session.run(["set undo-memory 12"])
        XCTAssertTrue(session.stderr.contains("invalid undo-memory '12'"))
        session.session.undoHistory.levelLimit = 2
        session.run(["registry add a --name A --source seed-efec-2025", "registry add b --name B --source seed-efec-2025",
                     "registry add c --name C --source seed-efec-2025"])
        XCTAssertTrue(session.stderr.contains("note: dropped the oldest 1 undo level (limits: 2 levels, 1 MB of undo memory"), session.stderr)
    }

    func testBailStopsAtTheFirstFailure() {
        var settings = Session.Settings()
        settings.bail = true
        let harness = SessionHarness(settings: settings)
        harness.run(["nope", "registry add acme --name Acme --source seed-efec-2025"])
        XCTAssertEqual(harness.errorLines.count, 1)
        XCTAssertFalse(harness.session.model.enterprises.contains { $0.id == "acme" })
        XCTAssertEqual(harness.session.exitStatus, 1)
    }

    func testWithoutBailTheRunGoesOnAndStillFails() {
        let harness = SessionHarness()
        harness.run(["nope", "registry add acme --name Acme --source seed-efec-2025"])
        XCTAssertTrue(harness.session.model.enterprises.contains { $0.id == "acme" })
        XCTAssertEqual(harness.session.exitStatus, 1)
    }

    func testContinuationAndUnbalancedQuoteAtEnd() {
        let harness = SessionHarness()
        harness.run(["registry show \\", "  iaso-bio", "", "registry show 'IASO"])
        XCTAssertTrue(harness.stdout.contains("驯鹿生物"))
        XCTAssertEqual(harness.errorLines, ["test.valley:4: error: column 15: unbalanced quote: the quote opened here is never closed"])
    }

    func testVariablesAndSetting() {
        let harness = SessionHarness()
        harness.run(["set var who 驯鹿生物", "registry show $who --format json", "set bail maybe", "set format xml"])
        XCTAssertTrue(harness.stdout.contains(#""id": "iaso-bio""#), harness.stdout)
        XCTAssertEqual(harness.errorLines, [
            "test.valley:3: error: invalid bail 'maybe': expected on or off",
            "test.valley:4: error: invalid format 'xml': expected table, csv, json, jsonl or markdown",
        ])
    }

    func testSourceNestsWithItsOwnLineNumbersAndRefusesCycles() throws {
        let harness = SessionHarness()
        let inner = harness.path("inner.valley")
        let outer = harness.path("outer.valley")
        try "model\nnope\nsource \(Tokenizer.quote(outer))\n".write(toFile: inner, atomically: true, encoding: .utf8)
        try "source \(Tokenizer.quote(inner))\n".write(toFile: outer, atomically: true, encoding: .utf8)
        harness.run(["source \(Tokenizer.quote(outer))"])
        XCTAssertEqual(harness.errorLines.count, 2, harness.stderr)
        XCTAssertTrue(harness.errorLines[0].hasPrefix("\(inner):2: error: unknown command 'nope'"), harness.errorLines[0])
        XCTAssertTrue(harness.errorLines[1].hasPrefix("\(inner):3: error: source cycle"), harness.errorLines[1])
    }

    func testSaveOpenRoundTripAndCorruptOpenKeepsModel() throws {
        let harness = SessionHarness()
        let file = harness.path("w.json")
        harness.run(["registry add acme --name Acme --source seed-efec-2025", "save \(file)", "registry remove acme"])
        let withoutAcme = harness.session.model
        harness.run(["open \(file)"])
        XCTAssertTrue(harness.session.model.enterprises.contains { $0.id == "acme" })
        try "{\"format\": \"valley-workspace\"".write(toFile: file, atomically: true, encoding: .utf8)
        let before = harness.session.model
        harness.run(["open \(file)"])
        XCTAssertEqual(harness.session.model, before)
        XCTAssertTrue(harness.stderr.contains("not a Valley workspace"))
        harness.run(["undo"])
        XCTAssertEqual(harness.session.model, withoutAcme)
    }

    func testRecordWritesOnlySuccessfulCommandsAndReplays() throws {
        let harness = SessionHarness()
        let script = harness.path("rec.valley")
        harness.run([
            "record \(script)", "registry add acme --name 'Acme Bio' --source seed-efec-2025", "nope",
            "model", "set var x 1", "record stop",
        ])
        let text = try fileText(script)
        XCTAssertTrue(text.contains("registry add acme --name \"Acme Bio\" --source seed-efec-2025\n"), text)
        XCTAssertFalse(text.contains("nope"))
        let replay = SessionHarness()
        replay.run(["source \(script)"])
        XCTAssertEqual(replay.session.model, harness.session.model)
        XCTAssertEqual(replay.stderr, "")
    }

    func testOutputRedirectionWritesTheFileWhenItEnds() throws {
        let harness = SessionHarness()
        let file = harness.path("out.csv")
        harness.run(["set format csv", "output \(file)", "model"])
        XCTAssertTrue(try fileText(file).hasPrefix("entity,count\r\n"))
        XCTAssertEqual(harness.stdout, "")
    }

    func testHelpAndCommandHelp() {
        let harness = SessionHarness()
        harness.run(["help", "help registry show", "registry show --help", "help nope", "save --help"])
        XCTAssertTrue(harness.stdout.contains("registry show"))
        XCTAssertTrue(harness.stdout.contains("USAGE: save <file>"), "a built-in's --help prints its usage")
        XCTAssertTrue(harness.stdout.contains("USAGE: registry show <name>"), harness.stdout)
        XCTAssertEqual(harness.errorLines.count, 1)
    }

    func testInteractiveErrorsHaveNoPlaceAndQuitExitsZero() {
        let harness = SessionHarness(interactive: true)
        harness.run(["nope", "quit", "model"], file: nil)
        XCTAssertEqual(harness.errorLines, ["error: unknown command 'nope' (did you mean 'open'?); type 'help' for the list"])
        XCTAssertEqual(harness.stdout, "")
        XCTAssertEqual(harness.session.exitStatus, 0)
    }

    func testUsageErrorIsOneLine() {
        let harness = SessionHarness()
        harness.run(["registry list --limit x", "registry show"])
        XCTAssertEqual(harness.errorLines.count, 2, harness.stderr)
        XCTAssertTrue(harness.errorLines[1].contains("registry show: missing expected argument '<name>'"), harness.errorLines[1])
    }

    // MARK: - Issue 15: the shell says what it did, history expansion, continued lines

    func testUndoRedoSaveOpenAndRecordSayWhatTheyDid() throws {
        let harness = SessionHarness(interactive: true)
        let workspace = harness.path("w.valley"), script = harness.path("r.valley")
        harness.run(["record \(script)", "registry add keep-me --name 'Keep Me' --source seed-chinaorg-2025", "undo", "redo",
                     "save \(workspace)", "open \(workspace)", "record stop"], file: nil)
        let lines = harness.errorLines
        XCTAssertEqual(lines.count, 5, harness.stderr)
        XCTAssertEqual(lines[0], "undone: registry add keep-me --name 'Keep Me' --source seed-chinaorg-2025")
        XCTAssertEqual(lines[1], "redone: registry add keep-me --name 'Keep Me' --source seed-chinaorg-2025")
        XCTAssertTrue(lines[2].hasPrefix("saved ") && lines[2].contains("records of 13 kinds to \(workspace) (sqlite, "), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("opened \(workspace): "), lines[3])
        XCTAssertEqual(lines[4], "recorded 4 commands to \(script)")
        // A script stays quiet: its stderr is for errors.
        let quiet = SessionHarness()
        quiet.run(["registry add keep-me --name 'Keep Me' --source seed-chinaorg-2025", "undo", "redo"])
        XCTAssertEqual(quiet.stderr, "")
    }

    func testHistoryExpansionReRunsAnEntry() {
        let harness = SessionHarness(interactive: true)
        harness.run(["registry count", "set format csv", "!1", "!!", "!-4", "!99", "!x"], file: nil)
        XCTAssertEqual(harness.stdout.components(separatedBy: "enterprises\r\n6\r\n").count - 1, 3, harness.stdout)
        let lines = harness.errorLines
        XCTAssertEqual(Array(lines.prefix(3)), ["registry count", "registry count", "registry count"], "the expanded command is shown")
        XCTAssertEqual(lines[3], "error: !99: no such history entry (history has 1–5)")
        XCTAssertEqual(lines[4], "error: !x: expected !!, !N or !-N to re-run a history entry")
    }

    func testAFailingContinuedLineDoesNotRunItsContinuation() {
        let harness = SessionHarness()
        harness.run(["logistics whatif $1 \\", "  --set a.duration=1h", "registry count"])
        XCTAssertEqual(harness.errorLines.count, 1, harness.stderr)
        XCTAssertTrue(harness.errorLines[0].hasPrefix("test.valley:1: error:"), harness.errorLines[0])
        XCTAssertFalse(harness.stderr.contains("unknown command"), harness.stderr)
        XCTAssertTrue(harness.stdout.contains("6"), "the next command runs")
        // At the prompt the failed command is kept in history, to be recalled and fixed.
        let interactive = SessionHarness(interactive: true)
        interactive.run(["logistics whatif $1 \\", "  --set a.duration=1h", "history"], file: nil)
        XCTAssertTrue(interactive.stdout.contains("logistics whatif $1"), interactive.stdout)
        XCTAssertEqual(interactive.errorLines.count, 1, interactive.stderr)
    }

    /// A `$PAGER` the shell cannot run gives the text back to be written, not lost.
    func testAPagerThatCannotRunLeavesTheTextToTheCaller() {
        let saved = ProcessEnvironment.value("PAGER")
        defer { if let saved { setenv("PAGER", saved, 1) } else { unsetenv("PAGER") } }
        setenv("PAGER", "valley-no-such-pager-\(UUID().uuidString.prefix(6))", 1)
        XCTAssertFalse(Pager.page("text\n"))
        setenv("PAGER", "cat > /dev/null", 1)
        XCTAssertTrue(Pager.page(String(repeating: "line\n", count: 100_000)), "a pager that reads it all")
        setenv("PAGER", "head -c 1 > /dev/null", 1)
        XCTAssertTrue(Pager.page(String(repeating: "line\n", count: 100_000)), "a pager that quits early does not end the session (SIGPIPE ignored)")
    }

    // MARK: - Never lose work (issue 12)

    func testLeavingWithUnsavedChangesAsksOnceOnATerminal() {
        let harness = SessionHarness(interactive: true)
        harness.run(["registry remove geneseeq", "quit", "model", "quit"], file: nil)
        XCTAssertEqual(harness.errorLines, ["note: 1 command has changed the model since it was last saved or opened (undo counts as one); 'save FILE' keeps the model, or quit (Ctrl-D) again to leave without saving"])
        XCTAssertTrue(harness.stdout.contains("enterprises"), "the session went on after the first quit")
        XCTAssertTrue(harness.session.isFinished, "the second quit leaves")

        let saved = SessionHarness(interactive: true)
        saved.run(["registry remove geneseeq", "save \(saved.path("w.json"))", "quit"], file: nil)
        XCTAssertEqual(saved.errorLines.count, 1, "nothing unsaved: no question")
        XCTAssertTrue(saved.errorLines.first?.hasPrefix("saved ") == true, saved.stderr)
        XCTAssertTrue(saved.session.isFinished)

        // Ctrl-D at a continuation prompt, and `quit` in a sourced file, ask too.
        let continued = SessionHarness(interactive: true)
        continued.run(["registry remove geneseeq", "registry list --where \"name"], file: nil)
        XCTAssertTrue(continued.stderr.contains("note: 1 command has changed the model"), continued.stderr)
        let sourced = SessionHarness(interactive: true)
        let quitting = sourced.path("q.valley")
        try? "quit\n".write(toFile: quitting, atomically: true, encoding: .utf8)
        sourced.run(["registry remove geneseeq", "source \(quitting)", "model"], file: nil)
        XCTAssertTrue(sourced.stderr.contains("note: 1 command has changed the model"), sourced.stderr)
        XCTAssertTrue(sourced.stdout.contains("enterprises"), "the session went on after the sourced quit")

        let script = SessionHarness()
        script.run(["registry remove geneseeq", "quit", "model"])
        XCTAssertEqual(script.stderr, "", "scripts never ask")
        XCTAssertTrue(script.session.isFinished)
    }

    func testAStrayQuoteInALongScriptIsReportedAtItsLine() {
        // Quadratic before (every line re-read the whole open command): 40,000 lines took 18 s.
        let harness = SessionHarness()
        harness.run(["set var a 'oops"] + (0..<40_000).map { "registry show iaso-bio # line \($0)" })
        XCTAssertEqual(harness.errorLines, ["test.valley:1: error: column 11: unbalanced quote: the quote opened here is never closed"])
        // With quotes on every line, the quote left open is the last line's second one.
        let quoted = SessionHarness()
        quoted.run(["set var a 'oops"] + (0..<40_000).map { "registry show 'IASO Bio' # line \($0)" })
        XCTAssertEqual(quoted.errorLines, ["test.valley:40001: error: column 24: unbalanced quote: the quote opened here is never closed"])
    }

    func testAContinuedCommandEndsWhereItsQuotesClose() {
        let harness = SessionHarness()
        harness.run(["set var a 'one", "two # not a comment", "three' # a comment 'x", "set var b \"x\\", "y\"", "set var c one\\", "two"])
        XCTAssertEqual(harness.stderr, "")
        XCTAssertEqual(harness.session.tokenizer.variables["a"], "one\ntwo # not a comment\nthree")
        XCTAssertEqual(harness.session.tokenizer.variables["b"], "xy")
        XCTAssertEqual(harness.session.tokenizer.variables["c"], "onetwo")

        // Found by review: after backslash-newline the word goes on, so '#' there is not a comment.
        let glued = SessionHarness()
        glued.run(["set var d abc\\", "#'", "'", "set var e done"])
        XCTAssertEqual(glued.stderr, "")
        XCTAssertEqual(glued.session.tokenizer.variables["d"], "abc#\n")
        XCTAssertEqual(glued.session.tokenizer.variables["e"], "done")
    }

    func testControlCharactersInDataAreEscapedOnScreenAndKeptInCSV() {
        let harness = SessionHarness()
        let evil = "Evil\u{1B}[31mRED\u{1B}]0;pwned\u{7} Co"
        harness.run([
            "registry add evil --name \(Tokenizer.quote(evil)) --source seed-chinaorg-2025",
            "registry list --where 'id = evil' --fields id,name",
            "registry show \(Tokenizer.quote(evil + "x"))",
            "registry list --where 'id = evil' --fields name --format csv",
        ])
        XCTAssertTrue(harness.stdout.contains("Evil\\e[31mRED\\e]0;pwned\\a Co"), harness.stdout)
        XCTAssertEqual(harness.errorLines, ["test.valley:3: error: no enterprise named 'Evil\\e[31mRED\\e]0;pwned\\a Cox' (did you mean 'evil' (Evil\\e[31mRED\\e]0;pwned\\a Co)?)"],
                       "the suggestion is escaped like the name")
        XCTAssertTrue(harness.stdout.hasSuffix("name\r\n\(evil)\r\n"), "csv carries the data exactly")
        XCTAssertEqual(harness.stdout.filter { $0 == "\u{1B}" }.count, 2, "raw escapes only in the csv")
    }

    func testReadersStopAtTheReadLimit() throws {
        defer { FileIO.readLimit = 1 << 30 }
        let harness = SessionHarness()
        let big = harness.path("big.csv")
        try ("id,name\n" + (0..<80_000).map { "b\($0),Big \($0)\n" }.joined()).write(toFile: big, atomically: true, encoding: .utf8)
        let before = harness.session.model
        harness.run(["set read-limit 1MB", "registry import \(big)", "registry import /dev/zero", "source /dev/zero", "open /dev/zero",
                     "talent import /dev/zero", "logistics audit /dev/zero --cargo apheresis-fresh", "set read-limit 1"])
        let refusal = "is larger than the read limit of 1 MB; 'set read-limit SIZE' or 'valley --read-limit SIZE' raises it"
        XCTAssertEqual(harness.errorLines, [
            "test.valley:2: error: \(big): \(refusal)",
            "test.valley:3: error: /dev/zero: \(refusal)",
            "test.valley:4: error: /dev/zero: \(refusal)",
            "test.valley:5: error: /dev/zero: \(refusal)",
            "test.valley:6: error: /dev/zero: \(refusal)",
            "test.valley:7: error: /dev/zero: \(refusal)",
            "test.valley:8: error: invalid read-limit '1': expected a size of at least 1MB, like 512MB or 4GB",
        ])
        XCTAssertEqual(harness.session.model, before)
        harness.run(["set read-limit 8MB", "registry import \(big)"])
        XCTAssertEqual(harness.session.model.enterprises.count, before.enterprises.count + 80_000)
    }
}
