import Foundation
import XCTest
@_spi(Shell) import ValleyCore
import ValleyTestSupport
@testable import ValleyShell
import PolicyTimeline
import LogisticsChecks
import TalentStatistics

final class PluginListTests: XCTestCase {
    /// The one array of built-in plugins matches the folders under `Plugins/`.
    func testBuiltinPluginsMatchThePluginsFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Plugins").path)
            .filter { !$0.hasPrefix(".") }.sorted()
        let modules = builtinPlugins.map { String(reflecting: type(of: $0)).split(separator: ".").first.map(String.init) ?? "" }.sorted()
        XCTAssertEqual(modules, folders)
        XCTAssertEqual(Set(builtinPlugins.map(\.namespace)), ["policy", "registry", "logistics", "talent"])
    }

    /// No plugin imports another: each plugin's sources import only ValleyCore, ValleyTableFiles and ArgumentParser.
    func testPluginsImportNoOtherPlugin() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let plugins = root.appendingPathComponent("Plugins")
        for folder in try FileManager.default.contentsOfDirectory(atPath: plugins.path) {
            let files = try FileManager.default.contentsOfDirectory(atPath: plugins.appendingPathComponent(folder).path)
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: plugins.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8)
                let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") }.map { String($0.dropFirst(7)) }
                XCTAssertTrue(Set(imports).isSubset(of: ["ValleyCore", "ValleyTableFiles", "ArgumentParser", "Foundation", "FoundationEssentials", "Glibc"]), "\(folder)/\(file): \(imports)")
            }
        }
    }
}

final class DefaultDataTests: XCTestCase {
    let model = defaultModel()

    /// The recovery journal's snapshot of every kind of every plugin, with empty slots, reads
    /// back as the same model with the same slots (later journal lines name slots).
    func testSlotSnapshotsOfEveryKindRoundTrip() throws {
        var model = defaultModel()
        _ = try model.remove(Enterprise.self, id: "geneseeq", cascade: true)
        _ = model.takeChanges()
        let copy = try ClusterModel.fromSlotSnapshot(model.slotSnapshot(), kinds: recordKinds())
        XCTAssertEqual(copy, model)
        XCTAssertEqual(copy.emptySlots, model.emptySlots)
        XCTAssertFalse(model.emptySlots.isEmpty, "the removal left an empty slot")
        XCTAssertEqual(try copy.slotSnapshot(), try model.slotSnapshot())
    }

    func testEveryReferenceResolves() {
        XCTAssertEqual(model.danglingReferences, [])
    }

    func testEveryRecordHasASource() {
        XCTAssertTrue(model.enterprises.allSatisfy { !$0.sources.isEmpty })
        XCTAssertTrue(model[Policy.self].allSatisfy { !$0.sources.isEmpty })
        XCTAssertTrue(model[Event.self].allSatisfy { !$0.sources.isEmpty })
        XCTAssertTrue(model[Institution.self].allSatisfy { !$0.sources.isEmpty })
        XCTAssertTrue(model[CargoProfile.self].allSatisfy { !$0.sources.isEmpty })
    }

    func testEveryKindOfEveryPluginHasRecords() {
        for table in model.allTables { XCTAssertGreaterThan(table.count, 0, table.kind.name) }
        XCTAssertEqual(model.kindNames.count, 4 + builtinPlugins.flatMap(\.kinds).count)
    }

    func testSeedFactsArePresent() {
        XCTAssertEqual(model.indicators.first { $0.id == "nanjing-hightech-biomed-enterprises" }?.observations.first?.value, 1032)
        let revenue = model.indicators.first { $0.id == "nanjing-biomed-revenue" }?.observations.first { $0.period.year == 2024 }
        XCTAssertEqual(revenue?.value, 210)
        XCTAssertEqual(revenue?.isFloor, true)
        XCTAssertEqual(model[CargoProfile.self].map(\.contractWindow.seconds).sorted(), [30 * 3600, 144 * 3600])
        XCTAssertTrue(model.enterprises.contains { $0.nameZH == "驯鹿生物" && $0.aliases.contains("Reindeer Medical") })
        XCTAssertTrue(model[Leg.self].filter { $0.assumption == nil }.allSatisfy { !$0.sources.isEmpty })
    }
}

/// Completion → parse → run → render for one command of every plugin.
final class PluginPathTests: XCTestCase {
    func run(_ line: String, format: OutputFormat = .json) throws -> [[String: Any]] {
        let harness = SessionHarness()
        harness.run(["set format \(format.rawValue)", line])
        XCTAssertEqual(harness.stderr, "", line)
        let text = harness.stdout
        let start = text.firstIndex(of: "[") ?? text.startIndex
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text[start...].utf8)) as? [[String: Any]], text)
    }

    func completions(_ text: String) -> [String] {
        let session = Session(model: defaultModel())
        return Completer(session: session).complete(text).candidates
    }

    func testRegistry() throws {
        XCTAssertEqual(completions("registry sh"), ["show"])
        XCTAssertEqual(completions("registry show 驯"), ["驯鹿生物"])
        XCTAssertEqual(completions("registry show Reind"), ["\"Reindeer Medical\""])
        let rows = try run("registry list --sector cell-therapy")
        XCTAssertEqual(rows.map { $0["id"] as? String }, ["iaso-bio", "geneseeq"])
    }

    func testPolicy() throws {
        XCTAssertEqual(completions("policy show nanjing-bioe"), ["nanjing-bioeconomy-2021-2023"])
        let rows = try run("policy list --from 2020 --to 2020")
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(rows.allSatisfy { ($0["issued"] as? String)?.hasPrefix("2020") == true })
    }

    func testLogistics() throws {
        XCTAssertEqual(completions("logistics check hk-s"), ["hk-sample-to-nanjing"])
        let rows = try run("logistics route show hk-sample-to-nanjing")
        XCTAssertEqual(rows.count, 4)
        XCTAssertTrue(rows.allSatisfy { ($0["basis"] as? String)?.hasPrefix("ASSUMPTION") == true })
    }

    func testTalent() throws {
        XCTAssertEqual(completions("talent institution show China"), ["\"China Pharmaceutical University\""])
        let rows = try run("talent institutions --kind platform")
        XCTAssertEqual(rows.map { $0["id"] as? String }, ["pku-imm-nanjing", "eastern-health-data-centre"])
    }

    func testCompletionOfCommandsFlagsAndFiles() throws {
        XCTAssertEqual(completions("reg"), ["registry"])
        XCTAssertEqual(completions("registry list --l"), ["--limit"])
        XCTAssertEqual(completions("registry list --format j"), ["json", "jsonl"])
        XCTAssertEqual(completions("set fo"), ["format"])
        XCTAssertTrue(completions("").contains("quit"))
        let directory = NSTemporaryDirectory() + "valley-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/script.valley", contents: Data()))
        XCTAssertEqual(completions("source \(directory)/sc"), ["\(directory)/script.valley"])
        XCTAssertEqual(completions("save \(directory)/su"), ["\(directory)/sub/"])
    }

    func testLogisticsCheckArithmetic() throws {
        let harness = SessionHarness()
        harness.run(["set format csv", "logistics check hk-sample-to-nanjing --cargo apheresis-fresh"])
        // 3h + 2h30m + 4h + 2h = 11h30m; the window is 30h, so 18h30m of slack.
        XCTAssertTrue(harness.stdout.contains("contract window,30h,11h30m,18h30m,pass"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("critical leg: nkg-import-customs (4h)"), harness.stdout)
    }
}
