import Foundation
import XCTest

final class CommandLineTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws { directory = try ValleyProcess.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testRepeatedDashCRunsInOrder() throws {
        let result = try ValleyProcess.run(["--format", "csv", "-c", "set var n 2", "-c", "registry list --limit $n"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\r\n").count, 3, result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    /// Time zones come from the system's database; without one the built-in data still loads
    /// and what needs a site's clock says what to install, in one line.
    func testWithoutATimeZoneDatabaseTheDataLoadsAndClocksSayWhy() throws {
        let result = try ValleyProcess.run(["-c", "logistics site list --format csv", "-c", "logistics check hk-sample-to-nanjing --cargo apheresis-fresh --depart 2025-03-07T15:30"],
                                           environment: ["TZDIR": directory + "/no-zoneinfo"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("hk-hospital,"), result.stdout)
        XCTAssertEqual(result.stderr, "-c:2: error: time zone Asia/Hong_Kong is read from the IANA time zone database, and there is none at \(directory!)/no-zoneinfo: install Debian's tzdata, or set TZDIR\n")
    }

    /// What valley says while it starts (a workspace's notes) reaches stderr, before what the
    /// commands say, and the commands' output and status follow.
    func testAWorkspacesNotesAreShownAtStart() throws {
        let workspace = directory + "/w.valley"
        XCTAssertEqual(try ValleyProcess.run(["-c", "save \(workspace)"]).status, 0)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [workspace, "CREATE TABLE mine(x)"]
        try sqlite.run()
        sqlite.waitUntilExit()
        let result = try ValleyProcess.run(["--workspace", workspace, "-c", "registry show nobody"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "note: \(workspace): ignored table 'mine' (not a record kind of this workspace; the next save does not keep it)\n"
                       + "-c:1: error: no enterprise named 'nobody'\n")
    }

    func testScriptErrorsNameFileAndLineAndExitOne() throws {
        let script = try write("s.valley", "#!/usr/bin/env valley\nmodel\nregistry show nobody\nplugins\n")
        let result = try ValleyProcess.run([script])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "\(script):3: error: no enterprise named 'nobody'\n")
        XCTAssertTrue(result.stdout.contains("namespace"), "the run goes on after a failure")
    }

    func testBailStopsAtTheFirstFailure() throws {
        let script = try write("s.valley", "model\nnope\nplugins\n")
        let result = try ValleyProcess.run(["--bail", script])
        XCTAssertEqual(result.status, 1)
        XCTAssertFalse(result.stdout.contains("namespace"))
        XCTAssertTrue(result.stderr.hasPrefix("\(script):2: error: unknown command 'nope'"), result.stderr)
    }

    func testScriptArguments() throws {
        let script = try write("s.valley", "registry show $1 --format csv\n")
        let result = try ValleyProcess.run([script, "驯鹿生物"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\r\niaso-bio,IASO Bio,驯鹿生物,"), result.stdout)
    }

    func testStdinPipeHasNoPromptAndReportsLines() throws {
        let result = try ValleyProcess.run([], stdin: "model\n\nnope\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertFalse(result.stdout.contains("valley>"))
        XCTAssertEqual(result.stderr, "<stdin>:3: error: unknown command 'nope' (did you mean 'open'?); type 'help' for the list\n")
        let dash = try ValleyProcess.run(["-"], stdin: "model\n")
        XCTAssertEqual(dash.status, 0)
        XCTAssertTrue(dash.stdout.contains("enterprises"))
    }

    func testExitStatusesOfTheCommandLine() throws {
        XCTAssertEqual(try ValleyProcess.run(["--bogus"]).status, 64)
        XCTAssertEqual(try ValleyProcess.run(["--format", "xml", "-c", "model"]).status, 64)
        let missing = try ValleyProcess.run([directory + "/missing.valley"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stderr, "valley: error: \(directory!)/missing.valley: no such file\n")
        XCTAssertEqual(try ValleyProcess.run([directory!]).status, 66)
        XCTAssertEqual(try ValleyProcess.run(["--workspace", directory + "/none.json", "-c", "model"]).status, 66)
        let version = try ValleyProcess.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("valley "))
    }

    /// Issue 12: a script that is /dev/zero was read without bound (4.2 GB, then abort).
    func testAnEndlessScriptStopsAtTheReadLimit() throws {
        let result = try ValleyProcess.run(["--no-rc", "--read-limit", "2MB", "/dev/zero"])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderr, "valley: error: /dev/zero: is larger than the read limit of 2 MB; 'set read-limit SIZE' or 'valley --read-limit SIZE' raises it\n")
        let bad = try ValleyProcess.run(["--no-rc", "--read-limit", "1k", "-c", "model"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--read-limit: expected a size of at least 1MB"), bad.stderr)
    }

    func testInvalidUTF8ScriptNamesTheLine() throws {
        let path = directory + "/bad.valley"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("model\nplugins\n".utf8) + Data([0xC3, 0x28, 0x0A])))
        let result = try ValleyProcess.run([path])
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.stderr.contains("\(path):3:"), result.stderr)
        let piped = try ValleyProcess.run([], stdin: "model\n\u{FFFD}\n")
        XCTAssertEqual(piped.status, 1, "U+FFFD is valid UTF-8: an unknown command")
    }

    func testEmptyStartsWithNoData() throws {
        let result = try ValleyProcess.run(["--empty", "--format", "csv", "-c", "model"])
        XCTAssertTrue(result.stdout.contains("enterprises,0\r\n"), result.stdout)
    }

    func testSaveThenOpenWithWorkspace() throws {
        let workspace = directory + "/w.json"
        let save = try ValleyProcess.run(["-c", "registry add acme --name Acme --source seed-efec-2025", "-c", "save \(workspace)"])
        XCTAssertEqual(save.status, 0, save.stderr)
        let open = try ValleyProcess.run(["--workspace", workspace, "--format", "csv", "-c", "registry show acme"])
        XCTAssertEqual(open.status, 0, open.stderr)
        XCTAssertTrue(open.stdout.contains("\r\nacme,Acme,,"), open.stdout)
    }

    func testUndoRedoThroughTheBinary() throws {
        let a = directory + "/a.json", b = directory + "/b.json"
        let result = try ValleyProcess.run([
            "-c", "save \(a)", "-c", "registry add acme --name Acme --source seed-efec-2025", "-c", "undo", "-c", "save \(b)",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
    }

    func testRecordThenReplayGivesTheSameModel() throws {
        let script = directory + "/rec.valley", first = directory + "/first.json", second = directory + "/second.json"
        let recording = try ValleyProcess.run([], stdin: """
            record \(script)
            registry add acme --name "Acme Bio" --name-zh 阿克米 --source seed-efec-2025
            registry remove geneseeq
            nope
            undo
            registry remove luye-pharma
            record stop
            save \(first)
            """)
        XCTAssertEqual(recording.status, 1, "one command failed")
        let replay = try ValleyProcess.run([script, "--no-such-arg-is-fine"], directory: directory)
        XCTAssertEqual(replay.status, 0, replay.stderr)
        let saved = try ValleyProcess.run(["-c", "source \(script)", "-c", "save \(second)"])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: first)), try Data(contentsOf: URL(fileURLWithPath: second)))
    }

    func testInterruptInAScriptExits130() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ValleyProcess.binary)
        process.arguments = ["-"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        input.fileHandleForWriting.write(Data("model\n".utf8))
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
    }

    func testBinaryRunsWhenCopiedElsewhere() throws {
        let copy = directory + "/valley"
        try FileManager.default.copyItem(atPath: ValleyProcess.binary, toPath: copy)
        let result = try ValleyProcess.run(["-c", "registry show 驯鹿生物"], directory: "/", executable: copy)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("IASO Bio"))
    }
}
