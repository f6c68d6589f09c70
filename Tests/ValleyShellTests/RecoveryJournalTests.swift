import Foundation
import XCTest
@_spi(Shell) import ValleyCore
import ValleyTestSupport
@testable import ValleyShell

/// The recovery journal in process: after every command of a varied session, replaying the
/// journal gives exactly the session's model (same records in the same slots).
final class RecoveryJournalTests: XCTestCase {
    func testReplayMatchesTheModelAfterEveryCommand() throws {
        let harness = SessionHarness(interactive: true)
        let session = harness.session
        let directory = harness.path("state")
        session.journal = RecoveryJournal(directory: directory, base: .snapshot(session.model))
        let withSources = harness.path("with-sources.csv"), plain = harness.path("plain.csv")
        try "id,name,sources\nnewco,New Co,seed-chinaorg-2025\n".write(toFile: withSources, atomically: true, encoding: .utf8)
        try "id,name\np1,P One\np2,P Two\n".write(toFile: plain, atomically: true, encoding: .utf8)
        let commands = [
            "registry import \(withSources)",  // adds and drops its own import source in one command
            "undo",                            // found by review: trapped reading a slot the same change set had cut
            "redo",
            "registry import \(plain)",
            "registry remove p1",
            "undo",
            "registry merge p2 newco",
            "registry remove iaso-bio --cascade",
            "undo",
            "undo",
            "redo",
            "indicator observe nanjing-biomed-revenue --period 2031 --value=-0 --source seed-chinaorg-2025",
            "save \(harness.path("w.json"))",
            "registry update geneseeq --headcount 3",
            "open \(harness.path("w.json"))",
            "registry add after-open --name 'After Open' --source seed-chinaorg-2025",
            "undo",
            "undo",                            // the open: a snapshot base
            "registry remove geneseeq",
            "talent map immunology cell-therapy",
        ]
        for command in commands {
            session.run(ScriptedLineSource(lines: [command]), file: nil)
            XCTAssertNil(session.journal?.failure, command)
            guard let path = session.journal?.path, FileManager.default.fileExists(atPath: path) else {
                XCTFail("no journal after '\(command)'")
                continue
            }
            let replayed = try RecoveryJournal.replay(path, kinds: session.kinds)
            XCTAssertEqual(replayed, session.model, "after '\(command)'")
            XCTAssertEqual(try replayed.slotSnapshot(), try session.model.slotSnapshot(), "slots after '\(command)'")
        }
        XCTAssertEqual(harness.errorLines.filter { $0.contains("error") }, [], "every command ran")
        let path = try XCTUnwrap(session.journal?.path)
        session.finish()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a clean exit deletes the journal")
    }

    /// An abandoned journal is summarised from the start of its first and last lines: a large
    /// snapshot header is not decoded, escapes in the last command are, a partly written last
    /// line does not count, and a file that is not a journal is none.
    func testAnAbandonedJournalIsSummarisedWithoutReadingItsRecords() throws {
        let harness = SessionHarness(interactive: true)
        let session = harness.session
        let directory = harness.path("state")
        let journal = RecoveryJournal(directory: directory, base: .snapshot(session.model))
        session.journal = journal
        for command in ["registry update geneseeq --headcount 3", #"registry add q --name 'Say "hi" \ 細胞' --source seed-chinaorg-2025"#] {
            session.run(ScriptedLineSource(lines: [command]), file: nil)
        }
        XCTAssertEqual(harness.errorLines.filter { $0.contains("error") }, [])
        let path = journal.path
        // What the header says, read the slow way.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.split(separator: "\n")[0].utf8)) as? [String: Any])
        // A partly written line after the last complete one.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"command":"registry remove q","operations":["#.utf8))
        handle.closeFile()
        let summary = try RecoveryJournal.summarize(path)
        XCTAssertEqual(summary.started, header["started"] as? Int)
        XCTAssertEqual(summary.changes, 2)
        XCTAssertEqual(summary.lastCommand, #"registry add q --name 'Say "hi" \ 細胞' --source seed-chinaorg-2025"#)
        let notJournal = harness.path("other.journal")
        try #"{"valley-journal":2,"pid":1,"started":5,"base":{}}"# .appending("\n").write(toFile: notJournal, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RecoveryJournal.summarize(notJournal))
        try "".write(toFile: notJournal, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RecoveryJournal.summarize(notJournal))
    }

    func testAJournalThatCannotBeWrittenStopsWithANoteAndLeavesNoStaleFile() throws {
        let harness = SessionHarness(interactive: true)
        let blocker = harness.path("not-a-folder")
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        harness.session.journal = RecoveryJournal(directory: blocker + "/state", base: .snapshot(harness.session.model))
        harness.run(["registry remove geneseeq", "registry remove iaso-bio --cascade", "save \(harness.path("w.json"))", "quit"], file: nil)
        XCTAssertEqual(harness.errorLines.filter { $0.contains("recovery journal stopped") }.count, 1, harness.stderr)
        XCTAssertNil(harness.session.journal)
        XCTAssertTrue(harness.session.isFinished, "saved: no question on the way out")
    }
}
