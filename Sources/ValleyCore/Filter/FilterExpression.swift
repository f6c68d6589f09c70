/// A parsed `--where` expression of the shared filter language:
/// `field op value` (`= != < <= > >= ~`), `field in (a, b)`, `has NAME`, `and`, `or`, `not`, parentheses.
public indirect enum FilterExpression: Sendable, Equatable {
    /// The comparison operators.
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", contains = "~"
    }

    /// A literal read for the kind of its field.
    public enum Literal: Sendable, Equatable {
        case text(String)
        case number(Double)
        case date(CalendarDate)
    }

    case comparison(field: String, Operator, Literal)
    case membership(field: String, [Literal])
    case has(String)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case not(FilterExpression)
}

/// A filter bound to the fields of a record type.
public struct RecordFilter<Record>: Sendable {
    /// The parsed expression.
    public let expression: FilterExpression
    let fields: RecordFields<Record>

    /// True when the record satisfies the expression.
    public func matches(_ record: Record) -> Bool { evaluate(expression, record) }

    private func evaluate(_ expression: FilterExpression, _ record: Record) -> Bool {
        switch expression {
        case let .and(lhs, rhs): return evaluate(lhs, record) && evaluate(rhs, record)
        case let .or(lhs, rhs): return evaluate(lhs, record) || evaluate(rhs, record)
        case let .not(inner): return !evaluate(inner, record)
        case let .has(name):
            let wanted = name.lowercased()
            return fields.has(record).contains { $0.lowercased() == wanted }
        case let .membership(name, literals):
            guard let field = fields.field(named: name) else { return false }
            let value = field.value(record)
            return literals.contains { Self.compare(value, .equal, $0) }
        case let .comparison(name, op, literal):
            guard let field = fields.field(named: name) else { return false }
            return Self.compare(field.value(record), op, literal)
        }
    }

    static func compare(_ value: FieldValue, _ op: FilterExpression.Operator, _ literal: FilterExpression.Literal) -> Bool {
        switch value {
        case .missing:
            return op == .notEqual
        case let .list(items):
            if op == .notEqual { return !items.contains { compare(.text($0), .equal, literal) } }
            return items.contains { compare(.text($0), op, literal) }
        case let .text(text):
            let target: String
            switch literal {
            case let .text(t): target = t
            case let .number(n): target = Cell.format(n, digits: n.rounded() == n ? 0 : 2)
            case let .date(d): target = d.description
            }
            let a = text.lowercased(), b = target.lowercased()
            switch op {
            case .contains: return a.contains(b)
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            }
        case let .number(number):
            guard case let .number(target) = literal else { return false }
            return ordered(number < target ? -1 : (number > target ? 1 : 0), op)
        case let .date(date):
            guard case let .date(target) = literal else { return false }
            // Compare at the literal's precision: `founded = 2015` matches any day of 2015.
            let truncated = CalendarDate(year: date.year, month: target.month == nil ? nil : date.month,
                                         day: target.day == nil ? nil : date.day)
            return ordered(truncated < target ? -1 : (truncated == target ? 0 : 1), op)
        }
    }

    private static func ordered(_ order: Int, _ op: FilterExpression.Operator) -> Bool {
        switch op {
        case .equal, .contains: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}
