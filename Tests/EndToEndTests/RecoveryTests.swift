import Foundation
import XCTest
import ValleyTestSupport

/// The recovery journal end to end (issue 12): interactive sessions on a pseudo-terminal killed
/// with SIGKILL at random moments, then `recover` in a new valley, compared byte for byte with
/// a reference run of exactly the commands that had completed.
final class RecoveryTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws { directory = try ValleyProcess.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// The session's commands: edits of several kinds, undo and redo (also of a cascade),
    /// `save` (the journal compacts onto the saved file), `open` (a new base) and an undone
    /// `open` (a snapshot base). `folder` keeps the session's files apart from the references'.
    func commands(in folder: String) -> [String] {
        [
            "registry add r1 --name 'R One' --source seed-chinaorg-2025",
            "registry update r1 --headcount 12",
            "registry remove geneseeq",
            "undo",
            "redo",
            "registry remove iaso-bio --cascade",
            "undo",
            "indicator observe nanjing-biomed-revenue --period 2030 --value 5 --source seed-chinaorg-2025",
            "save \(folder)/mid.valley",
            "registry add r2 --name 'R Two' --source seed-chinaorg-2025",
            "registry remove r1",
            "undo",
            "open \(folder)/mid.valley",
            "registry add r3 --name 'R Three' --source seed-chinaorg-2025",
            "undo",
            "undo",
            "registry update r2 --headcount 7",
        ]
    }

    func testKilledSessionsRecoverExactlyTheCompletedCommands() throws {
        let runs = ProcessInfo.processInfo.environment["VALLEY_TEST_QUICK"] == nil ? 100 : 20
        let session = directory + "/session", references = directory + "/references"
        for folder in [session, references] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let typed = commands(in: session)

        // The model after each prefix of the commands, from a plain (non-interactive) run.
        var expected: [Data] = []
        for count in 0...typed.count {
            let output = references + "/after-\(count).json"
            let arguments = ["--no-rc"] + commands(in: references).prefix(count).flatMap { ["-c", $0] } + ["-c", "save \(output)"]
            let result = try ValleyProcess.run(arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            expected.append(try Data(contentsOf: URL(fileURLWithPath: output)))
        }
        XCTAssertNotEqual(expected[1], expected[0])
        XCTAssertEqual(expected[13], expected[8], "open gives back the saved model")

        let state = directory + "/state"
        let environment = ["XDG_STATE_HOME": state, "HOME": directory!, "TERM": "xterm", "NO_COLOR": "1", "LANG": "C.UTF-8"]
        // One whole run: how long the commands take, so that kills spread over them.
        let started = Date()
        let whole = try PseudoTerminal(arguments: ["--no-rc"], environment: environment)
        whole.type(typed.map { $0 + "\r" }.joined())
        let deadline = Date().addingTimeInterval(60)
        while (try? historyCount(state)) != typed.count, Date() < deadline { whole.wait(seconds: 0.01) }
        let runtime = Date().timeIntervalSince(started)
        kill(whole.pid, SIGKILL)
        whole.waitForExit()

        var random: UInt64 = 12
        var outcomes: [Int: Int] = [:]
        for run in 0..<runs {
            try? FileManager.default.removeItem(atPath: state)
            let shell = try PseudoTerminal(arguments: ["--no-rc"], environment: environment)
            shell.type(typed.map { $0 + "\r" }.joined())
            random = random &* 6364136223846793005 &+ 1442695040888963407
            let delay = Double(random >> 11) / Double(1 << 53) * runtime
            shell.wait(seconds: delay)
            kill(shell.pid, SIGKILL)
            shell.waitForExit()
            // Commands in the history had completed; the next one may have completed too (its
            // changes are journaled before its history line is written).
            let completed = try historyCount(state)
            let recovered = directory + "/recovered-\(run).json"
            let result = try ValleyProcess.run(["--no-rc", "-c", "recover", "-c", "save \(recovered)"], environment: environment)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: recovered))
            let matches = expected.indices.filter { expected[$0] == bytes }
            guard let count = matches.first(where: { $0 == completed || $0 == completed + 1 }) else {
                XCTFail("run \(run): killed after \(String(format: "%.3f", delay)) s with \(completed) commands in the history, "
                    + "the recovered model matches the reference after \(matches) commands; recover said: \(result.stderr)")
                continue
            }
            outcomes[count, default: 0] += 1
        }
        print("recovery: \(runs) kills; runs by commands completed: \(outcomes.sorted { $0.key < $1.key })")
        guard runs == 100 else { return }  // where 20 kills land is too random to assert on
        XCTAssertGreaterThan(outcomes.count, 3, "kills landed at several points of the session: \(outcomes)")
    }

    /// How many commands the session's history file holds.
    func historyCount(_ state: String) throws -> Int {
        guard let text = try? String(contentsOfFile: state + "/valley/history", encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").count
    }
}
