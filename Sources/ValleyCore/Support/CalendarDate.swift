/// A calendar date known to the year, the month or the day ("2011", "2020-08", "2024-01-12").
///
/// Sources often give only a year or a month; the precision is kept rather than invented.
///
/// Stored in four bytes (0 meaning "unknown" for month and day): a registry holds millions.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    private var storedYear: Int16
    private var storedMonth: UInt8
    private var storedDay: UInt8

    /// The year, e.g. 2024.
    public var year: Int { Int(storedYear) }
    /// The month 1–12, when known.
    public var month: Int? { storedMonth == 0 ? nil : Int(storedMonth) }
    /// The day of the month, when known (only together with a month).
    public var day: Int? { storedDay == 0 ? nil : Int(storedDay) }

    /// Creates a date of the given precision (years outside ±32767 are clamped).
    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.storedYear = Int16(clamping: year)
        self.storedMonth = UInt8(clamping: month ?? 0)
        self.storedDay = month == nil ? 0 : UInt8(clamping: day ?? 0)
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; returns nil for anything else.
    public init?(_ text: String) {
        // Over the bytes for the `YYYY`, `YYYY-MM`, `YYYY-MM-DD` forms, the parts in locals:
        // arrays of them were two allocations per date (a million-row import parses two
        // million dates).
        var parts = 0  // parts ended by a '-'
        var year = 0, month = 0, digits = 0, current = 0
        for byte in text.utf8 {
            if byte >= 0x30, byte <= 0x39 {
                current = current * 10 + Int(byte - 0x30)
                digits += 1
                if digits > 4 { return nil }  // also keeps the year within Int16
            } else if byte == 0x2D, digits > 0, parts < 2 {
                // The year has four digits, the month two.
                guard digits == (parts == 0 ? 4 : 2) else { return nil }
                if parts == 0 { year = current } else { month = current }
                parts += 1
                current = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits == (parts == 0 ? 4 : 2) else { return nil }
        var day: Int?
        switch parts {
        case 0: year = current
        case 1: month = current
        default: day = current
        }
        let knownMonth: Int? = parts > 0 ? month : nil
        if let knownMonth, !(1...12).contains(knownMonth) { return nil }
        if let day, day < 1 || day > CalendarDate.daysIn(month: month, year: year) { return nil }
        self.init(year: year, month: knownMonth, day: day)
    }

    /// The ISO form at the date's own precision.
    ///
    /// A date of years 0–9999 is at most ten bytes, a `String` stored inline: made here in one
    /// step with no allocation (a million-row save formats two million dates; building it from
    /// pieces was a fifth of the save).
    public var description: String {
        guard hasShortDescription else { return paddedDescription }
        return String(unsafeUninitializedCapacity: 10) { writeShortDescription(into: $0) }
    }

    /// True for a year 0–9999: `description` is then at most ten bytes (`writeShortDescription`).
    private var hasShortDescription: Bool {
        (0...9999).contains(year) && (0..<100).contains(month ?? 0) && (0..<100).contains(day ?? 0)
    }

    /// Writes `description` into `buffer` (ten bytes) when `hasShortDescription`, returning its length.
    private func writeShortDescription(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        func digits(_ value: Int, _ width: Int) {
            var divisor = width == 4 ? 1000 : 10
            while divisor > 0 {
                buffer[count] = 0x30 + UInt8(value / divisor % 10)
                count += 1
                divisor /= 10
            }
        }
        digits(year, 4)
        if let month {
            buffer[count] = UInt8(ascii: "-")
            count += 1
            digits(month, 2)
            if let day {
                buffer[count] = UInt8(ascii: "-")
                count += 1
                digits(day, 2)
            }
        }
        return count
    }

    /// `description` for any year, built from its parts.
    private var paddedDescription: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = padded(year, 4)
        if let month { text += "-" + padded(month, 2) }
        if let day { text += "-" + padded(day, 2) }
        return text
    }

    /// Appends `description` as UTF-8, without making a `String` (exports write millions).
    /// - Complexity: O(1)
    public func appendDescription(to bytes: inout [UInt8]) {
        guard hasShortDescription else { return bytes.append(contentsOf: paddedDescription.utf8) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buffer in
            bytes.append(contentsOf: buffer[..<writeShortDescription(into: buffer)])
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.storedYear, lhs.storedMonth, lhs.storedDay) < (rhs.storedYear, rhs.storedMonth, rhs.storedDay)
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

// MARK: - Codable as its ISO string

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '\(text)'")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
