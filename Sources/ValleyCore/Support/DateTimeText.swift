/// ISO 8601 date-times with an offset, as instants (seconds since 1970 UTC), and the civil
/// calendar arithmetic behind them.
public enum DateTimeText {
    /// Parses `2025-03-01T18:30+08:00`, `2025-03-01T18:30:00Z` and the like: a date-time with an offset.
    public static func parse(_ text: String) throws -> Int {
        let expected = "an ISO date-time with an offset, e.g. 2025-03-01T18:30+08:00 or 2025-03-01T10:30Z"
        let characters = Array(text)
        guard characters.count >= 16, characters[10] == "T" || characters[10] == " ",
              let date = CalendarDate(String(characters[0..<10])), let month = date.month, let day = date.day else {
            throw ValleyError.invalidValue(field: "date-time", value: text, expected: expected)
        }
        var rest = String(characters[11...])
        var offset = 0
        if rest.hasSuffix("Z") {
            rest.removeLast()
        } else if let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: signIndex)...].split(separator: ":")
            guard zone.count == 2, let hours = Int(zone[0]), let minutes = Int(zone[1]), zone[0].count == 2, zone[1].count == 2, hours <= 14, minutes < 60 else {
                throw ValleyError.invalidValue(field: "date-time", value: text, expected: expected)
            }
            offset = (hours * 3600 + minutes * 60) * (rest[signIndex] == "-" ? -1 : 1)
            rest = String(rest[..<signIndex])
        } else {
            throw ValleyError.invalidValue(field: "date-time", value: text, expected: expected + " (the offset is missing)")
        }
        let clock = rest.split(separator: ":")
        guard (2...3).contains(clock.count), clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]), let minute = Int(clock[1]),
              hour < 24, minute < 60, clock.count == 2 || Int(clock[2]).map({ $0 < 60 }) == true else {
            throw ValleyError.invalidValue(field: "date-time", value: text, expected: expected)
        }
        let second = clock.count == 3 ? Int(clock[2])! : 0
        return days(year: date.year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days since 1970-01-01 of a civil date (proleptic Gregorian).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of a day count since 1970-01-01.
    public static func civilDate(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

}
