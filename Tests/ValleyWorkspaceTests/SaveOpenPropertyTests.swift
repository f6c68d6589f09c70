import Foundation
import XCTest
import ValleyCore
import ValleyShell
import ValleyTestSupport
import ValleyWorkspace

/// Random sequences of valid commands over the built-in data, then save → open → save: the
/// models are equal, the files identical, and `open` never refuses what `save` wrote.
final class SaveOpenPropertyTests: XCTestCase {
    /// Seeded: the same sequences on every machine.
    struct Random {
        var generator: SeededGenerator
        init(state: UInt64) { generator = SeededGenerator(state: state) }
        mutating func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    static let source = "seed-efec-2025"
    static let texts = ["Plain", "Quote \\\"q\\\" mark", "细胞治疗", "tab\\tand\\nnewline", "emoji 🧬", "back\\\\slash", "O'Brien"]

    /// One valid command (or undo/redo) built from the model's own names.
    func command(_ random: inout Random, indicators: [String], sectors: [String], added: inout [String]) -> String {
        let text = random.pick(Self.texts)
        // Edits name a company that exists (one added earlier, or a built-in one) most of the time.
        let existing = added.isEmpty || random.chance(20) ? random.pick(["iaso-bio", "geneseeq", "simcere"]) : random.pick(added)
        switch random.below(11) {
        case 0, 1:
            let id = "p\(random.below(8))"
            added.append(id)
            var line = "registry add \(id) --name \"\(text) \(id)\" --sector \(random.pick(sectors)) --source \(Self.source)"
            if random.chance(50) { line += " --name-zh 江北\(random.below(100))" }
            if random.chance(50) { line += " --founded \(1990 + random.below(36))-0\(1 + random.below(9))" }
            if random.chance(50) { line += " --headcount \(random.pick([0, 1, 57, 10_000_000]))" }
            if random.chance(30) { line += " --designation 'little giant:national:2021'" }
            if random.chance(20) { line += " --listing HKEX:\(random.below(9000) + 1000).HK:2020-07-01" }
            if random.chance(30) { line += " --alias \"\(random.pick(Self.texts))\"" }
            if random.chance(20) { line += " --note \"\(text)\"" }
            if random.chance(20) { line += " --status \(random.pick(["active", "deregistered", "merged", "unknown"]))" }
            return line
        case 2: return "registry update \(existing) --headcount \(random.below(5_000))"
        case 3: return "registry update \(existing) --note \"\(text)\""
        case 4: return "registry remove \(random.pick(added + ["p9"])) --cascade"
        case 5: return "undo"
        case 6: return random.chance(50) ? "redo" : "undo"
        case 7:
            return "indicator observe \(random.pick(indicators)) --period \(2000 + random.below(30)) --value=\(random.pick(["0", "1.5", "-2", "123456789", "1e15", "0.1"])) --source \(Self.source)"
        case 8:
            let duration = random.pick(["30m", "2h30m", "1d", "90d"])
            return "logistics leg add l\(random.below(5)) --from hkg --to nkg --kind flight --duration \(duration)"
                + (random.chance(50) ? " --schedule 'Mon-Sat 10:00,18:30'" : "") + " --source \(Self.source)"
        case 9:
            return "policy add q\(random.below(5)) --title \"\(text)\" --issuer 'Jiangbei New Area' --level park --instrument plan --issued 2024-0\(1 + random.below(9))"
                + " --target-enterprise \(existing) --source \(Self.source)"
        default:
            return "registry sector add s\(random.below(4)) \"\(text)\"" + (random.chance(50) ? " --name-zh 合成生物" : "")
        }
    }

    func testRandomCommandSequencesSaveAndOpenToTheSameModelAndBytes() throws {
        let base = defaultModel()
        let indicators = base.indicators.map(\.id)
        let sectors = base.sectors.map(\.id)
        var random = Random(state: 2026)
        var succeeded = 0
        for sequence in 0..<25 {
            var added: [String] = []
            let commands = (0..<14).map { _ in command(&random, indicators: indicators, sectors: sectors, added: &added) }
            let harness = SessionHarness()
            let database = harness.path("w.valley"), json = harness.path("w.json")
            harness.run(commands + ["save \(database)", "save \(json)"])
            succeeded += commands.count - harness.errorLines.count
            if ProcessInfo.processInfo.environment["VALLEY_SHOW_ERRORS"] != nil { print(harness.stderr) }
            let saved = try Data(contentsOf: URL(fileURLWithPath: database))

            let reopened = SessionHarness(model: emptyModel())
            let again = reopened.path("again.valley"), fromJSON = reopened.path("from-json.valley")
            reopened.run(["open \(database)", "save \(again)", "open \(json)", "save \(fromJSON)"])
            let context = "sequence \(sequence):\n" + commands.joined(separator: "\n")
            XCTAssertEqual(reopened.stderr, "", "open refused what save wrote; " + context)
            XCTAssertEqual(reopened.session.model, harness.session.model, context)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again)), saved, "save → open → save changed the file; " + context)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fromJSON)), saved, "the JSON form lost something; " + context)
        }
        XCTAssertGreaterThan(succeeded, 25 * 14 / 2, "most generated commands are valid and change the model")
    }
}
