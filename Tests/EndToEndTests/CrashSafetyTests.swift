import Foundation
import XCTest
import ValleyTestSupport
import ValleyCore
import ValleyShell
import ValleyWorkspace
import LogisticsChecks

/// `save`, the history file and `record` killed with SIGKILL at random moments: each file
/// always holds the old contents or the new, never a mix. SIGINT in a script cancels the
/// running command and exits 130.
final class CrashSafetyTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws { directory = try ValleyProcess.temporaryDirectory() }

    /// Kills per test: 100, or 20 when VALLEY_TEST_QUICK is set (CI's second run, under
    /// AddressSanitizer, which looks for memory errors rather than more kill moments).
    /// The environment of a shell on a pseudo-terminal: private state and config folders.
    var terminalEnvironment: [String: String] {
        ["XDG_STATE_HOME": directory + "/state", "XDG_CONFIG_HOME": directory + "/config",
         "HOME": directory!, "TERM": "xterm", "NO_COLOR": "1", "LANG": "C.UTF-8"]
    }

    var killRuns: Int { ProcessInfo.processInfo.environment["VALLEY_TEST_QUICK"] == nil ? 100 : 20 }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func bigCSV(rows: Int) throws -> String {
        var text = "id,name,name_zh,founded,sectors\n"
        for index in 0..<rows { text += "g\(index),\"Generated \(index), Ltd.\",生成\(index),\(1990 + index % 35),cell-therapy\n" }
        let path = directory + "/big.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func spawn(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ValleyProcess.binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // A private config home: the user's rc file and added plugins must not change what is saved.
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["XDG_STATE_HOME": directory + "/state", "XDG_CONFIG_HOME": directory + "/config", "HOME": directory!]) { $1 }
        try process.run()
        return process
    }

    func testSaveKilledAtRandomMomentsLeavesOldOrNew() throws {
        let csv = try bigCSV(rows: 5_000)
        // The saved form (a SQLite database): one rename replaces it whole.
        let old = directory + "/old.valley", new = directory + "/new.valley", target = directory + "/target.valley"
        XCTAssertEqual(try ValleyProcess.run(["--no-rc", "-c", "save \(old)"]).status, 0)
        let started = Date()
        XCTAssertEqual(try ValleyProcess.run(["--no-rc", "-c", "registry import \(csv)", "-c", "save \(new)"]).status, 0)
        let runtime = Date().timeIntervalSince(started)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: old))
        let newBytes = try Data(contentsOf: URL(fileURLWithPath: new))
        XCTAssertNotEqual(oldBytes, newBytes)

        var state: UInt64 = 42
        var sawOld = 0, sawNew = 0
        for _ in 0..<killRuns {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: old, toPath: target)
            let process = try spawn(["--no-rc", "-c", "registry import \(csv)", "-c", "save \(target)"])
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let delay = Double(state >> 11) / Double(1 << 53) * runtime * 1.2
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let bytes = try Data(contentsOf: URL(fileURLWithPath: target))
            XCTAssertTrue(bytes == oldBytes || bytes == newBytes, "after a kill at \(delay) s the file is neither the old nor the new model")
            if bytes == oldBytes { sawOld += 1 } else { sawNew += 1 }
            XCTAssertNoThrow(try WorkspaceFile.load(from: target, kinds: recordKinds()))
        }
        XCTAssertEqual(sawOld + sawNew, killRuns)
        guard killRuns == 100 else { return }  // where 20 kills land is too random to assert on
        XCTAssertGreaterThan(sawOld, 0, "some kills landed before the rename")
        XCTAssertGreaterThan(sawNew, 0, "some runs finished")
    }

    /// A seeded random fraction in [0, 1).
    func nextFraction(_ state: inout UInt64) -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }

    func temporaries(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
    }

    func testHistoryKilledAtRandomMomentsKeepsWholeCommands() throws {
        // A full history of long lines, so that each rewrite takes a while and kills land in it.
        let old = (0..<1_000).map { "set var pad\($0) " + String(repeating: "x", count: 300) }
        let typed = (0..<10).map { "set var k \($0)" } + ["quit"]
        let stateDirectory = directory + "/state/valley", historyPath = stateDirectory + "/history"
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let oldText = old.joined(separator: "\n") + "\n"
        let environment = terminalEnvironment
        /// The history after the first `count` typed commands ran (the file keeps the last 1,000).
        func expected(after count: Int) -> [String] { Array((old + typed.prefix(count)).suffix(1_000)) }
        func historyLines() throws -> [String] {
            try fileText(historyPath).split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast().map(String.init)
        }

        // One run to the end: the time it takes, and the file it leaves.
        try oldText.write(toFile: historyPath, atomically: true, encoding: .utf8)
        let started = Date()
        let whole = try PseudoTerminal(arguments: ["--no-rc"], environment: environment)
        whole.type(typed.map { $0 + "\r" }.joined())
        XCTAssertEqual(whole.waitForExit(), 0)
        let runtime = Date().timeIntervalSince(started)
        XCTAssertEqual(try historyLines(), expected(after: typed.count))

        var state: UInt64 = 7
        var counts = [Int](repeating: 0, count: typed.count + 1)
        for _ in 0..<killRuns {
            try oldText.write(toFile: historyPath, atomically: true, encoding: .utf8)
            let shell = try PseudoTerminal(arguments: ["--no-rc"], environment: environment)
            shell.type(typed.map { $0 + "\r" }.joined())
            let delay = nextFraction(&state) * runtime * 1.2
            shell.wait(seconds: delay)
            kill(shell.pid, SIGKILL)
            shell.waitForExit()
            let lines = try historyLines()
            guard let count = (0...typed.count).first(where: { expected(after: $0) == lines }) else {
                XCTFail("after a kill at \(delay) s the history is not the old one plus whole new commands: \(lines.suffix(3))")
                continue
            }
            counts[count] += 1
        }
        if killRuns == 100 {  // where 20 kills land is too random to assert on
            XCTAssertGreaterThan(counts[0], 0, "some kills landed before the first rewrite")
            XCTAssertGreaterThan(counts[1..<typed.count].reduce(0, +), 0, "some kills landed between commands")
            XCTAssertGreaterThan(counts[typed.count], 0, "some runs finished")
        }

        // Temporaries of killed writers are removed by the next successful write.
        let last = try PseudoTerminal(arguments: ["--no-rc"], environment: environment)
        last.type("quit\r")
        XCTAssertEqual(last.waitForExit(), 0)
        XCTAssertEqual(try temporaries(in: stateDirectory), [])
    }

    func testRecordKilledAtRandomMomentsLeavesOldOrNew() throws {
        // The script records 400 commands, stops (the recording is written then), and goes on.
        var script = ["record recording.valley"] + (0..<400).map { "set var v\($0) \"value \($0)\"" } + ["record stop"]
        script += (0..<400).map { "set var w \($0)" }
        let scriptPath = directory + "/session.valley", target = directory + "/recording.valley"
        try (script.joined(separator: "\n") + "\n").write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let oldText = "# an earlier recording\nset var v 1\n"

        let started = Date()
        XCTAssertEqual(try ValleyProcess.run(["--no-rc", "session.valley"], directory: directory).status, 0)
        let runtime = Date().timeIntervalSince(started)
        let newText = try fileText(target)
        XCTAssertTrue(newText.hasSuffix("set var v399 \"value 399\"\n"), String(newText.suffix(80)))
        XCTAssertEqual(newText.split(separator: "\n").count, 2 + 400)

        var state: UInt64 = 11
        var sawOld = 0, sawNew = 0
        for _ in 0..<killRuns {
            try oldText.write(toFile: target, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ValleyProcess.binary)
            process.arguments = ["--no-rc", "session.valley"]
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let delay = nextFraction(&state) * runtime * 1.2
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let text = try fileText(target)
            XCTAssertTrue(text == oldText || text == newText, "after a kill at \(delay) s the recording is neither the old file nor the whole new one")
            if text == oldText { sawOld += 1 } else if text == newText { sawNew += 1 }
        }
        guard killRuns == 100 else { return }  // where 20 kills land is too random to assert on
        XCTAssertGreaterThan(sawOld, 0, "some kills landed before 'record stop'")
        XCTAssertGreaterThan(sawNew, 0, "some runs got past 'record stop'")
    }

    func testInterruptCancelsAnImportInAScript() throws {
        let csv = try bigCSV(rows: 150_000)
        let marker = directory + "/after.json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ValleyProcess.binary)
        process.arguments = ["--no-rc", "-c", "registry import \(csv)", "-c", "save \(marker)"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.4)
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertTrue(message.contains("-c:1: error: interrupted"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the run stops: nothing after the interrupted command runs")
    }

    /// A workspace holding the built-in data plus a route of `legs` flights between Hong Kong and
    /// Nanjing, each with its own timetable: a week sweep over it runs for seconds.
    func longRouteWorkspace(legs: Int) throws -> String {
        let path = directory + "/long-route.json"
        XCTAssertEqual(try ValleyProcess.run(["--no-rc", "-c", "save \(path)"]).status, 0)
        var model = try Workspace.load(from: path, kinds: recordKinds()).model
        var state: UInt64 = 3
        for index in 0..<legs {
            let departures = (0..<20).map { _ in Int(nextFraction(&state) * Double(WeeklySchedule.week)) }.sorted()
            try model.insert(Leg(id: "long\(index)", from: index % 2 == 0 ? "hkg" : "nkg", to: index % 2 == 0 ? "nkg" : "hkg",
                                  kind: .flight, duration: .minutes(10), assumption: "generated", schedule: .timetable(departures)))
        }
        try model.insert(Route(id: "long", name: "generated long route", legs: (0..<legs).map { "long\($0)" }))
        try Workspace.save(model, to: path)
        return path
    }

    /// Waits (at most 60 s: sanitizer builds are slow) until `path` exists.
    func waitForFile(_ path: String, while waiting: () -> Void = {}) throws {
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path) {
            guard Date() < deadline else { throw TimedOut(what: "\(path) to appear") }
            waiting()
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    func testInterruptCancelsAWeekSweepInAScriptAndAtThePrompt() throws {
        let workspace = try longRouteWorkspace(legs: 20_000)
        let sweep = "logistics sweep long --cargo car-t-product-cryo --week-of 2025-03-03 --step 5m"

        // Script: the sweep is cancelled, nothing after it runs, the status is 130. The signal
        // is sent once the workspace is open (the first save has landed) and the sweep runs.
        let opened = directory + "/opened.json", marker = directory + "/after.json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ValleyProcess.binary)
        process.arguments = ["--no-rc", "-c", "open \(workspace)", "-c", "save \(opened)", "-c", sweep, "-c", "save \(marker)"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitForFile(opened)
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(message, "-c:3: error: interrupted\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))

        // At the prompt: the sweep is cancelled, the shell keeps running, the model is unchanged.
        let before = directory + "/before.json", after = directory + "/after-interactive.json"
        let environment = terminalEnvironment
        let shell = try PseudoTerminal(arguments: ["--no-rc"], environment: environment)
        shell.type("open \(workspace)\rsave \(before)\r")
        try waitForFile(before) { shell.drain() }
        shell.type(sweep + "\r")
        shell.wait(seconds: 1)
        kill(shell.pid, SIGINT)
        shell.wait(seconds: 0.3)
        shell.type("save \(after)\rquit\r")
        XCTAssertEqual(shell.waitForExit(), 0)
        let screen = String(decoding: shell.output, as: UTF8.self)
        XCTAssertTrue(screen.contains("error: interrupted"), String(screen.suffix(300)))
        XCTAssertFalse(screen.contains("departures pass"), "the sweep did not finish")
        XCTAssertEqual(try fileText(after), try fileText(before))
    }

    /// Issue 12: Ctrl-C during `open` of a large workspace at the prompt was ignored (the open
    /// ran to the end). It cancels the open now; the model stays as it was.
    func testInterruptCancelsAnOpenAtThePrompt() throws {
        let csv = try bigCSV(rows: 150_000)
        let workspace = directory + "/big.json", before = directory + "/before.json", after = directory + "/after.json"
        let made = try ValleyProcess.run(["--no-rc", "-c", "registry import \(csv)", "-c", "save \(workspace)"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let environment = terminalEnvironment
        let shell = try PseudoTerminal(arguments: ["--no-rc"], environment: environment)
        shell.type("save \(before)\r")
        try waitForFile(before) { shell.drain() }
        shell.type("open \(workspace)\r")
        shell.wait(seconds: 0.3)
        kill(shell.pid, SIGINT)
        shell.wait(seconds: 0.3)
        shell.type("save \(after)\rquit\r")
        XCTAssertEqual(shell.waitForExit(), 0)
        let screen = String(decoding: shell.output, as: UTF8.self)
        XCTAssertTrue(screen.contains("error: interrupted"), String(screen.suffix(300)))
        XCTAssertEqual(try fileText(after), try fileText(before), "the model is the one before the open")
    }
}

/// A wait in a test that ran out of time.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
