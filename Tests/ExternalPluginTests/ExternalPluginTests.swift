import Foundation
import XCTest
@testable import ValleyPluginHost
@_spi(Shell) import ValleyCore
@_spi(Testing) import ValleyShell
import ValleyTestSupport

final class ExternalPluginTests: XCTestCase {
    // MARK: The trials plugin through the model's life

    func testAPluginsKindGoesThroughAddFilterUndoSaveOpenAndIsKeptWithoutIt() throws {
        let registry = NSTemporaryDirectory() + "valley-plugins-\(UUID().uuidString)/plugins"
        let harness = SessionHarness.withPlugins(registry: registry)
        let file = harness.path("w.valley")
        harness.runKeepingOpen([
            "plugin add \(PluginFixtures.trials)",
            "trials add t1 --title 'CAR-T in myeloma' --sponsor iaso-bio --phase 2 --source seed-efec-2025",
            "trials add t2 --title 'Panel' --sponsor Geneseeq --phase 3",
            "trials add t3 --title 'Ghost' --sponsor no-such-company --phase 1",
            "trials add t4 --title 'Bad phase' --sponsor iaso-bio --phase 9",
            "set format csv",
            "trials list --where 'phase >= 3'",
            "undo",
            "redo",
            "undo",
            "registry remove iaso-bio",
            "save \(file)",
        ])
        XCTAssertEqual(harness.errors.count, 3, harness.stderr)
        XCTAssertTrue(harness.errors[0].contains("sponsor 'no-such-company' names no enterprise"), harness.errors[0])
        XCTAssertTrue(harness.errors[1].contains("invalid phase '9': expected at most 4"), harness.errors[1])
        XCTAssertTrue(harness.errors[2].contains("trial t1 (sponsor)"), harness.errors[2])
        // The sponsor typed as a name was resolved by the plugin through a query.
        XCTAssertTrue(harness.stdout.contains("id,title,sponsor,phase,status\r\nt2,Panel,Geneseeq,3,planned\r\n"), harness.stdout)
        let model = harness.session.model
        let trials = try XCTUnwrap(model.table(named: "trials"))
        XCTAssertEqual(trials.count, 1, "undo removed t2")
        XCTAssertTrue(model.entityCounts.contains { $0.entity == "trials" && $0.count == 1 })

        // The registry file keeps the plugin: a new session knows its kinds and commands.
        let reopened = SessionHarness.withPlugins(model: defaultModel(), registry: registry)
        reopened.runKeepingOpen(["open \(file)", "registry remove iaso-bio --cascade", "undo", "trials show t1"])
        XCTAssertEqual(reopened.errors, [])
        XCTAssertEqual(reopened.session.model, model)
        XCTAssertTrue(reopened.stdout.contains("removed trial t1 (its sponsor was iaso-bio)"), reopened.stdout)
        XCTAssertTrue(reopened.stdout.contains("sponsor name  IASO Bio"), reopened.stdout)

        // Without the plugin the trials are kept and said so; adding the plugin adopts them.
        let without = SessionHarness.withPlugins()
        without.runKeepingOpen(["open \(file)"])
        XCTAssertTrue(without.stderr.contains("kept 1 record of 'trials'"), without.stderr)
        XCTAssertNil(without.session.model.table(named: "trials"))
        without.runKeepingOpen(["plugin add \(PluginFixtures.trials)", "trials list --format csv"])
        XCTAssertEqual(without.errors, [])
        XCTAssertEqual(without.session.model, model)
        XCTAssertTrue(without.stdout.contains("t1,CAR-T in myeloma,IASO Bio,2,planned"), without.stdout)
    }

    func testAPluginsChangesAreJournaledAndRecovered() throws {
        let harness = SessionHarness.withPlugins()
        harness.session.keepRecoveryJournal(in: harness.path("journal"))
        harness.runKeepingOpen(["plugin add \(PluginFixtures.trials)", "trials add t1 --title T --sponsor geneseeq --phase 3",
                                "trials advance t1", "trials remove t1", "undo"])
        XCTAssertEqual(harness.errors, [])
        let recovered = try XCTUnwrap(harness.session.recoverableModel())
        XCTAssertEqual(recovered, harness.session.model)
        XCTAssertEqual(recovered.table(named: "trials")?.count, 1)
    }

    func testRecordsOfAnOlderSchemaVersionAreReadAndCheckedAgainstTheNewDeclaration() throws {
        let directory = try ValleyFiles.temporaryDirectory()
        let older = SessionHarness.withPlugins()
        let file = older.path("w.valley")
        older.run(["plugin add \(PluginFixtures.trials)", "trials add t1 --title T --sponsor geneseeq --phase 3", "save \(file)"])
        XCTAssertEqual(older.errors, [])
        // The same plugin, a version later: its kind's stored form is at schema version 2.
        let source = try String(contentsOfFile: PluginFixtures.trials, encoding: .utf8)
        let marker = #""name": "trials", "label": "trial", "key": "id","#
        XCTAssertTrue(source.contains(marker))
        let newer = directory + "/trials-2.py"
        try source.replacingOccurrences(of: marker, with: marker + #" "schema-version": 2,"#).write(toFile: newer, atomically: true, encoding: .utf8)
        chmod(newer, 0o755)
        let harness = SessionHarness.withPlugins()
        harness.runKeepingOpen(["plugin add \(newer)", "open \(file)", "trials list --format csv", "save \(file)"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertTrue(harness.stdout.contains("t1,T,Geneseeq,3,planned"), harness.stdout)
        // Saved again at version 2, the file is refused by the older declaration, with both versions.
        let downgraded = SessionHarness.withPlugins()
        downgraded.run(["plugin add \(PluginFixtures.trials)", "open \(file)"])
        XCTAssertEqual(downgraded.errors.count, 1, downgraded.stderr)
        XCTAssertTrue(downgraded.errors[0].contains("its trials are at schema version 2, newer than this valley's 1"), downgraded.errors[0])
    }

    func testAChangedExecutableIsRefusedUntilAddedAgain() throws {
        let directory = try ValleyFiles.temporaryDirectory()
        let copy = directory + "/trials.py"
        try FileManager.default.copyItem(atPath: PluginFixtures.trials, toPath: copy)
        let registry = directory + "/config/plugins"
        let first = SessionHarness.withPlugins(registry: registry)
        first.run(["plugin add \(copy)", "trials add t1 --title T --sponsor iaso-bio --phase 1"])
        XCTAssertEqual(first.errors, [])

        try ("\n# changed after it was added\n").appendLine(toFile: copy)
        let second = SessionHarness.withPlugins(registry: registry)
        let before = second.session.model
        second.runKeepingOpen(["trials list", "plugin require trials", "plugin list --format csv"])
        XCTAssertEqual(second.errors.count, 2, second.stderr)
        for error in second.errors {
            XCTAssertTrue(error.hasSuffix("plugin 'trials': \(copy) changed since it was added (its SHA-256 differs); run 'plugin add \(copy)' again if you trust the new one"), error)
        }
        XCTAssertTrue(second.stdout.contains("trials,2,\"add, list, show, advance, remove, sponsors, scan\",trials,changed"), second.stdout)
        XCTAssertEqual(second.session.model, before)
        second.run(["plugin add \(copy)", "trials list", "plugin require trials", "plugin require registry", "plugin require trails"])
        XCTAssertEqual(second.errors.count, 3, second.stderr)
        XCTAssertEqual(second.errors.last, "test.valley:5: error: no plugin 'trails' is added; did you mean 'trials'?")
    }

    // MARK: Protocol versions

    func testAProtocolOnePluginStillWorksWhileTheHostSpeaksLaterVersions() throws {
        XCTAssertEqual(PluginProtocol.supported.first, 1, "the host keeps speaking protocol 1")
        XCTAssertGreaterThan(PluginProtocol.supported.count, 1, "a later version exists, so this test means something")
        let harness = SessionHarness.withPlugins()
        harness.run(["plugin add \(PluginFixtures.protocolOne)", "plugin list --format csv", "echo say a b",
                     "echo count enterprises --where 'sector = cell-therapy' --format csv", "echo count enterprises --where 'nonsense ='"])
        XCTAssertTrue(harness.stdout.contains("echo,1,\"say, count\",,ok"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("word\n----\na\nb"), harness.stdout)
        let cellTherapy = harness.session.model.enterprises.filter { $0.sectors.contains("cell-therapy") }.count
        XCTAssertTrue(harness.stdout.contains("kind,count\r\nenterprises,\(cellTherapy)\r\n"), harness.stdout)
        XCTAssertEqual(harness.errors.count, 1, harness.stderr)
        XCTAssertTrue(harness.errors[0].contains("echo: --where, column"), harness.errors[0])
    }

    func testAPluginOfAnUnknownProtocolVersionIsRefusedWithBothVersions() throws {
        let directory = try ValleyFiles.temporaryDirectory()
        let future = try PluginFixtures.answering(#"{"type": "hello", "protocols": [7]}"#, named: "future.py", in: directory)
        let harness = SessionHarness.withPlugins()
        harness.run(["plugin add \(future)", "plugin list --format csv"])
        XCTAssertEqual(harness.errors, ["test.valley:1: error: plugin 'future.py' speaks protocol 7; this valley speaks protocol 1, 2: update the one that is older"])
        XCTAssertEqual(harness.stdout, "plugin,protocol,commands,kinds,state\r\n")
    }

    func testBadDeclarationsAreRefusedWithTheirPlace() throws {
        let directory = try ValleyFiles.temporaryDirectory()
        let cases: [(String, String)] = [
            (#"{"namespace": "registry", "commands": []}"#, "namespace: 'registry' is a command of valley itself or of a built-in plugin"),
            (#"{"namespace": "x", "commands": [{"name": "a"}, {"name": "a"}]}"#, "commands[1]: 'a' is declared twice"),
            (#"{"namespace": "x", "commands": [], "kinds": [{"name": "ks", "fields": [{"name": "f", "references": "nowhere"}]}]}"#,
             "kinds[0].fields[0]: it refers to 'nowhere', which is neither a kind of this valley nor an earlier kind of the plugin"),
            (#"{"namespace": "x", "commands": [], "kinds": [{"name": "enterprises", "fields": []}]}"#, "kinds[0]: a kind named 'enterprises' already exists"),
            (#"{"namespace": "x", "commands": [{"name": "a", "options": [{"name": "format"}]}]}"#, "commands[0].options[0]: '--format' is declared twice or is the host's (--help, --format)"),
        ]
        for (index, (declaration, problem)) in cases.enumerated() {
            let plugin = try PluginFixtures.answering(#"{"type": "hello", "protocol": 1, "declaration": \#(declaration)}"#, named: "bad\(index).py", in: directory)
            let harness = SessionHarness.withPlugins()
            let before = harness.session.model
            harness.run(["plugin add \(plugin)"])
            XCTAssertEqual(harness.errors.count, 1, harness.stderr)
            XCTAssertTrue(harness.errors.first?.hasSuffix(problem) == true, "\(harness.errors.first ?? "") should end with \(problem)")
            XCTAssertEqual(harness.session.model, before)
            XCTAssertTrue(harness.session.pluginHost.plugins.isEmpty)
        }
    }

    // MARK: Isolation

    func testEveryFailureOfAPluginLeavesTheModelAsItWasAndTheShellGoingOn() throws {
        let harness = SessionHarness.withPlugins()
        harness.runKeepingOpen(["plugin add \(PluginFixtures.faulty)", "set plugin-timeout 500ms", "faulty ping p1"])
        XCTAssertEqual(harness.errors, [])
        let before = harness.session.model
        let failures: [(String, String)] = [
            ("faulty crash", "plugin 'faulty' ended during the command (killed by signal 11 (SIGSEGV)); the model is unchanged"),
            ("faulty exit", "plugin 'faulty' ended during the command (exit status 3); the model is unchanged"),
            ("faulty hang", "plugin 'faulty' sent nothing for 0.5 s and was stopped; the model is unchanged ('set plugin-timeout' changes the limit)"),
            ("faulty garbage", "plugin 'faulty' broke the protocol (it wrote 'Traceback (most recent call last): this is not JSON', not a protocol message); the model is unchanged"),
            ("faulty half-change", "faulty: change 2 (add probes 'half-2'): not a probe record: note has the wrong type; nothing was changed"),
        ]
        for (command, message) in failures {
            let errorsBefore = harness.errors.count
            let started = ContinuousClock.now
            harness.runKeepingOpen([command])
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(5), command)
            XCTAssertEqual(harness.errors.count, errorsBefore + 1, harness.stderr)
            XCTAssertEqual(harness.errors.last, "test.valley:1: error: " + message)
            XCTAssertEqual(harness.session.model, before, command)
            XCTAssertEqual(harness.session.pluginHost.runningCount, command == "faulty half-change" ? 1 : 0, "a broken plugin's process is ended: \(command)")
        }
        harness.run(["faulty ping p2", "undo"])
        XCTAssertEqual(harness.errors.count, failures.count, harness.stderr)
        XCTAssertEqual(harness.session.model, before, "the next command starts the plugin afresh, and its change is undoable")
    }

    func testCtrlCSendsCancelAndEndsThePluginAfterTheGracePeriod() throws {
        // Interactive: Ctrl-C ends the command, not the session.
        let harness = SessionHarness(model: defaultModel(), interactive: true, pluginHost: PluginHost(registryPath: nil))
        harness.runKeepingOpen(["plugin add \(PluginFixtures.faulty)"])
        harness.session.pluginHost.grace = 0.3
        let before = harness.session.model
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.4) { Interruption.request() }
        let started = ContinuousClock.now
        let succeeded = harness.session.execute(["faulty", "hang"], text: "faulty hang")
        Interruption.reset()
        XCTAssertFalse(succeeded)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "ended after the grace period, not the 30 s timeout")
        XCTAssertTrue(harness.stderr.contains("interrupted"), harness.stderr)
        XCTAssertEqual(harness.session.model, before)
        XCTAssertEqual(harness.session.pluginHost.runningCount, 0)
        harness.run(["faulty ping after"])
        XCTAssertEqual(harness.session.model.table(named: "probes")?.count, 1, "the shell goes on, with a new process: \(harness.stderr)")
    }

    func testIdlePluginProcessesAreStopped() throws {
        let harness = SessionHarness.withPlugins()
        harness.runKeepingOpen(["plugin add \(PluginFixtures.faulty)", "faulty ping p1"])
        XCTAssertEqual(harness.session.pluginHost.runningCount, 1)
        harness.runKeepingOpen(["set plugin-idle 200ms"])
        let deadline = Date().addingTimeInterval(5)
        while harness.session.pluginHost.runningCount > 0, Date() < deadline { usleep(50_000) }
        XCTAssertEqual(harness.session.pluginHost.runningCount, 0)
        harness.run(["faulty ping p2"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertEqual(harness.session.model.table(named: "probes")?.count, 2)
    }

    // MARK: The shell knows plugin commands as it knows built-ins

    func testHelpCompletionAndDidYouMeanForPluginCommands() throws {
        let harness = SessionHarness.withPlugins()
        harness.runKeepingOpen(["plugin add \(PluginFixtures.trials)", "trials add NCT-1 --title T --sponsor iaso-bio --phase 1",
                                "help", "help trials add", "trials advance --help", "trails list", "trials lst", "trials add x --tilte y",
                                "trials add x --title y --sponsor iaso-bio --phase two", "trials add x --title y --sponsor iaso-bio --phase 1 --status done"])
        XCTAssertTrue(harness.stdout.contains("trials add            trials (external)  Add a trial."), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("USAGE: trials add <id> --title <title> --sponsor <sponsor> --phase <phase> [--status <status>]"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("USAGE: trials advance <id> [--format <format>]"), harness.stdout)
        XCTAssertEqual(harness.errors, [
            "test.valley:6: error: unknown command 'trails' (did you mean 'trials'?); type 'help' for the list",
            "test.valley:7: error: unknown command 'trials lst' (did you mean 'trials list'?); type 'help' for the list",
            "test.valley:8: error: trials add: unknown option '--tilte'. Did you mean '--title'?; see 'help trials add'",
            "test.valley:9: error: trials add: the value 'two' is invalid for '--phase <phase>': expected a whole number; see 'help trials add'",
            "test.valley:10: error: trials add: the value 'done' is invalid for '--status <status>'. Please provide one of 'planned', 'recruiting', 'active', 'completed', 'terminated'; see 'help trials add'",
        ])

        let completer = Completer(session: harness.session)
        XCTAssertTrue(completer.complete("tri").candidates.contains("trials"))
        XCTAssertEqual(completer.complete("trials ").candidates, ["add", "advance", "help", "list", "remove", "scan", "show", "sponsors"])
        XCTAssertEqual(completer.complete("trials add x --s").candidates, ["--source", "--sponsor", "--started", "--status"])
        XCTAssertEqual(completer.complete("trials add x --status r").candidates, ["recruiting"])
        XCTAssertEqual(completer.complete("trials add x --sponsor IAS").candidates, ["iaso-bio"])
        XCTAssertEqual(completer.complete("trials show NC").candidates, ["NCT-1"])
        XCTAssertTrue(completer.complete("trials list --where \"pha").candidates.contains("\"phase"))
        XCTAssertEqual(completer.complete("help trials ad").candidates, ["add", "advance"])
    }

    func testTheSwiftPluginAnswersCompletionsItselfUnderProtocolTwo() throws {
        let harness = SessionHarness.withPlugins()
        harness.runKeepingOpen(["plugin add \(PluginFixtures.landUse)", "landuse add P-1 --zone incubator --area 1200 --tenant iaso-bio",
                                "landuse add P-2 --zone mars --area 10", "landuse zones --format csv", "landuse tenant geneseeq --format csv"])
        XCTAssertEqual(harness.errors, ["test.valley:3: error: landuse: change 1 (add parcels 'P-2'): invalid zone 'mars': expected one of biopharma-core, incubator, logistics, residential, reserve; nothing was changed"])
        XCTAssertTrue(harness.stdout.contains("zone,area m²,tenants\r\nincubator,1200,1\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("geneseeq,Geneseeq,active"), harness.stdout)
        XCTAssertEqual(harness.session.pluginHost.plugin(named: "landuse")?.protocolVersion, 2)
        let completer = Completer(session: harness.session)
        XCTAssertEqual(completer.complete("landuse add P-3 --zone re").candidates, ["reserve", "residential"])
        XCTAssertEqual(completer.complete("landuse add P-3 --tenant gene").candidates, ["geneseeq"])
    }

    // MARK: Parts

    func testCommandParsingFollowsArgumentParsersRules() throws {
        let command = CommandDeclaration(name: "add", summary: "Add.", arguments: [ArgumentDeclaration(name: "id"), ArgumentDeclaration(name: "rest", repeating: true)],
                                         options: [ArgumentDeclaration(name: "count", type: .integer, required: true),
                                                   ArgumentDeclaration(name: "when", type: .date),
                                                   ArgumentDeclaration(name: "tag", repeating: true),
                                                   ArgumentDeclaration(name: "mode", defaultValue: .string("fast"), values: ["fast", "slow"]),
                                                   ArgumentDeclaration(name: "dry-run", type: .flag)])
        let parsed = try XCTUnwrap(command.parse(["a", "--count=-3", "b", "--tag", "x", "--when", "2024-05", "--tag", "y", "--dry-run", "--", "--c"], path: "t add"))
        XCTAssertEqual(parsed, ["id": .string("a"), "rest": .array([.string("b"), .string("--c")]), "count": .integer(-3), "when": .string("2024-05"),
                                "tag": .array([.string("x"), .string("y")]), "mode": .string("fast"), "dry-run": .bool(true)])
        XCTAssertNil(try command.parse(["a", "--help"], path: "t add"))
        func message(_ words: [String]) -> String {
            do { _ = try command.parse(words, path: "t add"); return "parsed" } catch { return ValleyError.describe(error) }
        }
        XCTAssertEqual(message(["--count", "1"]), "t add: missing expected argument '<id>'; see 'help t add'")
        XCTAssertEqual(message(["a"]), "t add: missing expected argument '--count <count>'; see 'help t add'")
        XCTAssertEqual(message(["a", "--count"]), "t add: missing value for '--count <count>'; see 'help t add'")
        XCTAssertEqual(message(["a", "--count", "1", "--dry-run=yes"]), "t add: the flag '--dry-run' does not take a value; see 'help t add'")
        XCTAssertEqual(message(["a", "--count", "1", "--when", "May"]), "t add: the value 'May' is invalid for '--when <when>': expected a date like 2024, 2024-05 or 2024-05-17; see 'help t add'")
    }

    func testSHA256MatchesTheStandardVectorsAndSha256sum() throws {
        XCTAssertEqual(SHA256.hex(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256()
        for _ in 0..<1000 { million.update(Array(repeating: UInt8(ascii: "a"), count: 1000)) }
        XCTAssertEqual(million.finish(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // And against the system's tool, on a plugin file.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", PluginFixtures.trials]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let system = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").first.map(String.init)
        XCTAssertEqual(try PluginRegistry.hash(of: PluginFixtures.trials), system)
    }
}

enum ValleyFiles {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "valley-plugin-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension String {
    func appendLine(toFile path: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(utf8))
        handle.closeFile()
    }
}

/// The defects a fresh-eyes review found, each kept fixed by a test.
final class ExternalPluginReviewTests: XCTestCase {
    /// A one-command plugin `p` whose `go` runs `body` (Python, with `send`, `receive`, `call`).
    func plugin(_ body: String, kinds: String = "[]", in directory: String, name: String = "p.py") throws -> String {
        try PluginFixtures.write("""
            import os, time
            def send(m):
                sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()
            def receive():
                line = sys.stdin.readline()
                if not line: sys.exit(0)
                return json.loads(line)
            receive()
            send({"type": "hello", "protocol": 1, "declaration": {"namespace": "p", "kinds": \(kinds),
                  "commands": [{"name": "go", "arguments": [{"name": "word", "default": ""}]}]}})
            while True:
                message = receive()
                if message["type"] != "call": continue
                call = message["call"]
                word = message["arguments"]["word"]
            \(body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """, named: name, in: directory)
    }

    func testReAddingAPluginWhoseKindChangedIsRefusedWhileTheModelHoldsRecordsItWouldRefuse() throws {
        let directory = try ValleyFiles.temporaryDirectory()
        let add = #"send({"type": "result", "call": call, "changes": [{"op": "add", "kind": "things", "record": {"id": word, "n": 7}}]})"#
        let first = try plugin(add, kinds: #"[{"name": "things", "fields": [{"name": "n", "type": "integer"}]}]"#, in: directory, name: "p1.py")
        let second = try plugin(add, kinds: #"[{"name": "things", "fields": [{"name": "n", "type": "text"}]}]"#, in: directory, name: "p2.py")
        let harness = SessionHarness.withPlugins()
        let file = harness.path("w.valley")
        harness.runKeepingOpen(["plugin add \(first)", "p go t1", "plugin add \(second)", "save \(file)"])
        XCTAssertEqual(harness.errors.count, 1, harness.stderr)
        XCTAssertTrue(harness.errors[0].contains("the model holds things that its new declaration refuses (record 1, 't1': invalid n '7': expected a text)"), harness.errors[0])
        XCTAssertEqual(harness.session.pluginHost.plugin(named: "p")?.path, first, "the refused version is not added")
        XCTAssertEqual(DeclaredKinds.declaration(named: "things")?.fields.first?.type, .integer, "the kind keeps its declaration")
        let reopened = SessionHarness.withPlugins()
        reopened.run(["plugin add \(first)", "open \(file)"])
        XCTAssertEqual(reopened.errors, [], "the saved workspace opens")
    }

    func testUndoingAPluginAddThatAdoptedKeptRecordsKeepsThemAgain() throws {
        let saving = SessionHarness.withPlugins()
        let file = saving.path("w.valley")
        saving.run(["plugin add \(PluginFixtures.trials)", "trials add t1 --title T --sponsor geneseeq --phase 1", "save \(file)"])
        let harness = SessionHarness.withPlugins()
        harness.runKeepingOpen(["open \(file)"])
        let opened = harness.session.model
        XCTAssertNotNil(opened.keptSections["trials"])
        harness.runKeepingOpen(["plugin add \(PluginFixtures.trials)"])
        XCTAssertEqual(harness.session.model.table(named: "trials")?.count, 1)
        XCTAssertNil(harness.session.model.keptSections["trials"])
        harness.runKeepingOpen(["undo"])
        XCTAssertEqual(harness.session.model.keptSections["trials"], opened.keptSections["trials"], "undo puts the kept records back")
        XCTAssertEqual(harness.session.model.table(named: "trials")?.count ?? 0, 0)
        harness.runKeepingOpen(["redo"])
        XCTAssertEqual(harness.session.model.table(named: "trials")?.count, 1)
        XCTAssertEqual(harness.errors, [])
    }

    func testCtrlCReachesAPluginThatStoppedReadingWhileTheHostStreams() throws {
        let directory = try ValleyFiles.temporaryDirectory()
        let stuck = try plugin(#"send({"type": "query", "request": 1, "kind": "enterprises"}); time.sleep(3600)"#, in: directory)
        var model = defaultModel()
        try model.load { model in
            for index in 0..<50_000 { try model.insert(Enterprise(id: "x\(index)", nameEN: "Generated \(index) Biotech Co., Ltd.", sources: ["seed-efec-2025"])) }
        }
        _ = model.takeChanges()
        let harness = SessionHarness(model: model, interactive: true, pluginHost: PluginHost(registryPath: nil))
        harness.runKeepingOpen(["plugin add \(stuck)"])
        harness.session.pluginHost.grace = 0.2
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { Interruption.request() }
        let started = ContinuousClock.now
        XCTAssertFalse(harness.session.execute(["p", "go"], text: "p go"))
        Interruption.reset()
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "not the 30 s timeout")
        XCTAssertTrue(harness.stderr.contains("error: interrupted"), harness.stderr)
        XCTAssertEqual(harness.session.model, model)

        // Not reading at all (no Ctrl-C): the error says so.
        let quiet = SessionHarness(model: model, pluginHost: PluginHost(registryPath: nil))
        quiet.run(["plugin add \(stuck)", "set plugin-timeout 300ms", "p go"])
        XCTAssertEqual(quiet.errors, ["test.valley:3: error: plugin 'p' did not read its input for 0.3 s and was stopped; the model is unchanged ('set plugin-timeout' changes the limit)"])
    }

    func testAPluginThatDribblesOrExitsWhileIdleOrFailsIsHandled() throws {
        let directory = try ValleyFiles.temporaryDirectory()
        let body = """
            if word == "dribble":
                for _ in range(100):
                    sys.stdout.write(" "); sys.stdout.flush(); time.sleep(0.1)
            elif word == "failing":
                send({"type": "result", "call": call, "failure": "it failed", "tables": [{"columns": ["x"], "rows": [[1]]}],
                      "changes": [{"op": "update", "kind": "sectors", "record": {"id": "cell-therapy", "name": "CHANGED"}}]})
            elif word == "bogus":
                send({"type": "result", "call": call, "changes": [{"op": "update", "kind": "sectors", "record": {"id": "cell-therapy", "name": "Cell", "bogusField": 1}}]})
            else:
                send({"type": "result", "call": call, "tables": [{"columns": ["pid"], "rows": [[os.getpid()]]}]})
                sys.exit(0)
            """
        let path = try plugin(body, in: directory)
        let harness = SessionHarness.withPlugins()
        let before = harness.session.model
        harness.runKeepingOpen(["plugin add \(path)", "set plugin-timeout 500ms", "p go exit-after", "p go exit-after", "p go dribble",
                                "p go failing", "p go bogus"])
        XCTAssertEqual(harness.errors.count, 3, harness.stderr)
        XCTAssertEqual(harness.errors[0], "test.valley:5: error: plugin 'p' sent nothing for 0.5 s and was stopped; the model is unchanged ('set plugin-timeout' changes the limit)",
                       "a line must come whole within the timeout")
        XCTAssertEqual(harness.errors[1], "test.valley:6: error: p: it failed")
        XCTAssertTrue(harness.errors[2].hasPrefix("test.valley:7: error: p: change 1 (update sectors 'cell-therapy'): invalid bogusField"), harness.errors[2])
        XCTAssertEqual(harness.stdout.components(separatedBy: "pid").count, 3, "a plugin that exited while idle is started afresh: \(harness.stdout)")
        XCTAssertEqual(harness.session.model, before, "a failed result's change set is not applied")
    }
}
