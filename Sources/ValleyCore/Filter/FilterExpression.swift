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
    /// Every term holds. A chain `a and b and c` is one node with three terms, so the tree's
    /// depth counts only parentheses and `not` (limited by the parser), never the chain's length.
    case and([FilterExpression])
    /// Some term holds (n-ary, like `and`).
    case or([FilterExpression])
    case not(FilterExpression)
}

/// A filter bound to the fields of a record type.
public struct RecordFilter<Record>: Sendable {
    /// The parsed expression.
    public let expression: FilterExpression
    let fields: RecordFields<Record>
    /// The expression compiled once into closures: fields looked up and literals lowercased
    /// here rather than for every record (a 1M-row `count --where` spent a tenth of its time
    /// finding fields by name).
    private let test: @Sendable (Record) -> Bool

    init(expression: FilterExpression, fields: RecordFields<Record>) {
        self.expression = expression
        self.fields = fields
        self.test = Self.compile(expression, fields)
    }

    /// True when the record satisfies the expression.
    public func matches(_ record: Record) -> Bool { test(record) }

    private static func compile(_ expression: FilterExpression, _ fields: RecordFields<Record>) -> @Sendable (Record) -> Bool {
        switch expression {
        case let .and(terms):
            let tests = terms.map { compile($0, fields) }
            if tests.count == 2 { let first = tests[0], second = tests[1]; return { first($0) && second($0) } }
            return { record in tests.allSatisfy { $0(record) } }
        case let .or(terms):
            let tests = terms.map { compile($0, fields) }
            if tests.count == 2 { let first = tests[0], second = tests[1]; return { first($0) || second($0) } }
            return { record in tests.contains { $0(record) } }
        case let .not(inner):
            let test = compile(inner, fields)
            return { !test($0) }
        case let .has(name):
            let wanted = name.lowercased()
            let has = fields.has
            return { has($0).contains { $0.lowercased() == wanted } }
        case let .membership(name, literals):
            guard let field = fields.field(named: name) else { return { _ in false } }
            let value = field.value
            let targets = literals.map { ($0, TextSearch(lowered: Self.loweredText(of: $0))) }
            return { record in
                let found = value(record)
                return targets.contains { Self.compare(found, .equal, $0.0, search: $0.1) }
            }
        case let .comparison(name, op, literal):
            guard let field = fields.field(named: name) else { return { _ in false } }
            let value = field.value
            let search = TextSearch(lowered: Self.loweredText(of: literal))
            return { Self.compare(value($0), op, literal, search: search) }
        }
    }

    /// A literal as text fields compare it: lowercased, numbers without needless decimals.
    static func loweredText(of literal: FilterExpression.Literal) -> String {
        switch literal {
        case let .text(text): return text.lowercased()
        case let .number(number): return Cell.format(number, digits: number.rounded() == number ? 0 : 2).lowercased()
        case let .date(date): return date.description.lowercased()
        }
    }

    static func compare(_ value: FieldValue, _ op: FilterExpression.Operator, _ literal: FilterExpression.Literal) -> Bool {
        compare(value, op, literal, search: TextSearch(lowered: loweredText(of: literal)))
    }

    static func compare(_ value: FieldValue, _ op: FilterExpression.Operator, _ literal: FilterExpression.Literal,
                        search: TextSearch) -> Bool {
        switch value {
        case .missing:
            return op == .notEqual
        case let .list(items):
            if op == .notEqual { return !items.contains { compare(.text($0), .equal, literal, search: search) } }
            return items.contains { compare(.text($0), op, literal, search: search) }
        case let .text(text):
            // Containment and equality on bytes, without a lowercased copy of every row's text.
            switch op {
            case .contains: return search.isContained(in: text)
            case .equal: return search.isEqual(to: text)
            case .notEqual: return !search.isEqual(to: text)
            default: break
            }
            let a = text.lowercased(), b = search.lowered
            switch op {
            case .contains, .equal, .notEqual: return false
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
