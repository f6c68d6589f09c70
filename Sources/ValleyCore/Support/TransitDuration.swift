/// A length of time written like `30h`, `2d6h`, `90m` or `45s`, kept as whole seconds.
public struct TransitDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The length in seconds.
    public var seconds: Int

    /// Creates a duration of the given number of seconds.
    public init(seconds: Int) { self.seconds = seconds }

    /// Creates a duration of the given number of hours.
    public static func hours(_ hours: Int) -> TransitDuration { TransitDuration(seconds: hours * 3600) }

    /// Creates a duration of the given number of minutes.
    public static func minutes(_ minutes: Int) -> TransitDuration { TransitDuration(seconds: minutes * 60) }

    /// Parses `2d6h30m15s`-style text: one or more number-unit pairs, units d, h, m, s, each at most once and in that order.
    public init?(_ text: String) {
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var total = 0
        var number = 0
        var digits = 0
        var nextUnit = 0
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                guard digits < 9 else { return nil }
                number = number * 10 + digit
                digits += 1
            } else {
                guard digits > 0,
                      let index = units[nextUnit...].firstIndex(where: { $0.0 == character }) else { return nil }
                total += number * units[index].1
                number = 0
                digits = 0
                nextUnit = index + 1
            }
        }
        guard digits == 0, nextUnit > 0 else { return nil }
        self.seconds = total
    }

    /// The duration as a typed cell: JSON `{"minutes": 690, "text": "11h30m"}`.
    public var cell: Cell { .duration(minutes: seconds / 60, text: description) }

    /// Hours, minutes and seconds (`144h`, `2h30m`): logistics limits are stated in hours;
    /// `0m` for zero; a leading `-` when negative.
    public var description: String {
        if seconds == 0 { return "0m" }
        var rest = abs(seconds)
        var text = seconds < 0 ? "-" : ""
        for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// The length in hours, as a fraction.
    public var hours: Double { Double(seconds) / 3600 }

    public static func < (lhs: TransitDuration, rhs: TransitDuration) -> Bool { lhs.seconds < rhs.seconds }
    public static func + (lhs: TransitDuration, rhs: TransitDuration) -> TransitDuration {
        TransitDuration(seconds: lhs.seconds + rhs.seconds)
    }
    public static func - (lhs: TransitDuration, rhs: TransitDuration) -> TransitDuration {
        TransitDuration(seconds: lhs.seconds - rhs.seconds)
    }
}

// MARK: - Codable as its text form

extension TransitDuration: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let duration = TransitDuration(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a duration like 30h, 2d6h or 90m, got '\(text)'")
        }
        self = duration
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
