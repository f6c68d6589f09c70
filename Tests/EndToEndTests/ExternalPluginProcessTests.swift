import Foundation
import XCTest

/// External plugins with the built binary, as a user meets them across sessions: the registry
/// under `$XDG_CONFIG_HOME` pins the executable, a changed one is refused with one line and
/// the model unchanged, and adding it again trusts it.
final class ExternalPluginProcessTests: XCTestCase {
    func testAChangedPluginIsRefusedAcrossSessionsUntilAddedAgain() throws {
        let directory = try ValleyProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plugin = directory + "/trials.py"
        try FileManager.default.copyItem(atPath: ValleyProcess.packageRoot.appendingPathComponent("Examples/plugins/trials.py").path, toPath: plugin)
        let environment = ["XDG_CONFIG_HOME": directory + "/config"]
        let added = try ValleyProcess.run(["--no-rc", "-c", "plugin add \(plugin)", "-c", "trials add t1 --title T --sponsor iaso-bio --phase 2",
                                           "-c", "save \(directory)/w.valley"], environment: environment)
        XCTAssertEqual(added.status, 0, added.stderr)

        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: plugin))
        handle.seekToEndOfFile()
        handle.write(Data("# edited after it was added\n".utf8))
        handle.closeFile()

        let refused = try ValleyProcess.run(["--no-rc", "--workspace", directory + "/w.valley", "-c", "trials list", "-c", "model --format csv"],
                                            environment: environment)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "-c:1: error: plugin 'trials': \(plugin) changed since it was added (its SHA-256 differs); run 'plugin add \(plugin)' again if you trust the new one\n")
        XCTAssertTrue(refused.stdout.contains("\r\ntrials,1\r\n"), "the model is as saved: \(refused.stdout)")

        let trusted = try ValleyProcess.run(["--no-rc", "--workspace", directory + "/w.valley", "-c", "plugin add \(plugin)", "-c", "trials list --format csv"],
                                            environment: environment)
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
        XCTAssertTrue(trusted.stdout.contains("t1,T,IASO Bio,2,planned"), trusted.stdout)
        let registry = try String(contentsOfFile: directory + "/config/valley/plugins", encoding: .utf8)
        XCTAssertTrue(registry.contains("\"sha256\""), registry)
    }
}
