import Foundation
import XCTest
import ValleyCore
import ValleyTestSupport
@testable import ValleyShell

/// Every reproduction of issue 12 ("values the commands accept, then trap on", "inputs that
/// crash or hang") as a session: each gives one error line or a correct answer, and a refused
/// command leaves the model as it was.
final class NeverLoseWorkTests: XCTestCase {
    /// Runs `lines`; returns the harness and whether the model was unchanged by the refused ones.
    func run(_ lines: [String]) -> SessionHarness {
        let harness = SessionHarness()
        harness.run(lines)
        return harness
    }

    func testHugeCountsAreRefusedWhereTheyEnter() {
        let harness = SessionHarness()
        let before = harness.session.model
        harness.run([
            "talent cohort add a --population Nanjing --year 2020 --count 4611686018427387904 --definition d --scope s --source seed-chinaorg-2025",
            "talent cohort add b --population Nanjing --year 2020 --count 4611686018427387904 --definition d --scope s --source seed-chinaorg-2025 --level master",
            "registry update iaso-bio --headcount 9223372036854775807",
        ])
        XCTAssertEqual(harness.errorLines, [
            "test.valley:1: error: invalid count '4611686018427387904': expected a whole number from 0 to 1000000000",
            "test.valley:2: error: invalid count '4611686018427387904': expected a whole number from 0 to 1000000000",
            "test.valley:3: error: invalid headcount '9223372036854775807': expected a whole number from 0 to 10000000",
        ])
        XCTAssertEqual(harness.session.model, before)

        // The largest values that are accepted, summed: answers, not traps.
        let largest = run([
            "talent cohort add a --population Nanjing --year 2020 --count 1000000000 --definition d --scope s --source seed-chinaorg-2025",
            "talent cohort add b --population Nanjing --year 2020 --count 1000000000 --definition d --scope s --source seed-chinaorg-2025 --level master",
            "talent summary --year 2020 --format csv",
            "registry update iaso-bio --headcount 10000000",
            "registry update geneseeq --headcount 10000000",
            "talent supply-demand --format csv",
        ])
        XCTAssertEqual(largest.errors, [])
        XCTAssertTrue(largest.stdout.contains("total,2000000000,100.0"), largest.stdout)
    }

    func testALegLongerThanNinetyDaysIsRefused() {
        let harness = SessionHarness()
        let before = harness.session.model
        harness.run(["logistics leg add big --from hk-hospital --to nkg --kind courier --duration 999999999d"])
        XCTAssertEqual(harness.errorLines.count, 1)
        XCTAssertTrue(harness.stderr.contains("error:"), harness.stderr)
        XCTAssertEqual(harness.session.model, before)
    }

    func testAFilterOfThirtyThousandTermsRuns() {
        let chain = Array(repeating: "founded >= 1900", count: 30_000).joined(separator: " and ")
        let harness = run(["registry count --where '\(chain)' --by sector --format csv"])
        XCTAssertEqual(harness.errors, [])
        XCTAssertTrue(harness.stdout.contains("cell-therapy"), harness.stdout)
    }

    func testANaNTemperatureIsABadTemperatureNotInRange() throws {
        let harness = SessionHarness()
        let log = harness.path("log.csv")
        try "time,place,party,kind,temperature,identity\n2025-03-03T08:00+08:00,ward,nurse,pickup,nan,W1\n2025-03-03T09:00+08:00,van,courier,hand-over,inf,W1\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        harness.run(["logistics audit \(log) --cargo apheresis-fresh --format csv"])
        XCTAssertTrue(harness.stdout.contains("2,bad temperature,'nan' is not a number of °C"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("3,bad temperature,'inf' is not a number of °C"), harness.stdout)
    }
}
