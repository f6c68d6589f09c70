/// A parsed `--where` expression of the shared filter language:
/// `field op value` (`= != < <= > >= ~`), `field in (a, b)`, `field is [not] missing`, `has NAME`,
/// `and`, `or`, `not`, parentheses.
///
/// Missing values follow SQL's three-valued logic: a comparison with a missing value (or an
/// empty list) is *unknown*, neither true nor false; `not unknown` is unknown; `and` is false
/// when a term is false, `or` true when a term is true, and otherwise unknown when a term is;
/// a record is selected only when the whole expression is true. So `ticker != 2096.HK`
/// selects companies that have a ticker other than 2096.HK, never those without one; ask for
/// those with `ticker is missing`. `has NAME` and `is missing` are never unknown.
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
    /// The field has no value (a missing value or an empty list): `field is missing`.
    case missing(field: String)
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
    private let test: @Sendable (UnsafePointer<Record>) -> Bool

    init(expression: FilterExpression, fields: RecordFields<Record>) {
        self.expression = expression
        self.fields = fields
        self.test = Self.compile(expression, fields)
    }

    /// The names `has NAME` terms ask for, in order of appearance.
    public var hasNames: [String] {
        var names: [String] = []
        var pending = [expression]
        while let next = pending.popLast() {
            switch next {
            case let .has(name): names.append(name)
            case let .and(terms), let .or(terms): pending += terms.reversed()
            case let .not(inner): pending.append(inner)
            default: break
            }
        }
        return names
    }

    /// True when the record satisfies the expression (the expression is true, not unknown).
    public func matches(_ record: Record) -> Bool { withUnsafePointer(to: record) { test($0) } }

    /// True when the record at this address (valid for the call) satisfies the expression.
    /// A scan that hands records by address (`RecordTable.forEachRecordAddress`) tests them
    /// without copying them: only the fields the expression names are read.
    /// - Complexity: O(size of the expression), besides reading the fields it names.
    public func matches(at record: UnsafePointer<Record>) -> Bool { test(record) }

    /// Compiles `expression` into a test of "the expression is true" (or, `negated`, "is
    /// false"). Three-valued logic costs nothing per record this way: `not` is pushed down to
    /// the comparisons, and a comparison with a missing value is neither true nor false, so
    /// both of its tests fail. (`and`/`or` without `not` give the same selection in two- and
    /// three-valued logic; only negation tells unknown from false.)
    private static func compile(_ expression: FilterExpression, _ fields: RecordFields<Record>,
                                negated: Bool = false) -> @Sendable (UnsafePointer<Record>) -> Bool {
        switch expression {
        case let .and(terms), let .or(terms):
            // true(a and b) = true(a) ∧ true(b); false(a and b) = false(a) ∨ false(b); dually for or.
            var isAll = false
            if case .and = expression { isAll = !negated } else { isAll = negated }
            let tests = terms.map { compile($0, fields, negated: negated) }
            if tests.count == 2 {
                let first = tests[0], second = tests[1]
                if isAll { return { first($0) && second($0) } }
                return { first($0) || second($0) }
            }
            if isAll { return { record in tests.allSatisfy { $0(record) } } }
            return { record in tests.contains { $0(record) } }
        case let .not(inner):
            return compile(inner, fields, negated: !negated)
        case let .has(name):
            let wanted = name.lowercased()
            let has = fields.has
            return { has($0.pointee).contains { $0.lowercased() == wanted } != negated }
        case let .missing(name):
            guard let field = fields.field(named: name) else { return { _ in false } }
            let value = field.read
            return { Self.isMissing(value($0)) != negated }
        case let .membership(name, literals):
            guard let field = fields.field(named: name) else { return { _ in false } }
            let value = field.read
            let targets = literals.map { ($0, TextSearch(lowered: Self.loweredText(of: $0))) }
            return { record in
                let found = value(record)
                if Self.isMissing(found) { return false }
                return targets.contains { Self.compare(found, .equal, $0.0, search: $0.1) } != negated
            }
        case let .comparison(name, op, literal):
            guard let field = fields.field(named: name) else { return { _ in false } }
            let value = field.read
            let search = TextSearch(lowered: Self.loweredText(of: literal))
            let general: @Sendable (UnsafePointer<Record>) -> Bool = { record in
                let found = value(record)
                if Self.isMissing(found) { return false }
                return Self.compare(found, op, literal, search: search) != negated
            }
            guard let ascii = field.readASCII, op == .contains || op == .equal || op == .notEqual else { return general }
            // Text held as ASCII bytes is tested where it is; the rest as `read` gives it.
            let test: @Sendable (UnsafeBufferPointer<UInt8>) -> Bool
            switch op {
            case .contains: test = { search.isContained(inASCII: $0) }
            case .equal: test = { search.isEqual(toASCII: $0) }
            default: test = { !search.isEqual(toASCII: $0) }
            }
            return { record in ascii(record, test).map { $0 != negated } ?? general(record) }
        }
    }

    /// No value: missing, or an empty list.
    static func isMissing(_ value: FieldValue) -> Bool {
        switch value {
        case .missing: return true
        case let .list(items): return items.isEmpty
        default: return false
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
            return false
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
