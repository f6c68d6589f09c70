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

    /// Issue 15: names after options, fields, filters, and one record's id for a prefix that
    /// only its names share.
    func testCompletionOfNamesFieldsAndFilters() throws {
        XCTAssertEqual(completions("logistics check hk-sample-to-nanjing --cargo aph"), ["apheresis-fresh"])
        XCTAssertEqual(completions("indicator series --indicator nonexistent"), [])
        XCTAssertTrue(completions("policy impact nanjing-bioeconomy-2021-2023 --indicator ").count > 1)
        XCTAssertEqual(completions("registry count --by sec"), ["sector"])
        XCTAssertEqual(completions("registry list --sector cell-t"), ["cell-therapy"])
        XCTAssertEqual(completions("talent supply-demand --sector gene"), ["gene-therapy"])
        XCTAssertEqual(completions("registry list --fields id,name"), ["id,name", "id,name-zh"])
        XCTAssertEqual(completions("registry list --where fou"), ["\"founded", "\"founded-year"])
        XCTAssertEqual(completions("registry list --where \"sector = cell"), ["\"sector = cell-therapy"])
        XCTAssertEqual(completions("registry list --where \"sector in (gene-therapy, cell"), ["\"sector in (gene-therapy, cell-therapy"])
        XCTAssertEqual(completions("registry list --where \"has lis"), ["\"has listed"])
        XCTAssertEqual(completions("registry list --where \"ticker is "), ["\"ticker is missing", "\"ticker is not"])
        XCTAssertTrue(completions("registry list --where \"ticker ").contains("\"ticker !="))
        XCTAssertEqual(completions("registry show IA"), ["iaso-bio"], "one record matched by its name and id: its id is inserted")
        XCTAssertEqual(completions("logistics earliest hk"), ["hk-hospital", "hkg"])
        XCTAssertEqual(completions("registry show --format j"), ["json", "jsonl"])
        XCTAssertEqual(completions("registry remove --cascade luye"), ["luye-pharma"], "after a flag, a positional")
        let directory = NSTemporaryDirectory() + "valley-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/log.csv", contents: Data()))
        XCTAssertEqual(completions("logistics audit \(directory)/lo"), ["\(directory)/log.csv"])
    }

    /// Issue 15: every plugin's `--where` follows the README's missing-value rule (SQL's
    /// three-valued logic): `F = V`, `F != V` and `F is missing` split the records with no
    /// overlap, and `not F = V` selects what `F != V` does (never the missing ones).
    func testEveryPluginsFilterFollowsTheMissingValueRule() throws {
        let cases: [(list: String, field: String, value: String)] = [
            ("registry list", "ticker", "2096.HK"),
            ("registry list", "headcount", "100"),
            ("policy list", "title-zh", "x"),
            ("policy list", "expiry", "2030"),
            ("talent institutions", "discipline", "pharmacy"),
        ]
        for (list, field, value) in cases {
            func ids(_ filter: String) throws -> Set<String> {
                Set(try run("\(list) --where \(Tokenizer.quote(filter))").compactMap { $0["id"] as? String })
            }
            let all = Set(try run(list).compactMap { $0["id"] as? String })
            let equal = try ids("\(field) = \(value)"), different = try ids("\(field) != \(value)")
            let missing = try ids("\(field) is missing"), present = try ids("\(field) is not missing")
            XCTAssertFalse(missing.isEmpty, "\(list): the data has records without \(field)")
            XCTAssertEqual(equal.union(different).union(missing), all, "\(list) \(field)")
            XCTAssertTrue(equal.isDisjoint(with: different) && different.isDisjoint(with: missing) && equal.isDisjoint(with: missing))
            XCTAssertEqual(try ids("not \(field) = \(value)"), different, "\(list): not unknown is unknown")
            XCTAssertEqual(present, all.subtracting(missing))
        }
    }

    func testRegistryCountsAndDesignations() throws {
        XCTAssertEqual(try run("registry count").first?["enterprises"] as? Int, 6, "a plain count without --by")
        XCTAssertEqual(try run("registry count --where 'ticker is not missing'").first?["enterprises"] as? Int, 2)
        let counting = SessionHarness()
        counting.run(["registry count --by designation --format csv"])
        XCTAssertTrue(counting.stdout.contains("listed,2,33.3"), counting.stdout)
        XCTAssertEqual(Set(try run("registry list --where 'designation = listed'").compactMap { $0["id"] as? String }),
                       Set(try run("registry list --where 'has listed'").compactMap { $0["id"] as? String }))
        let harness = SessionHarness()
        harness.run(["registry list --where 'has lsited'", "registry show iaso", "registry list --sector cell-theraphy",
                     "talent supply-demand --sector 'Cell Therapy'", "logistics earliest 'Hong Kong' nanjing --depart 2025-03-07T15:30+08:00"])
        XCTAssertEqual(harness.errorLines.count, 4, harness.stderr)
        XCTAssertTrue(harness.errorLines[0].contains("no enterprise has 'lsited' (did you mean 'listed'?); known: listed"), harness.errorLines[0])
        XCTAssertTrue(harness.errorLines[1].contains("no enterprise named 'iaso' (did you mean 'iaso-bio'?)"), harness.errorLines[1])
        XCTAssertTrue(harness.errorLines[2].contains("no sector named 'cell-theraphy' (did you mean 'cell-therapy'"), harness.errorLines[2])
        XCTAssertTrue(harness.errorLines[3].contains("no site named 'Hong Kong' (did you mean 'hkg' (Hong Kong International Airport)"), harness.errorLines[3])
        XCTAssertTrue(harness.stdout.contains("cell-therapy"), "a sector resolves by its name, any case")
    }

    /// Issue 15: the group help's footer names a command that works.
    func testGroupHelpFooterNamesAWorkingCommand() {
        let harness = SessionHarness()
        harness.run(["registry --help", "registry help show", "logistics help route show", "help registry show", "registry help nope"])
        XCTAssertTrue(harness.stdout.contains("See 'registry help <subcommand>' for detailed help."), harness.stdout)
        XCTAssertEqual(harness.stdout.components(separatedBy: "USAGE: registry show <name>").count - 1, 2, "registry help show = help registry show")
        XCTAssertTrue(harness.stdout.contains("USAGE: logistics route show"), harness.stdout)
        XCTAssertEqual(harness.errorLines, ["test.valley:5: error: unknown command 'registry nope'; type 'help' for the list"])
    }

    /// Issue 15: `whatif` takes the shell's --format like every command.
    func testWhatIfTakesFormat() throws {
        let harness = SessionHarness()
        harness.run(["logistics whatif hk-sample-to-nanjing --cargo apheresis-fresh --set hk-pickup.duration=+1h --format json"])
        XCTAssertEqual(harness.stderr, "")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(harness.stdout.utf8)) as? [String: Any], harness.stdout)
        let verdicts = try XCTUnwrap(document["verdicts"] as? [[String: Any]])
        XCTAssertEqual(verdicts.compactMap { ($0["total"] as? [String: Any])?["minutes"] as? Int }, [690, 750], "+1h on the first leg")
    }

    /// Review of issue 15: `in` wants a list, a whole term is followed by and/or, values with
    /// the shell's special characters arrive as shown; names resolve in add; listed is always known.
    func testFilterCompletionGrammarAndResolutionInAdd() throws {
        XCTAssertEqual(completions("registry list --where \"sector in "), ["\"sector in ("])
        XCTAssertEqual(completions("registry list --where \"founded > 2015 "), ["\"founded > 2015 )", "\"founded > 2015 and", "\"founded > 2015 or"])
        XCTAssertEqual(completions("registry list --where \"park = NJ"), ["\"park = NJBPV"])
        XCTAssertEqual(completions("registry list --where \"region = Jiang"), ["\"region = 'Jiangbei New Area, Nanjing'"])
        let harness = SessionHarness()
        harness.run(["registry add x1 --name X1 --sector 'Cell Therapy' --source 'Nanjing city official on the biomedicine cluster (interview; seed 000)' --designation 'high-tech enterprise'",
                     "set format csv", "registry show x1", "registry count --where 'has listed and founded > 3000'"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertTrue(harness.stdout.contains("cell-therapy"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("enterprises\r\n0\r\n"), harness.stdout)
        let empty = SessionHarness(model: ClusterModel())
        empty.run(["registry count --where 'has listed'"])
        XCTAssertEqual(empty.errors, [], "listed is built in, known in an empty registry")
    }

    func testLogisticsCheckArithmetic() throws {
        let harness = SessionHarness()
        harness.run(["set format csv", "logistics check hk-sample-to-nanjing --cargo apheresis-fresh"])
        // 3h + 2h30m + 4h + 2h = 11h30m; the window is 30h, so 18h30m of slack.
        XCTAssertTrue(harness.stdout.contains("contract window,30h,11h30m,18h30m,pass"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("critical leg: nkg-import-customs (4h)"), harness.stdout)
    }
}
