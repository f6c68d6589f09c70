/// Rows with named columns: what a command produces for the shell to render.
public struct Table: Hashable, Sendable {
    /// Column names, in order.
    public var columns: [String]
    /// The rows; each has one cell per column.
    public var rows: [[Cell]]

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
    /// Text printed as it is, whatever the format.
    case text(String)
}
