/// The rule of a POSIX TZ string, as TZif files end with (RFC 8536 3.3): `CST-8`,
/// `<+08>-8`, `EST5EDT,M3.2.0,M11.1.0`, `GMT0BST,M3.5.0/1,M10.5.0`. It gives the offset of
/// instants after a zone's last listed transition.
struct PosixRule: Sendable, Equatable {
    /// A yearly change: a day of the year and a local time on it.
    struct Change: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Jn`: day 1...365, February 29 never counted.
            case julian(Int)
            /// `n`: day 0...365, February 29 counted.
            case zeroBased(Int)
            /// `Mm.w.d`: weekday `d` (0 Sunday) of week `w` (5: the last) of month `m`.
            case monthWeek(month: Int, week: Int, weekday: Int)
        }

        let day: Day
        /// Seconds after local midnight (RFC 8536 allows -167...167 hours).
        let time: Int

        /// The instant of the change in year `year`, given the offset in effect before it.
        func instant(year: Int, offsetBefore: Int) -> Int {
            localDay(year: year) * 86_400 + time - offsetBefore
        }

        /// Days since 1970-01-01 of the change's day in `year`.
        func localDay(year: Int) -> Int {
            let january1 = DateTimeText.days(year: year, month: 1, day: 1)
            switch day {
            case let .julian(n):
                let isLeap = CalendarDate.daysIn(month: 2, year: year) == 29
                return january1 + n - 1 + (isLeap && n >= 60 ? 1 : 0)
            case let .zeroBased(n):
                return january1 + n
            case let .monthWeek(month, week, weekday):
                let first = DateTimeText.days(year: year, month: month, day: 1)
                let firstWeekday = ((first + 4) % 7 + 7) % 7  // 1970-01-01 was a Thursday
                var day = first + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
                while day >= first + CalendarDate.daysIn(month: month, year: year) { day -= 7 }
                return day
            }
        }
    }

    /// Daylight time: its offset and when it starts and ends each year.
    struct Daylight: Sendable, Equatable {
        let offset: Int
        let start: Change
        let end: Change
    }

    /// Standard time's offset, seconds east of UTC.
    let standard: Int
    /// Nil when the zone keeps standard time all year.
    let daylight: Daylight?

    /// The offset (seconds east of UTC) at `instant`.
    /// - Complexity: O(1).
    func offset(at instant: Int) -> Int {
        guard let daylight else { return standard }
        let days = Int((Double(instant + standard) / 86_400).rounded(.down))
        let year = DateTimeText.civilDate(days).0
        let start = daylight.start.instant(year: year, offsetBefore: standard)
        let end = daylight.end.instant(year: year, offsetBefore: daylight.offset)
        if start < end { return start <= instant && instant < end ? daylight.offset : standard }
        // Southern hemisphere: daylight time spans the new year.
        return end <= instant && instant < start ? standard : daylight.offset
    }
}

extension PosixRule {
    /// Parses a TZ string.
    /// - Throws: `ZoneRules.Failure.malformed`.
    init(_ text: String) throws(ZoneRules.Failure) {
        var scanner = Scanner(bytes: Array(text.utf8))
        try scanner.name()
        let standard = -(try scanner.duration(maximumHours: 24))
        if scanner.isAtEnd {
            self.init(standard: standard, daylight: nil)
            return
        }
        try scanner.name()
        var daylightOffset = standard + 3600
        if let next = scanner.peek, next != UInt8(ascii: ",") { daylightOffset = -(try scanner.duration(maximumHours: 24)) }
        let start: Change, end: Change
        if scanner.isAtEnd {
            // No rule given: POSIX leaves it to the implementation; tzcode uses the US rule.
            start = Change(day: .monthWeek(month: 3, week: 2, weekday: 0), time: 7200)
            end = Change(day: .monthWeek(month: 11, week: 1, weekday: 0), time: 7200)
        } else {
            try scanner.expect(",")
            start = try scanner.change()
            try scanner.expect(",")
            end = try scanner.change()
        }
        guard scanner.isAtEnd else { throw .malformed("TZ string '\(text)'") }
        self.init(standard: standard, daylight: Daylight(offset: daylightOffset, start: start, end: end))
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position == bytes.count }
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func expect(_ character: Unicode.Scalar) throws(ZoneRules.Failure) {
            guard peek == UInt8(ascii: character) else { throw .malformed("TZ string: expected '\(character)'") }
            position += 1
        }

        /// `EST` (three or more letters) or `<+0330>`.
        mutating func name() throws(ZoneRules.Failure) {
            if peek == UInt8(ascii: "<") {
                while let byte = peek, byte != UInt8(ascii: ">") { position += 1 }
                try expect(">")
                return
            }
            let start = position
            while let byte = peek, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) { position += 1 }
            guard position - start >= 3 else { throw .malformed("TZ string: bad zone abbreviation") }
        }

        mutating func number(maximum: Int) throws(ZoneRules.Failure) -> Int {
            var value = 0, digits = 0
            while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                position += 1
                guard value <= maximum else { throw .malformed("TZ string: number out of range") }
            }
            guard digits > 0 else { throw .malformed("TZ string: expected a number") }
            return value
        }

        /// `[+-]hh[:mm[:ss]]` in seconds.
        mutating func duration(maximumHours: Int) throws(ZoneRules.Failure) -> Int {
            var sign = 1
            if peek == UInt8(ascii: "-") { sign = -1; position += 1 } else if peek == UInt8(ascii: "+") { position += 1 }
            var seconds = try number(maximum: maximumHours) * 3600
            if peek == UInt8(ascii: ":") {
                position += 1
                seconds += try number(maximum: 59) * 60
                if peek == UInt8(ascii: ":") {
                    position += 1
                    seconds += try number(maximum: 59)
                }
            }
            return sign * seconds
        }

        /// `Jn`, `n` or `Mm.w.d`, then an optional `/time`.
        mutating func change() throws(ZoneRules.Failure) -> Change {
            let day: Change.Day
            if peek == UInt8(ascii: "J") {
                position += 1
                let n = try number(maximum: 365)
                guard n >= 1 else { throw .malformed("TZ string: J0") }
                day = .julian(n)
            } else if peek == UInt8(ascii: "M") {
                position += 1
                let month = try number(maximum: 12)
                try expect(".")
                let week = try number(maximum: 5)
                try expect(".")
                let weekday = try number(maximum: 6)
                guard month >= 1, week >= 1 else { throw .malformed("TZ string: bad month or week") }
                day = .monthWeek(month: month, week: week, weekday: weekday)
            } else {
                day = .zeroBased(try number(maximum: 365))
            }
            var time = 7200
            if peek == UInt8(ascii: "/") {
                position += 1
                time = try duration(maximumHours: 167)
            }
            return Change(day: day, time: time)
        }
    }
}
