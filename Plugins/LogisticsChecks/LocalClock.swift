import ValleyCore

/// Instants (seconds since 1970 UTC) read and shown in a site's local time. Time zones come
/// from the system's IANA database (`ZoneRules`); the rest is integer arithmetic.
enum LocalClock {
    static let expected = "an IANA time zone such as Asia/Hong_Kong or Europe/London"

    /// The zone with this IANA id, or an error saying what was expected.
    static func zone(_ identifier: String) throws -> ZoneRules {
        try zone(identifier, ZoneRules.named(identifier))
    }

    /// Checks a site's zone as records come in: known to the database, or, on a machine with
    /// no database at all, well formed (the built-in sites still load there; what needs their
    /// clocks then says why it cannot run).
    static func validate(_ identifier: String) throws {
        let found = ZoneRules.named(identifier)
        if case .failure(.noDatabase) = found, ZoneRules.isWellFormed(identifier) { return }
        _ = try zone(identifier, found)
    }

    private static func zone(_ identifier: String, _ found: Result<ZoneRules, ZoneRules.Failure>) throws -> ZoneRules {
        switch found {
        case let .success(zone):
            return zone
        case .failure(.unknown):
            throw ValleyError.invalidValue(field: "time zone", value: identifier, expected: expected)
        case let .failure(.malformed(reason)):
            throw ValleyError.invalidValue(field: "time zone", value: identifier,
                                           expected: "\(expected) (\(ZoneRules.databaseDirectory)/\(identifier) is not a time zone file: \(reason))")
        case let .failure(.noDatabase(directory)):
            throw ValleyError.refused("time zone \(identifier) is read from the IANA time zone database, and there is none at \(directory): install Debian's tzdata, or set TZDIR")
        }
    }

    /// Minute of the week (Monday 00:00 = 0) and the seconds past that minute, in local time.
    static func minuteOfWeek(_ instant: Int, offset: Int) -> (minute: Int, seconds: Int) {
        let local = instant + offset
        let minutes = Int((Double(local) / 60).rounded(.down))
        let seconds = local - minutes * 60
        // 1970-01-01 was a Thursday: three days after a Monday.
        let minute = ((minutes + 3 * 1440) % WeeklySchedule.week + WeeklySchedule.week) % WeeklySchedule.week
        return (minute, seconds)
    }

    /// `2025-03-01 Sat 18:30 +08:00`.
    static func format(_ instant: Int, zone: ZoneRules) -> String {
        let offset = zone.offset(at: instant)
        let local = instant + offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let seconds = local - days * 86_400
        let (year, month, day) = civilDate(days)
        let weekday = WeeklySchedule.dayNames[((days + 3) % 7 + 7) % 7]
        let sign = offset < 0 ? "-" : "+"
        return "\(year)-\(two(month))-\(two(day)) \(weekday) \(two(seconds / 3600)):\(two(seconds % 3600 / 60)) \(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
    }

    static func parse(_ text: String) throws -> Int { try DateTimeText.parse(text) }

    /// Parses a date-time; one written without an offset (`2025-03-07T15:30`) is local time
    /// in `zone` (a route's origin, an audit's `--tz`). A time the clocks skip (a spring-forward
    /// gap: 02:30 in New York on 2025-03-09) is read with the offset before the change, so it
    /// lands after the gap (03:30 EDT); a time that occurs twice (autumn) is the first one.
    static func parse(_ text: String, in zone: ZoneRules?) throws -> Int {
        guard let zone, !hasOffset(text) else { return try parse(text) }
        let naive = try DateTimeText.parse(text + "Z")
        // The offsets a day before and after: the two sides of any change near this time.
        let candidates = Set([zone.offset(at: naive - 86_400), zone.offset(at: naive + 86_400), zone.offset(at: naive)])
        let valid = candidates.filter { zone.offset(at: naive - $0) == $0 }
        if let largest = valid.max() { return naive - largest }  // the earliest instant with this local time
        return naive - (candidates.min() ?? 0)
    }

    /// True when the text after the date gives an offset (`Z`, `+08:00`, `-05:00`).
    static func hasOffset(_ text: String) -> Bool {
        let clock = text.dropFirst(11)
        return clock.contains("Z") || clock.contains("+") || clock.contains("-")
    }

    static func days(year: Int, month: Int, day: Int) -> Int { DateTimeText.days(year: year, month: month, day: day) }

    static func civilDate(_ days: Int) -> (Int, Int, Int) { DateTimeText.civilDate(days) }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
