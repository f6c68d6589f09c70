import Foundation
import XCTest
import ValleyCore
import ValleyTestSupport
import ValleyShell
@testable import LogisticsChecks

final class LogisticsTests: XCTestCase {
    let source = Source(id: "s", title: "t", publisher: "p", reliability: .primary)

    func model(legs: [Leg], zones: [String: String] = [:], window: Int = 30) -> ClusterModel {
        var model = ClusterModel()
        try! model.insert(contentsOf: [source] as [Source])
        let siteIDs = Set(legs.flatMap { [$0.from, $0.to] })
        try! model.insert(contentsOf: siteIDs.sorted().map { Site(id: $0, name: $0, city: "c", timeZone: zones[$0] ?? "Asia/Shanghai") })
        try! model.insert(contentsOf: legs)
        try! model.insert(contentsOf: [Route(id: "r", name: "route", legs: legs.map(\.id))] as [Route])
        try! model.insert(contentsOf: [CargoProfile(id: "p", name: "profile", state: .fresh, minimumCelsius: 2, maximumCelsius: 8,
                                            maximumDuration: .hours(72), contractWindow: .hours(window), shipperHold: .hours(100),
                                            holdMargin: .hours(2), xRayForbidden: true, sources: ["s"])] as [CargoProfile])
        return model
    }

    func leg(_ id: String, _ from: String, _ to: String, _ duration: TransitDuration, _ schedule: String? = nil) -> Leg {
        Leg(id: id, from: from, to: to, kind: .road, duration: duration, assumption: "test", schedule: schedule.flatMap(WeeklySchedule.parse))
    }

    func testArrivalExactlyAtTheLimitPasses() {
        let harness = SessionHarness(model: model(legs: [leg("a", "x", "y", .hours(20)), leg("b", "y", "z", .hours(10))]))
        harness.run(["set format csv", "logistics check r --cargo p --depart 2025-03-03T08:00+08:00"])
        XCTAssertEqual(harness.stderr, "")
        XCTAssertTrue(harness.stdout.contains("checks,,,,,,,,,contract window,30h,30h,0m,pass"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("verdict,,,,,,,,,,,,,PASS,a,"), harness.stdout)
    }

    /// Issue 15: a departure without an offset is local time at the route's origin.
    func testDepartureWithoutOffsetIsLocalAtTheOrigin() {
        let legs = [leg("a", "x", "y", .hours(20)), leg("b", "y", "z", .hours(10))]
        let local = SessionHarness(model: model(legs: legs, zones: ["x": "America/New_York"]))
        local.run(["set format csv", "logistics check r --cargo p --depart 2025-07-01T08:00"])
        let explicit = SessionHarness(model: model(legs: legs, zones: ["x": "America/New_York"]))
        explicit.run(["set format csv", "logistics check r --cargo p --depart 2025-07-01T08:00-04:00"])
        XCTAssertEqual(local.stderr, "")
        XCTAssertEqual(local.stdout, explicit.stdout)
        XCTAssertTrue(local.stdout.contains("2025-07-01 Tue 08:00 -04:00"), local.stdout)
        let wrong = SessionHarness(model: model(legs: legs))
        wrong.run(["logistics check r --cargo p --depart 2025-07-01"])
        XCTAssertTrue(wrong.stderr.contains("invalid --depart '2025-07-01'"), wrong.stderr)
    }

    /// A local time the clocks skip lands after the gap; one they repeat is the first, on
    /// either side of Greenwich.
    func testLocalTimesAcrossDaylightSavingChanges() throws {
        let newYork = try LocalClock.zone("America/New_York"), london = try LocalClock.zone("Europe/London")
        XCTAssertEqual(try LocalClock.parse("2025-03-09T02:30", in: newYork), try LocalClock.parse("2025-03-09T03:30-04:00"))
        XCTAssertEqual(try LocalClock.parse("2025-03-30T01:30", in: london), try LocalClock.parse("2025-03-30T02:30+01:00"))
        XCTAssertEqual(try LocalClock.parse("2025-11-02T01:30", in: newYork), try LocalClock.parse("2025-11-02T01:30-04:00"))
        XCTAssertEqual(try LocalClock.parse("2025-10-26T01:30", in: london), try LocalClock.parse("2025-10-26T01:30+01:00"))
        XCTAssertEqual(try LocalClock.parse("2025-07-01T12:00", in: newYork), try LocalClock.parse("2025-07-01T12:00-04:00"))
    }

    /// Issue 15: `whatif --set LEG.duration=+8h` changes a leg relative to the model.
    func testWhatIfRelativeDuration() {
        let harness = SessionHarness(model: model(legs: [leg("a", "x", "y", .hours(20)), leg("b", "y", "z", .hours(10))], window: 40))
        harness.run(["set format csv", "logistics whatif r --cargo p --set a.duration=+8h --set b.duration=-90m", "logistics whatif r --cargo p --set b.duration=-11h"])
        XCTAssertTrue(harness.stdout.contains("a,20h,0m,20h,28h,0m,28h"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("b,10h,0m,30h,8h30m,0m,36h30m"), harness.stdout)
        XCTAssertEqual(harness.errorLines.count, 1)
        XCTAssertTrue(harness.errorLines[0].contains("leaves the duration (10h) at 0 or more"), harness.stderr)
    }

    /// Issue 15: audit logs with local times (`--tz`) and temperatures written with a unit.
    func testAuditLocalTimesAndTemperatureUnits() throws {
        let harness = SessionHarness(model: model(legs: [leg("a", "x", "y", .hours(2))]))
        let log = harness.path("log.csv")
        try "time,place,party,kind,temperature,identity\n2025-03-07T08:00,HK,courier,pickup,4.8°C,S1\n2025-03-07T10:00,HK,courier,handover,12 ℃,S1\n2025-03-07T11:00+08:00,NKG,lab,receipt,5C,S1\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        harness.run(["set format csv", "logistics audit \(log) --cargo p --tz Asia/Hong_Kong", "logistics audit \(log) --cargo p"])
        XCTAssertEqual(harness.stdout.components(separatedBy: "temperature excursion,12 °C outside 2…8 °C").count - 1, 2, harness.stdout)
        XCTAssertFalse(harness.stdout.contains("bad temperature"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("bad time,\"invalid date-time '2025-03-07T08:00'"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("give --tz ZONE"), harness.stdout)
        XCTAssertEqual(LogisticsAudit.celsius("4.8°C"), 4.8)
        XCTAssertEqual(LogisticsAudit.celsius("-20 ℃"), -20)
        XCTAssertNil(LogisticsAudit.celsius("nan"))
        XCTAssertNil(LogisticsAudit.celsius("warm"))
    }

    /// Found by the database fuzzer (Tests/Fuzz/corpus/database/regression-schedule-opening-at-week-end):
    /// an opening that starts at minute 10080 crashed the validation message that described it.
    func testScheduleOutsideTheWeekIsRefusedWithItsMinutes() {
        var model = model(legs: [leg("a", "x", "y", .hours(2))])
        let before = model
        let bad = Leg(id: "b", from: "x", to: "y", kind: .road, duration: .hours(1), assumption: "test",
                      schedule: .opening([10080...10080]))
        XCTAssertThrowsError(try model.insert(bad)) { error in
            XCTAssertTrue(error.localizedDescription.contains("opening minutes 10080-10080"), error.localizedDescription)
        }
        let late = Leg(id: "c", from: "x", to: "y", kind: .road, duration: .hours(1), assumption: "test", schedule: .timetable([10080]))
        XCTAssertThrowsError(try model.insert(late)) { error in
            XCTAssertTrue(error.localizedDescription.contains("departure minute 10080"), error.localizedDescription)
        }
        XCTAssertEqual(model, before)
    }

    func testOfficeClosedAtArrivalWaitsForTheNextOpening() throws {
        // Ready Monday 21:00 local; the office opens daily 08:00–20:00, so the 4h leg starts Tuesday 08:00.
        let office = leg("customs", "x", "y", .hours(4), "daily 08:00-20:00")
        let ready = try LocalClock.parse("2025-03-03T21:00+08:00")
        let start = try ShipmentPlan.earliestStart(office, ready: ready, offset: 8 * 3600)
        XCTAssertEqual(start - ready, 11 * 3600)
        // Ready 17:00: the leg would end at 21:00, after closing, so it too waits for 08:00.
        let late = try LocalClock.parse("2025-03-03T17:00+08:00")
        XCTAssertEqual(try ShipmentPlan.earliestStart(office, ready: late, offset: 8 * 3600) - late, 15 * 3600)
        // A leg longer than any opening never fits.
        XCTAssertThrowsError(try ShipmentPlan.earliestStart(leg("long", "x", "y", .hours(13), "daily 08:00-20:00"), ready: ready, offset: 8 * 3600))
    }

    func testDepartureAcrossMidnightAndAcrossTimeZones() throws {
        let night = leg("night", "x", "y", .hours(1), "daily 00:30")
        let ready = try LocalClock.parse("2025-03-03T23:50+08:00")
        XCTAssertEqual(try ShipmentPlan.earliestStart(night, ready: ready, offset: 8 * 3600) - ready, 40 * 60)
        // Sunday 23:50 → Monday 00:30: the week wraps.
        let sunday = try LocalClock.parse("2025-03-09T23:50+08:00")
        XCTAssertEqual(try ShipmentPlan.earliestStart(night, ready: sunday, offset: 8 * 3600) - sunday, 40 * 60)
        // London in July is UTC+1: a 21:00 local departure is 20:00Z, i.e. 04:00 the next day in Nanjing.
        var london = model(legs: [leg("flight", "lhr", "nkg", .hours(12), "daily 21:00")], zones: ["lhr": "Europe/London"])
        try london.update(CargoProfile.self, id: "p") { $0.contractWindow = .hours(48) }
        let harness = SessionHarness(model: london)
        harness.run(["set format csv", "logistics check r --cargo p --depart 2025-07-01T18:00+01:00"])
        XCTAssertTrue(harness.stdout.contains("1,flight,road,3h,2025-07-01 Tue 21:00 +01:00,2025-07-02 Wed 16:00 +08:00,12h,15h"), harness.stdout)
        XCTAssertEqual(try LocalClock.parse("2025-07-01T21:00+01:00"), try LocalClock.parse("2025-07-01T20:00Z"))
    }

    func testEmptyRouteAndBadInput() {
        var empty = model(legs: [leg("a", "x", "y", .hours(1))])
        // The store refuses a route without legs, whichever way it comes in.
        XCTAssertThrowsError(try empty.insert(Route(id: "r2", name: "empty", legs: []))) { error in
            XCTAssertTrue(ValleyError.describe(error).contains("at least one leg"), "\(error)")
        }
        XCTAssertNil(empty.routes[id: "r2"])
        let harness = SessionHarness(model: empty)
        harness.run([
            "logistics leg add q --from x --to y --kind road --duration 3x --assumption t",
            "logistics check r --cargo p --depart 2025-03-03T25:00",
            "logistics site add z --name Z --city Z --time-zone Mars/Olympus",
            "logistics leg add big --from x --to y --kind road --duration 41666667d --assumption t",
        ])
        XCTAssertEqual(harness.errorLines.count, 4, harness.stderr)
        XCTAssertTrue(harness.errorLines[0].contains("invalid --duration '3x': expected a duration like 30h, 2d6h or 90m"))
        XCTAssertTrue(harness.errorLines[1].contains("invalid --depart '2025-03-03T25:00'"), harness.errorLines[1])
        XCTAssertTrue(harness.errorLines[2].contains("invalid time zone 'Mars/Olympus'"))
        XCTAssertTrue(harness.errorLines[3].contains("expected a duration from 0 to 90d"), harness.errorLines[3])
        XCTAssertNil(harness.session.model.legs[id: "big"])
    }

    func testAuditFindingsCarryLineNumbers() throws {
        let harness = SessionHarness(model: model(legs: [leg("a", "x", "y", .hours(1))], window: 10))
        let log = harness.path("log.csv")
        try """
            time,place,party,kind,temperature,identity
            2025-03-03T08:00+08:00,ward,nurse,pickup,5,ID-1
            ,van,courier,hand-over,5,ID-1
            2025-03-03T09:00+08:00,airport,,x-ray,4,ID-1
            2025-03-03T19:00+08:00,lab,qa,hand-over,1.5,ID-2

            """.write(toFile: log, atomically: true, encoding: .utf8)
        harness.run(["set format csv", "logistics audit \(log) --cargo p"])
        XCTAssertEqual(harness.errors, [])
        let out = harness.stdout
        XCTAssertTrue(out.contains("3,custody gap,hand-over with no time"), out)
        XCTAssertTrue(out.contains("4,X-ray (forbidden),at airport"), out)
        XCTAssertTrue(out.contains("5,temperature excursion,1.5 °C outside 2…8 °C"), out)
        XCTAssertTrue(out.contains("5,identity change,'ID-2' differs from 'ID-1' (line 2)"), out)
        XCTAssertTrue(out.contains("5,time-limit breach,contract window 10h exceeded: 11h since the first event"), out)
        XCTAssertTrue(harness.messages.contains("4 events over 11h; 5 findings"), harness.stderr)
    }

    /// Dijkstra's earliest arrival equals a brute-force search over every simple path.
    func testEarliestMatchesBruteForceOnRandomNetworks() throws {
        var random = SeededGenerator(state: 20_251_123)
        for trial in 0..<40 {
            let sites = (0..<5).map { "s\($0)" }
            var legs: [Leg] = []
            for index in 0..<10 {
                let from = sites.randomElement(using: &random)!
                let to = sites.filter { $0 != from }.randomElement(using: &random)!
                let hours = Int.random(in: 1...8, using: &random)
                let schedules: [String?] = [nil, "daily 06:00,18:00", "Mon-Fri 09:00", "daily 08:00-20:00", "Sat-Sun 12:00"]
                legs.append(leg("l\(index)", from, to, .hours(hours), schedules.randomElement(using: &random)!))
            }
            var network = model(legs: legs)
            for site in sites where network.sites[id: site] == nil {
                try network.insert(Site(id: site, name: site, city: "c", timeZone: "Asia/Shanghai"))
            }
            let depart = try LocalClock.parse("2025-03-0\(1 + trial % 7)T\(10 + trial % 12):15+08:00")
            let found = try TransitNetwork(model: network, at: depart).earliest(from: "s0", to: "s4", depart: depart)

            var best: Int?
            func explore(_ site: String, _ time: Int, _ visited: Set<String>) throws {
                if site == "s4" { best = min(best ?? time, time); return }
                for leg in legs where leg.from == site && !visited.contains(leg.to) {
                    let start = try ShipmentPlan.earliestStart(leg, ready: time, offset: 8 * 3600)
                    try explore(leg.to, start + leg.duration.seconds, visited.union([leg.to]))
                }
            }
            try explore("s0", depart, ["s0"])
            XCTAssertEqual(found?.last?.end, best, "trial \(trial)")
            if let found { XCTAssertEqual(found.first?.leg.from, "s0"); XCTAssertEqual(found.last?.leg.to, "s4") }
        }
    }

    func testWhatIfAndSweep() {
        let harness = SessionHarness()
        harness.run([
            "logistics whatif hk-sample-to-nanjing --cargo apheresis-fresh --depart 2025-03-01T16:00+08:00 --set hk-pickup.duration=2h",
            "logistics sweep hk-sample-to-nanjing --cargo apheresis-fresh --week-of 2025-03-05 --format csv",
            "logistics whatif hk-sample-to-nanjing --cargo apheresis-fresh --set nope.duration=2h",
        ])
        XCTAssertTrue(harness.stdout.contains("original: total 50h30m, verdict: FAIL"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("changed:  total 22h, verdict: PASS"), harness.stdout)
        let sweepRows = harness.stdout.split(separator: "\r\n").filter { $0.hasPrefix("Mon,") || $0.hasPrefix("Sun,") }
        XCTAssertEqual(sweepRows.count, 48)
        XCTAssertTrue(harness.stdout.contains("Sat,2025-03-08 Sat 16:00 +08:00,fail,"), "Saturday evening misses Sunday's missing flights")
        XCTAssertEqual(harness.errorLines.count, 1)
    }
}
