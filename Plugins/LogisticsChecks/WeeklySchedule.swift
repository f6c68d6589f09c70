import ValleyCore

/// Times in a week, in a site's local time: departure times of a timetabled leg, or the
/// opening hours of an office. Minutes of the week count from Monday 00:00 (0 … 10079).
public struct WeeklySchedule: Codable, Hashable, Sendable {
    /// Departure times (for a timetable) as minutes of the week, sorted.
    public var departures: [Int]
    /// Opening spans (for office hours) as minute-of-week ranges, sorted; a span may not wrap past Sunday midnight.
    public var openings: [ClosedRange<Int>]

    /// Minutes in a week.
    public static let week = 7 * 24 * 60
    /// Short weekday names, Monday first.
    public static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// A timetable of departures.
    public static func timetable(_ departures: [Int]) -> WeeklySchedule {
        WeeklySchedule(departures: departures.sorted(), openings: [])
    }

    /// Opening hours.
    public static func opening(_ spans: [ClosedRange<Int>]) -> WeeklySchedule {
        WeeklySchedule(departures: [], openings: spans.sorted { $0.lowerBound < $1.lowerBound })
    }

    /// Parses `Mon-Sat 10:00,18:30` (departures) or `daily 08:00-20:00` (opening hours);
    /// several parts are separated by `;`.
    public static func parse(_ text: String) -> WeeklySchedule? {
        var departures: [Int] = []
        var openings: [ClosedRange<Int>] = []
        for part in text.split(separator: ";") {
            let words = part.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, let days = parseDays(String(words[0])) else { return nil }
            for item in words[1].split(separator: ",") {
                let bounds = item.split(separator: "-")
                if bounds.count == 1, let minute = parseClock(String(bounds[0])) {
                    departures += days.map { $0 * 1440 + minute }
                } else if bounds.count == 2, let open = parseClock(String(bounds[0])), let close = parseClock(String(bounds[1])), open < close {
                    openings += days.map { $0 * 1440 + open ... $0 * 1440 + close }
                } else {
                    return nil
                }
            }
        }
        if !departures.isEmpty, !openings.isEmpty { return nil }
        if departures.isEmpty, openings.isEmpty { return nil }
        return departures.isEmpty ? .opening(openings) : .timetable(departures)
    }

    static func parseDays(_ text: String) -> [Int]? {
        if text.lowercased() == "daily" { return Array(0..<7) }
        var days: [Int] = []
        for item in text.split(separator: ",") {
            let ends = item.split(separator: "-").map { name in dayNames.firstIndex { $0.lowercased() == name.lowercased() } }
            guard (1...2).contains(ends.count), let first = ends.first ?? nil, let last = ends.last ?? nil, first <= last else { return nil }
            days += Array(first...last)
        }
        return days.isEmpty ? nil : days
    }

    static func parseClock(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440 else { return nil }
        return hour * 60 + minute
    }

    /// A readable form in the syntax `parse` reads: `Mon-Sat 10:00,18:30` or `daily 08:00-20:00`.
    public var summary: String {
        func clock(_ minuteOfWeek: Int) -> String {
            let minute = minuteOfWeek % 1440 == 0 && minuteOfWeek > 0 && !openings.isEmpty ? 1440 : minuteOfWeek % 1440
            let hh = minute / 60, mm = minute % 60
            return (hh < 10 ? "0" : "") + "\(hh):" + (mm < 10 ? "0" : "") + "\(mm)"
        }
        var perDay = Array(repeating: [String](), count: 7)
        for departure in departures { perDay[departure / 1440].append(clock(departure)) }
        for span in openings { perDay[span.lowerBound / 1440].append(clock(span.lowerBound) + "-" + clock(span.upperBound)) }
        var parts: [String] = []
        var day = 0
        while day < 7 {
            guard !perDay[day].isEmpty else { day += 1; continue }
            var end = day
            while end + 1 < 7, perDay[end + 1] == perDay[day] { end += 1 }
            let days = day == 0 && end == 6 ? "daily" : (day == end ? Self.dayNames[day] : "\(Self.dayNames[day])-\(Self.dayNames[end])")
            parts.append("\(days) \(perDay[day].joined(separator: ","))")
            day = end + 1
        }
        return parts.joined(separator: "; ")
    }
}
