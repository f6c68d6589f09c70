import ArgumentParser
import Foundation
import XCTest
import ValleyCore
import ValleyShell
import ValleyTestSupport

// A fifth plugin, declared entirely in this test file: no file of core or of another plugin
// knows it. Its kind refers to enterprises (core) and cites sources, like a built-in one.

/// A clinical trial sponsored by a registry enterprise.
struct Trial: Record {
    var id: String
    var title: String
    var sponsor: String
    var phase: Int
    var sources: [String]

    static let fields = RecordFields<Trial>([
        .init("id", .text, "stable id") { .text($0.id) },
        .init("title", .text, "title") { .text($0.title) },
        .init("sponsor", .text, "sponsoring enterprise") { .text($0.sponsor) },
        .init("phase", .number, "trial phase") { .number(Double($0.phase)) },
    ])

    static let kind = RecordKind<Trial>(
        name: "trials", label: "trial", owner: "trials", fields: fields,
        references: [
            .required("sponsor", to: Enterprise.self, get: { $0.sponsor }, set: { $0.sponsor = $1 }),
            .sources({ $0.sources }) { trial, old, new in trial.sources = trial.sources.compactMap { $0 == old ? new : $0 } },
        ],
        validate: { trial in
            guard (1...4).contains(trial.phase) else { throw ValleyError.invalidValue(field: "phase", value: String(trial.phase), expected: "1 to 4") }
        })
}

struct TrialsPlugin: ValleyPlugin {
    var namespace: String { "trials" }
    var summary: String { "Clinical trials and their sponsors." }
    var commands: [any ParsableCommand.Type] { [TrialsCommand.self] }
    var kinds: [any AnyRecordKind] { [Trial.kind] }

    struct TrialsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trials", abstract: "Clinical trials.", subcommands: [Add.self, List.self])
    }

    struct Add: ValleyCommand {
        static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "trials", abstract: "Add a trial.")
        @Argument var id: String
        @Option var title: String
        @Option var sponsor: String
        @Option var phase: Int
        @Option var source: [String] = []
        mutating func run(in context: inout CommandContext) throws {
            try context.model.insert(Trial(id: id, title: title, sponsor: sponsor, phase: phase, sources: source))
        }
    }

    struct List: ValleyCommand {
        static let configuration = CommandConfiguration(commandName: "list", _superCommandName: "trials", abstract: "List trials.")
        @Option(name: .customLong("where")) var filter: String?
        mutating func run(in context: inout CommandContext) throws {
            let condition = try Trial.fields.whereFilter(filter)
            var table = Table(columns: ["id", "sponsor", "phase"])
            for trial in context.model[Trial.self] where condition?.matches(trial) ?? true {
                table.append([.text(trial.id), .text(trial.sponsor), .integer(trial.phase)])
            }
            context.emit(table)
        }
    }
}

final class FifthPluginTests: XCTestCase {
    let plugins = builtinPlugins + [TrialsPlugin()]

    func testAFifthPluginsKindGoesThroughAddFilterUndoSaveOpen() throws {
        let harness = SessionHarness(model: defaultModel(plugins: plugins), plugins: plugins)
        let file = harness.path("w.json")
        harness.run([
            "trials add t1 --title 'CAR-T in myeloma' --sponsor iaso-bio --phase 2 --source seed-efec-2025",
            "trials add t2 --title 'Second' --sponsor iaso-bio --phase 3 --source seed-efec-2025",
            "trials add t3 --title 'Ghost' --sponsor no-such-company --phase 1 --source seed-efec-2025",
            "trials add t4 --title 'Bad phase' --sponsor iaso-bio --phase 9 --source seed-efec-2025",
            "set format csv",
            "trials list --where 'phase >= 3'",
            "undo",
            "registry remove iaso-bio",
            "save \(file)",
        ])
        XCTAssertEqual(harness.errorLines.count, 3, harness.stderr)
        XCTAssertTrue(harness.errorLines[0].contains("trial 't3': sponsor 'no-such-company' names no enterprise"), harness.errorLines[0])
        XCTAssertTrue(harness.errorLines[1].contains("invalid phase '9': expected 1 to 4"), harness.errorLines[1])
        XCTAssertTrue(harness.errorLines[2].contains("trial t1 (sponsor)"), harness.errorLines[2])
        XCTAssertTrue(harness.stdout.contains("id,sponsor,phase\r\nt2,iaso-bio,3\r\n"), harness.stdout)
        let model = harness.session.model
        XCTAssertEqual(model[Trial.self].map(\.id), ["t1"], "undo removed t2")
        XCTAssertTrue(model.entityCounts.contains { $0.entity == "trials" && $0.count == 1 })
        XCTAssertNotNil(model.enterprises[id: "iaso-bio"], "a referenced enterprise is not removed")

        // Open in a session with the plugin: the trial comes back through the kind's validation.
        let reopened = SessionHarness(model: emptyModel(plugins: plugins), plugins: plugins)
        reopened.run(["open \(file)", "registry remove iaso-bio --cascade", "undo"])
        XCTAssertEqual(reopened.stderr, "")
        XCTAssertEqual(reopened.session.model, model)
        XCTAssertTrue(reopened.stdout.contains("removed trial t1 (its sponsor was iaso-bio)"), reopened.stdout)

        // Open without the plugin: the trials are kept, said so, and written back unchanged.
        let without = SessionHarness(model: emptyModel(), plugins: builtinPlugins)
        let resaved = without.path("again.json")
        without.run(["open \(file)", "save \(resaved)"])
        XCTAssertTrue(without.stderr.contains("kept 1 record of 'trials'"), without.stderr)
        let again = try Workspace.load(from: resaved, kinds: recordKinds(plugins: plugins))
        XCTAssertEqual(again.model, model)
    }

    func testCoreNamesNoPluginType() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let core = root.appendingPathComponent("Sources/ValleyCore")
        let pluginTypes = builtinPlugins.flatMap(\.kinds).compactMap { kind -> String? in kind.owner == "core" ? nil : kind.recordTypeName }
        XCTAssertEqual(pluginTypes.count, builtinPlugins.flatMap(\.kinds).count, "every plugin kind is owned by its plugin")
        let enumerator = FileManager.default.enumerator(atPath: core.path)!
        while let file = enumerator.nextObject() as? String {
            guard file.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: core.appendingPathComponent(file), encoding: .utf8)
            for name in pluginTypes {
                XCTAssertNil(text.range(of: "\\b\(name)\\b", options: .regularExpression), "\(file) names the plugin type \(name)")
            }
        }
    }
}
