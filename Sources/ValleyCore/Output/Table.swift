/// Rows with named columns: what a command produces for the shell to render.
public struct Table: Hashable, Sendable {
    /// Column names, in order.
    public var columns: [String]
    /// The rows; each has one cell per column.
    public var rows: [[Cell]]
    /// The table's key in a json document when a command writes several tables.
    public var name: String?
    /// True for one record's fields (`show`): one JSON object, shown as field/value lines.
    public var isRecord = false

    /// One record's fields as a table of one row; json renders it as one object keyed by
    /// field name, the text table as `field  value` lines.
    public static func record(_ fields: [(name: String, value: Cell)]) -> Table {
        var table = Table(columns: fields.map(\.name), rows: [fields.map(\.value)])
        table.isRecord = true
        return table
    }

    /// A `field`/`value` table (a `show` command's) as one record: a field given several
    /// times (`leg out`) becomes a list of its values.
    var asRecord: Table {
        var names: [String] = []
        var values: [String: [Cell]] = [:]
        for row in rows where row.count >= 2 {
            let name = row[0].text
            if values[name] == nil { names.append(name) }
            values[name, default: []].append(row[1])
        }
        return .record(names.map { name in
            let cells = values[name]!
            return (name, cells.count == 1 ? cells[0] : .list(cells.map(\.text)))
        })
    }

    /// A record table turned on its side: a `field` and a `value` column.
    var verticalView: Table {
        Table(columns: ["field", "value"], rows: zip(columns, rows.first ?? []).map { [.text($0), $1] })
    }

    /// Creates a table; rows shorter than the header are padded with empty cells.
    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows.map { row in row.count >= columns.count ? row : row + Array(repeating: .empty, count: columns.count - row.count) }
    }

    /// Appends a row (padded to the header's width).
    public mutating func append(_ row: [Cell]) {
        rows.append(row.count >= columns.count ? row : row + Array(repeating: .empty, count: columns.count - row.count))
    }
}

/// What a command writes: tables, and lines of free text (notes, charts).
public enum OutputBlock: Hashable, Sendable {
    /// Rows to render in the session's format.
    case table(Table)
    /// Text printed as it is (a chart, prose): on stdout for table and markdown, on stderr
    /// for csv, json and jsonl.
    case text(String)
    /// A note about what the command did: like `text`, always kept out of data formats.
    case note(String)
}
