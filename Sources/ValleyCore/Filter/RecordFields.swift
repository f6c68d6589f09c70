/// The value of one field of one record, as the filter language and listings see it.
public enum FieldValue: Sendable, Equatable {
    /// Free text.
    case text(String)
    /// A number.
    case number(Double)
    /// A date of some precision.
    case date(CalendarDate)
    /// Several values (sectors, aliases, designations).
    case list([String])
    /// No value recorded.
    case missing

    /// The value as a table cell.
    public var cell: Cell {
        switch self {
        case let .text(text): return .text(text)
        case let .number(number): return number.rounded() == number && abs(number) < 1e15 ? .integer(Int(number)) : .number(number, digits: 2)
        case let .date(date): return .text(date.description)
        case let .list(items): return .list(items)
        case .missing: return .empty
        }
    }
}

/// The fields a plugin declares once for its records; `--where`, `--sort`, `--fields`,
/// `count --by`, completion and help all read this declaration.
public struct RecordFields<Record>: Sendable {
    /// One field: its name, kind, a line of help, and how to read it from a record.
    public struct Field: Sendable {
        /// The kinds of value a field holds (they decide how literals are read).
        public enum Kind: String, Sendable { case text, number, date, list }

        /// The field's name in expressions, e.g. `founded`.
        public let name: String
        /// Its kind.
        public let kind: Kind
        /// One line of help.
        public let summary: String
        /// Reads the field of the record at an address, valid for the call.
        ///
        /// Scans hand records by address (`RecordTable.forEachRecordAddress`): handing a
        /// record by value to a closure copies it (a retain and a release of each string and
        /// list it holds: half of a million-row `count --by`), where a reader declared with
        /// `read:` loads only the field it reads.
        public let read: @Sendable (UnsafePointer<Record>) -> FieldValue
        /// For a text field a record may hold as ASCII bytes rather than a `String` (a packed
        /// credit code, an English name in a chunk): calls the function with those bytes and
        /// returns its answer, or nil when the record holds the value otherwise (then `read`
        /// gives it). Filters test text this way without making a string per record.
        public let readASCII: (@Sendable (UnsafePointer<Record>, (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool?)?

        /// Declares a field read from a record's value (the record is copied for the call).
        public init(_ name: String, _ kind: Kind, _ summary: String, value: @escaping @Sendable (Record) -> FieldValue) {
            self.init(name, kind, summary, read: { value($0.pointee) })
        }

        /// Declares a field read in place from the record's address (`$0.pointee.founded`
        /// loads the one field). Disfavoured so that a closure that ignores its record
        /// (`{ _ in .missing }`) still picks the `value:` form.
        @_disfavoredOverload
        public init(_ name: String, _ kind: Kind, _ summary: String, read: @escaping @Sendable (UnsafePointer<Record>) -> FieldValue,
                    readASCII: (@Sendable (UnsafePointer<Record>, (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool?)? = nil) {
            self.name = name
            self.kind = kind
            self.summary = summary
            self.read = read
            self.readASCII = readASCII
        }

        /// Reads the field of a record.
        /// - Complexity: what the declaration's reader costs.
        public func value(_ record: Record) -> FieldValue {
            withUnsafePointer(to: record) { read($0) }
        }
    }

    /// The fields, in display order.
    public let fields: [Field]
    /// What `has NAME` tests: the names a record "has" (e.g. its designations).
    public let has: @Sendable (Record) -> [String]
    private let index: [String: Int]

    /// Declares the fields of a record type.
    public init(_ fields: [Field], has: @escaping @Sendable (Record) -> [String] = { _ in [] }) {
        self.fields = fields
        self.has = has
        self.index = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The field with this name.
    public func field(named name: String) -> Field? { index[name.lowercased()].map { fields[$0] } }

    /// Every field name, in order.
    public var names: [String] { fields.map { $0.name } }

    /// The field with this name, or an error listing the valid ones.
    public func require(_ name: String, option: String) throws -> Field {
        guard let field = field(named: name) else {
            throw ValleyError.invalidValue(field: option, value: name, expected: "one of \(names.joined(separator: ", "))")
        }
        return field
    }

    /// Parses a `--where` expression against these fields.
    public func filter(_ text: String) throws -> RecordFilter<Record> {
        var parser = FilterParser(text: text, fields: self)
        return RecordFilter(expression: try parser.parse(), fields: self)
    }

    /// Parses an optional `--where` option; syntax errors name the option and the column.
    public func whereFilter(_ expression: String?) throws -> RecordFilter<Record>? {
        guard let expression else { return nil }
        do {
            return try filter(expression)
        } catch let ValleyError.syntax(message, column) {
            throw ValleyError.refused("--where, column \(column): \(message)")
        }
    }

    /// Orders records by a field (missing values last); `descending` reverses the order.
    public func sort(_ records: [Record], by field: Field, descending: Bool = false) -> [Record] {
        let keyed = records.map { (field.value($0), $0) }
        return keyed.sorted { lhs, rhs in
            switch (lhs.0, rhs.0) {
            case (.missing, .missing): return false
            case (.missing, _): return false
            case (_, .missing): return true
            default:
                let order = FieldValue.compare(lhs.0, rhs.0)
                return descending ? order > 0 : order < 0
            }
        }.map(\.1)
    }
}

// MARK: - Ordering

extension FieldValue {
    /// -1, 0 or 1 ordering two values of the same field (text case-insensitively).
    static func compare(_ lhs: FieldValue, _ rhs: FieldValue) -> Int {
        switch (lhs, rhs) {
        case let (.number(a), .number(b)): return a < b ? -1 : (a > b ? 1 : 0)
        case let (.date(a), .date(b)): return a < b ? -1 : (a > b ? 1 : 0)
        default:
            let a = lhs.cell.text.lowercased(), b = rhs.cell.text.lowercased()
            return a < b ? -1 : (a > b ? 1 : 0)
        }
    }
}
