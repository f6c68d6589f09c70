/// One value in an output row; numbers keep their type so renderers can align and type them.
public enum Cell: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// Free text.
    case text(String)
    /// A whole number.
    case integer(Int)
    /// A decimal number, shown with the given number of fraction digits.
    case number(Double, digits: Int)
    /// A yes/no value.
    case boolean(Bool)
    /// Several values (sectors, aliases): a JSON array, `a; b` in text.
    case list([String])
    /// A length of time: JSON `{"minutes": 690, "text": "11h30m"}`, the text elsewhere.
    case duration(minutes: Int, text: String)
    /// A figure that may be a bound: a floor (`≥ 60000`, the source says "over"), a ceiling
    /// (`≤ 5`) or exact. JSON `{"value": 60000, "floor": true}` (a ceiling adds `"ceiling": true`).
    case bound(Double, digits: Int, limit: Limit)
    /// No value.
    case empty

    /// Whether a figure is exact or a bound.
    public enum Limit: Sendable, Hashable {
        /// The figure itself.
        case exact
        /// At least the figure.
        case floor
        /// At most the figure.
        case ceiling
    }

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }

    /// Text for an optional value: `.empty` when nil.
    public static func optional(_ value: (some CustomStringConvertible)?) -> Cell {
        value.map { .text($0.description) } ?? .empty
    }

    /// True for numeric cells, which tables right-align.
    public var isNumeric: Bool {
        switch self {
        case .integer, .number, .bound: return true
        default: return false
        }
    }

    /// The cell as plain text.
    public var text: String {
        switch self {
        case let .text(text): return text
        case let .integer(value): return String(value)
        case let .number(value, digits): return Cell.format(value, digits: digits)
        case let .boolean(value): return value ? "yes" : "no"
        case let .list(items): return items.joined(separator: "; ")
        case let .duration(_, text): return text
        case let .bound(value, digits, limit): return (limit == .floor ? "≥ " : limit == .ceiling ? "≤ " : "") + Cell.format(value, digits: digits)
        case .empty: return ""
        }
    }

    /// A number with exactly `digits` fraction digits, rounded half away from zero.
    public static func format(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return String(value) }
        let digits = min(max(digits, 0), 15)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        // Past 2^53 a Double holds no fraction digits and may not fit an Int: print it as Swift
        // does (`1e+300`). The fuzzer found `headcount != 1e300` trapping here.
        guard abs(value * scale) < 9_007_199_254_740_992 else { return String(value) }
        let rounded = (value * scale).rounded() / scale
        if digits == 0 { return String(Int(rounded)) }
        let negative = rounded < 0
        let units = Int((abs(rounded) * scale).rounded())
        let whole = units / Int(scale)
        let fraction = String(units % Int(scale))
        let padded = String(repeating: "0", count: digits - fraction.count) + fraction
        return (negative ? "-" : "") + "\(whole).\(padded)"
    }
}
