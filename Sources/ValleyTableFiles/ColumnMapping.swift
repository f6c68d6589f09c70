import ValleyCore

/// A field an import reads, with the header names that mean it.
public struct ImportField: Sendable {
    /// The field's name: the `--where`/`--fields` name (`name-zh`).
    public let name: String
    /// Other header names for it: English and Chinese names registry exports and statistics
    /// tables use (`企业名称`, `Company Name`). Matched ignoring case, spaces, `_`, `-` and a
    /// trailing unit in brackets (`注册资本(万元)`).
    public let aliases: [String]

    /// Declares a field.
    public init(_ name: String, aliases: [String] = []) {
        self.name = name
        self.aliases = aliases
    }
}

/// How the columns of a file map to fields: from the header, the fields' aliases and
/// `--map COLUMN=FIELD` / `--map COLUMN=-`.
public struct ColumnMapping: Sendable {
    /// For each field name, the column position it is read from.
    public let positions: [String: Int]
    /// The columns read: header name → field, in file order.
    public let mapped: [(column: String, field: String)]
    /// Columns dropped: unknown ones and those mapped to `-`.
    public let ignored: [String]
    /// The number of columns in the header.
    public let width: Int
    /// The header as read.
    public let header: [String]
    /// A unit a column's header gives in brackets (`注册资本(万元)` → `万元`), by field.
    public let headerUnits: [String: String]

    /// Maps `header` onto `fields`. A `--map` pair naming a column the header lacks, or a
    /// field that does not exist, is an error; an unknown column is ignored (listed in
    /// `ignored`), or an error when `strict`. Two columns for one field are an error.
    public init(header: [String], fields: [ImportField], maps: [String], strict: Bool, file: String, line: Int) throws {
        var explicit: [String: String?] = [:]
        let fieldNames = fields.map(\.name)
        var lookup: [String: String] = [:]
        for field in fields {
            lookup[Self.key(field.name)] = field.name
            for alias in field.aliases where lookup[Self.key(alias)] == nil { lookup[Self.key(alias)] = field.name }
        }
        for pair in maps {
            guard let equals = pair.lastIndex(of: "="), equals != pair.startIndex else {
                throw ValleyError.invalidValue(field: "--map", value: pair, expected: "COLUMN=FIELD or COLUMN=- (fields: \(fieldNames.joined(separator: ", ")))")
            }
            let column = String(pair[..<equals]).trimmingSpaces, target = String(pair[pair.index(after: equals)...]).trimmingSpaces
            guard header.contains(where: { $0.trimmingSpaces == column }) else {
                throw ValleyError.invalidValue(field: "--map", value: pair, expected: "a column of the header: \(header.joined(separator: ", "))")
            }
            if target == "-" { explicit[column] = .some(nil); continue }
            guard let field = lookup[Self.key(target)] else {
                throw ValleyError.invalidValue(field: "--map", value: pair, expected: "COLUMN=FIELD with FIELD one of \(fieldNames.joined(separator: ", ")), or COLUMN=-")
            }
            explicit[column] = .some(field)
        }
        var positions: [String: Int] = [:]
        var mapped: [(String, String)] = []
        var ignored: [String] = []
        for (position, rawName) in header.enumerated() {
            let name = rawName.trimmingSpaces
            let field: String?
            if let chosen = explicit[name] {
                field = chosen
            } else if let known = lookup[Self.key(name)] {
                field = known
            } else {
                if strict {
                    throw ValleyError.located(file: file, line: line, .invalidValue(
                        field: "column", value: name, expected: "one of \(fieldNames.joined(separator: ", ")); map it with --map '\(name)=FIELD' or drop it with --map '\(name)=-'"))
                }
                field = nil
            }
            guard let field else { ignored.append(name.isEmpty ? "(column \(position + 1))" : name); continue }
            if let earlier = positions[field] {
                throw ValleyError.located(file: file, line: line, .invalidValue(
                    field: "column", value: name, expected: "one column per field, but '\(header[earlier])' is already read as \(field); drop one with --map '\(name)=-'"))
            }
            positions[field] = position
            mapped.append((name, field))
        }
        self.positions = positions
        self.mapped = mapped
        self.ignored = ignored
        self.width = header.count
        self.header = header
        var units: [String: String] = [:]
        for (field, position) in positions {
            let name = header[position].trimmingSpaces
            for (open, close) in [("(", ")"), ("（", "）"), ("[", "]")] where name.hasSuffix(close) {
                if let start = name.lastIndex(of: Character(open)) {
                    units[field] = String(name[name.index(after: start)..<name.index(before: name.endIndex)]).trimmingSpaces
                }
            }
        }
        self.headerUnits = units
    }

    /// A header name reduced for matching: lower case, without spaces, `_`, `-`, a BOM, and a
    /// bracketed unit at the end (`注册资本(万元)`, `Capital (CNY)`).
    static func key(_ name: String) -> String {
        var text = name.lowercased()
        for (open, close) in [("(", ")"), ("（", "）"), ("[", "]")] where text.hasSuffix(close) {
            if let start = text.lastIndex(of: Character(open)), start != text.startIndex { text = String(text[..<start]) }
        }
        return String(text.filter { !$0.isWhitespace && $0 != "_" && $0 != "-" && $0 != "\u{FEFF}" })
    }

    /// The value of `field` in a record, nil when the column is absent or the cell is empty
    /// or a registry export's "no data" dash (`-`, `--`, `—`); spaces around are trimmed.
    public func value(_ field: String, in record: CSVReader.Record) -> String? {
        value(at: positions[field], in: record)
    }

    /// The value at a column position (from `positions`, looked up once per file rather than
    /// per row: an import's inner loop), with the rules of `value(_:in:)`.
    @inline(__always)
    public func value(at position: Int?, in record: CSVReader.Record) -> String? {
        guard let position, position < record.fields.count else { return nil }
        let field = record.fields[position]
        // Trimmed on the bytes where they are: the `Character` walk and `utf8.last` (generic,
        // through the view's index) were a tenth of the reading core's time in a 1M-row import.
        func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            let kept = Self.trimmedRange(bytes)
            return kept.count == bytes.count ? field : String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self)
        }
        let text = field.utf8.withContiguousStorageIfAvailable(trimmed) ?? Array(field.utf8).withUnsafeBufferPointer(trimmed)
        // Byte counts first: comparing non-ASCII text to "—" goes through Unicode normalisation.
        let count = text.utf8.count
        if count == 0 { return nil }
        if count <= 3, text == "-" || text == "--" || text == "—" { return nil }
        return text
    }

    /// The bytes of a cell without the spaces around it: spaces and tabs, and the no-break
    /// (C2 A0) and ideographic (E3 80 80) spaces spreadsheets also pad with.
    /// - Complexity: O(spaces trimmed)
    static func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0, end = bytes.count
        while start < end {
            let byte = bytes[start]
            if byte == 0x20 || byte == 0x09 {
                start += 1
            } else if byte == 0xC2, end - start >= 2, bytes[start + 1] == 0xA0 {
                start += 2
            } else if byte == 0xE3, end - start >= 3, bytes[start + 1] == 0x80, bytes[start + 2] == 0x80 {
                start += 3
            } else {
                break
            }
        }
        while end > start {
            let byte = bytes[end - 1]
            if byte == 0x20 || byte == 0x09 {
                end -= 1
            } else if byte == 0xA0, end - start >= 2, bytes[end - 2] == 0xC2 {
                end -= 2
            } else if byte == 0x80, end - start >= 3, bytes[end - 2] == 0x80, bytes[end - 3] == 0xE3 {
                end -= 3
            } else {
                break
            }
        }
        return start..<end
    }

    /// Lines describing the mapping, for a `--dry-run` plan.
    public var planLines: [String] {
        var lines = mapped.map { "  \($0.column) → \($0.field)" }
        if !ignored.isEmpty { lines.append("  ignored: \(ignored.joined(separator: ", "))") }
        return lines
    }
}
