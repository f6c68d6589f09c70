import Foundation
import XCTest
@testable import ValleyCore

/// Valley's reader of the IANA database against Foundation's `TimeZone` (ICU's copy of the
/// same database), and its refusals.
final class ZoneRulesTests: XCTestCase {
    /// Zones with daylight time both sides of the equator, half- and quarter-hour offsets, a
    /// negative daylight saving (Dublin), and the zones of the built-in sites.
    static let zones = [
        "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Europe/London", "America/New_York",
        "Australia/Sydney", "Pacific/Auckland", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu",
        "Pacific/Chatham", "Europe/Dublin", "America/Santiago", "Australia/Lord_Howe", "Europe/Berlin",
        "America/Los_Angeles", "Asia/Tokyo", "UTC", "Etc/GMT+8",
    ]

    func testOffsetsAgreeWithFoundationFrom1970To2100() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Asia/Shanghai"), "no time zone database")
        var compared = 0
        for identifier in Self.zones {
            let rules = try ZoneRules.named(identifier, in: "/usr/share/zoneinfo").get()
            let foundation = try XCTUnwrap(TimeZone(identifier: identifier), identifier)
            // Every 5 days and 7 hours (so that every hour of the day and every weekday come up),
            // through the transitions listed in the file and the years its footer rule covers.
            var instant = 0
            while instant < 4_102_444_800 {  // 2100-01-01
                let expected = foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
                XCTAssertEqual(rules.offset(at: instant), expected, "\(identifier) at \(instant)")
                if rules.offset(at: instant) != expected { break }
                instant += 5 * 86_400 + 7 * 3600
                compared += 1
            }
            // Each side of every change Foundation knows of after 2030 (footer rules).
            var date = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01
            while let next = foundation.nextDaylightSavingTimeTransition(after: date), next.timeIntervalSince1970 < 4_102_444_800 {
                let at = Int(next.timeIntervalSince1970)
                for probe in [at - 1, at] {
                    XCTAssertEqual(rules.offset(at: probe), foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(probe))),
                                   "\(identifier) at \(probe)")
                }
                date = next
            }
        }
        XCTAssertGreaterThan(compared, 100_000)
    }

    func testFooterRules() throws {
        let newYork = try PosixRule("EST5EDT,M3.2.0,M11.1.0")
        // 2031-03-09 02:00 EST = 07:00 UTC; 2031-11-02 02:00 EDT = 06:00 UTC.
        let start = DateTimeText.days(year: 2031, month: 3, day: 9) * 86_400 + 7 * 3600
        let end = DateTimeText.days(year: 2031, month: 11, day: 2) * 86_400 + 6 * 3600
        XCTAssertEqual(newYork.offset(at: start - 1), -5 * 3600)
        XCTAssertEqual(newYork.offset(at: start), -4 * 3600)
        XCTAssertEqual(newYork.offset(at: end - 1), -4 * 3600)
        XCTAssertEqual(newYork.offset(at: end), -5 * 3600)
        XCTAssertEqual(try PosixRule("<+0545>-5:45").offset(at: 0), 5 * 3600 + 45 * 60)
        // Southern hemisphere: daylight time across the new year.
        let sydney = try PosixRule("AEST-10AEDT,M10.1.0,M4.1.0/3")
        XCTAssertEqual(sydney.offset(at: DateTimeText.days(year: 2040, month: 1, day: 15) * 86_400), 11 * 3600)
        XCTAssertEqual(sydney.offset(at: DateTimeText.days(year: 2040, month: 7, day: 15) * 86_400), 10 * 3600)
        // Daylight time all year (RFC 8536 3.3.1).
        let always = try PosixRule("EST5EDT,0/0,J365/25")
        for month in 1...12 {
            XCTAssertEqual(always.offset(at: DateTimeText.days(year: 2050, month: month, day: 28) * 86_400), -4 * 3600)
        }
        for bad in ["", "E5", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "EST5EDT,M3.2.0,M11.1.0x", "<+08"] {
            XCTAssertThrowsError(try PosixRule(bad), bad)
        }
    }

    /// `GMT+8`, `UTC-05:30`: the fixed offsets Foundation's `TimeZone` took, with its signs.
    func testFixedOffsetsAsFoundationReadThem() throws {
        for identifier in ["GMT+8", "GMT-3", "UTC+05:30", "GMT+0800", "UTC-1130", "GMT+14", "UTC+0"] {
            let rules = try ZoneRules.named(identifier, in: "/nonexistent").get()
            let foundation = try XCTUnwrap(TimeZone(identifier: identifier), identifier)
            XCTAssertEqual(rules.offset(at: 1_700_000_000), foundation.secondsFromGMT(for: Date(timeIntervalSince1970: 1_700_000_000)), identifier)
        }
        for bad in ["GMT+", "GMT+123", "UTC+19", "GMT+08:60", "GMT*8", "XYZ+8"] {
            XCTAssertNil(ZoneRules.fixedOffset(bad), bad)
        }
    }

    /// A file with no transitions takes every offset from its footer (RFC 8536 3.2).
    func testAFileWithoutTransitionsFollowsItsFooter() throws {
        func header(version: UInt8, types: UInt8, characters: UInt8) -> [UInt8] {
            Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, types, 0, 0, 0, characters]
        }
        // One type (EST, -5 h), then the v2 block again, then the footer.
        let type: [UInt8] = [0xFF, 0xFF, 0xB9, 0xB0, 0, 0] + Array("EST\0".utf8)
        let file = header(version: UInt8(ascii: "2"), types: 1, characters: 4) + type + header(version: UInt8(ascii: "2"), types: 1, characters: 4) + type
            + Array("\nEST5EDT,M3.2.0,M11.1.0\n".utf8)
        let zone = try ZoneRules(identifier: "Test/Footer", tzif: file)
        let july = DateTimeText.days(year: 2040, month: 7, day: 1) * 86_400
        XCTAssertEqual(zone.offset(at: july), -4 * 3600)
        XCTAssertEqual(zone.offset(at: july + 180 * 86_400), -5 * 3600)
    }

    func testRefusals() throws {
        let directory = NSTemporaryDirectory() + "valley-zones-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/Area", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/Area/Bad", contents: Data("not a zone".utf8)))
        var truncated = Array("TZif2".utf8) + [UInt8](repeating: 0, count: 15)
        truncated += [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 4]  // 9 transitions, none present
        XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/Area/Short", contents: Data(truncated)))
        XCTAssertEqual(ZoneRules.named("Area/Bad", in: directory), .failure(.malformed("not a TZif file")))
        XCTAssertEqual(ZoneRules.named("Area/Short", in: directory), .failure(.malformed("truncated")))
        XCTAssertEqual(ZoneRules.named("Area/Missing", in: directory), .failure(.unknown))
        XCTAssertEqual(ZoneRules.named("Area", in: directory), .failure(.unknown))  // a directory
        for outside in ["../etc/passwd", "/etc/passwd", "Area/../Area/Bad", "Area//Bad", "", "Area/.", "-x"] {
            XCTAssertEqual(ZoneRules.named(outside, in: directory), .failure(.unknown), outside)
        }
        XCTAssertEqual(ZoneRules.named("Asia/Shanghai", in: directory + "/none"), .failure(.noDatabase(directory: directory + "/none")))
        // Leap-second zones count seconds POSIX time does not.
        if FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/right/Asia/Shanghai") {
            guard case .failure(.malformed) = ZoneRules.named("right/Asia/Shanghai", in: "/usr/share/zoneinfo") else { return XCTFail("right/ accepted") }
        }
    }
}
