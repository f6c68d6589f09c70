import ArgumentParser
import XCTest
import ValleyCore
import ValleyTestSupport
@testable import ValleyShell

/// A plugin whose one command behaves as if Ctrl-C came while it ran and it never looked:
/// it finishes its work, and the flag is still up when it returns.
struct LateInterruptPlugin: ValleyPlugin {
    var namespace: String { "probe" }
    var summary: String { "Test plugin: a command that ignores Ctrl-C." }
    var commands: [any ParsableCommand.Type] { [ProbeCommand.self] }
    func contributeDefaultData(to model: inout ClusterModel) {}

    struct ProbeCommand: ValleyCommand {
        static let configuration = CommandConfiguration(commandName: "probe", abstract: "Finish, with Ctrl-C pending.")
        mutating func run(in context: inout CommandContext) throws {
            Interruption.request()
            try context.model.insert(Source(id: "probe", title: "kept", publisher: "test", reliability: .primary))
        }
    }
}

final class InterruptTests: XCTestCase {
    override func tearDown() { _ = Interruption.reset() }

    func testCtrlCDuringACommandThatFinishesStopsTheScriptAfterIt() {
        let harness = SessionHarness(plugins: builtinPlugins + [LateInterruptPlugin()])
        harness.run(["set var a 1", "probe", "set var b 2"], file: "late.valley")
        XCTAssertTrue(Interruption.reset(), "the flag is still up (a reader would stop at it, so it is cleared before the files are read)")
        XCTAssertEqual(harness.stderr, "late.valley:2: interrupted; this command had finished, nothing after it runs\n")
        XCTAssertEqual(harness.session.exitStatus, 130)
        XCTAssertTrue(harness.session.model.sources.contains { $0.id == "probe" }, "the finished command's change is kept")
        XCTAssertEqual(harness.session.tokenizer.variables["a"], "1")
        XCTAssertNil(harness.session.tokenizer.variables["b"], "nothing after it ran")
    }

    func testAtThePromptTheShellGoesOn() {
        let harness = SessionHarness(plugins: builtinPlugins + [LateInterruptPlugin()], interactive: true)
        harness.run(["probe", "set var b 2"], file: nil)
        XCTAssertEqual(harness.errorLines.count, 1, harness.stderr)
        XCTAssertTrue(harness.stderr.hasPrefix("note: 1 command has changed the model"), "only the unsaved-changes question at the end: \(harness.stderr)")
        XCTAssertEqual(harness.session.tokenizer.variables["b"], "2")
        XCTAssertEqual(harness.session.exitStatus, 0)
    }
}
