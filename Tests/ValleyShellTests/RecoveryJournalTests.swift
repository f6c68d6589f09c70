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
