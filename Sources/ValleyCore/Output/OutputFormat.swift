import ArgumentParser

/// How output is rendered: an aligned text table, markdown, or data for programs (RFC 4180
/// csv, one JSON document, JSON lines). `xlsx` is a file format, for `registry export` and
/// `output FILE.xlsx`.
///
/// The shell handles `--format` for every command; commands emit typed tables.
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case table, csv, json, jsonl, markdown, xlsx

    /// True for the formats programs read (csv, json, jsonl, xlsx): stdout carries data only,
    /// prose and notes go to stderr.
    public var isData: Bool { self != .table && self != .markdown }

    /// What rendering gives: the data for stdout and the messages for stderr.
    public struct Rendered: Sendable, Equatable {
        /// For stdout.
        public var data: String
        /// For stderr (prose and notes of a data format).
        public var messages: String
    }

    /// Renders one table in this format; the result ends with a newline.
    public func render(_ table: Table) -> String { render([.table(table)]).data }

    /// Renders what a command wrote. For table and markdown, blocks in order; for csv, json
    /// and jsonl, the tables as one document on stdout and text on stderr:
    /// - json: one table is an array of row objects (a record table, one object); several are
    ///   one object keyed by table name.
    /// - csv: one table; several are one table with a leading `table` column and every
    ///   table's columns.
    /// - jsonl: one object per row; with several tables each has a `table` member.
    ///
    /// In table format, `expanded` shows each row as a block of `column  value` lines (like
    /// psql's `\x`); `width`, when given, does so only for a table whose lines would be wider
    /// (the automatic mode on a terminal).
    public func render(_ blocks: [OutputBlock], expanded: Bool = false, width: Int? = nil) -> Rendered {
        var data = "", messages = ""
        var tables: [Table] = []
        for block in blocks {
            switch block {
            case let .table(table):
                if isData {
                    tables.append(table)
                } else if self == .markdown {
                    data += TableRenderer.markdown(table)
                } else if expanded, !table.isRecord {
                    data += TableRenderer.expanded(table)
                } else {
                    let text = TableRenderer.text(table)
                    if let width, TableRenderer.widestLine(text) > width {
                        // A `show` record wraps its long values; a wide table becomes blocks.
                        if table.isRecord {
                            data += TableRenderer.wrappedRecord(table.verticalView, width: width)
                        } else if table.columns == ["field", "value"] {
                            data += TableRenderer.wrappedRecord(table, width: width)  // a show command's own field/value rows
                        } else {
                            data += table.rows.isEmpty ? text : TableRenderer.expanded(table, width: width)
                        }
                    } else {
                        data += text
                    }
                }
            case let .text(text), let .note(text):
                let safe = TerminalText.escapingControls(text, keepingLines: true)
                let line = safe.hasSuffix("\n") ? safe : safe + "\n"
                if isData { messages += line } else { data += line }
            }
        }
        guard isData, !tables.isEmpty else { return Rendered(data: data, messages: messages) }
        switch self {
        case .json: data = TableRenderer.jsonDocument(tables)
        case .jsonl: data = TableRenderer.jsonLines(tables)
        default: data = TableRenderer.csv(TableRenderer.combined(tables))
        }
        return Rendered(data: data, messages: messages)
    }
}

/// The renderers; each takes tables and returns their whole text.
package enum TableRenderer {
    // MARK: - Aligned text

    /// The display width of the widest line of `text`.
    static func widestLine(_ text: String) -> Int {
        text.split(separator: "\n").reduce(0) { max($0, displayWidth(String($1))) }
    }

    /// One block per row (`-[ 1 ]----`, then `column  value` lines), for rows wider than the
    /// terminal: psql's expanded display.
    static func expanded(_ table: Table, width: Int? = nil) -> String {
        guard !table.rows.isEmpty else { return text(table) }
        let labelWidth = table.columns.map(displayWidth).max() ?? 0
        var output = ""
        for (number, row) in table.rows.enumerated() {
            let header = "-[ \(number + 1) ]"
            output += header + String(repeating: "-", count: max(4, labelWidth + 2 - displayWidth(header) + 8)) + "\n"
            output += labelled(Array(zip(table.columns, row)), labelWidth: labelWidth, width: width)
        }
        return output
    }

    /// A `field`/`value` table (a `show`) with its values wrapped to `width`.
    static func wrappedRecord(_ table: Table, width: Int) -> String {
        let pairs = table.rows.map { (singleLine($0.first?.text ?? ""), $0.count > 1 ? $0[1] : Cell.empty) }
        let labelWidth = max(5, pairs.map { displayWidth($0.0) }.max() ?? 0)
        let header = "field" + String(repeating: " ", count: labelWidth - 5) + "  value\n"
            + String(repeating: "-", count: labelWidth) + "  -----\n"
        return header + labelled(pairs, labelWidth: labelWidth, width: width)
    }

    /// `label  value` lines; a value wider than `width` leaves continues on lines indented
    /// under the value, broken at spaces where it can be.
    private static func labelled(_ pairs: [(String, Cell)], labelWidth: Int, width: Int?) -> String {
        var output = ""
        let room = width.map { max(20, $0 - labelWidth - 2) }
        for (column, cell) in pairs {
            let value = singleLine(cell.text)
            let pieces = room.map { wrap(value, width: $0) } ?? [value]
            for (index, piece) in pieces.enumerated() {
                let label = index == 0 ? column : ""
                var line = label + String(repeating: " ", count: labelWidth - displayWidth(label)) + "  " + piece
                while line.last == " " { line.removeLast() }
                output += line + "\n"
            }
        }
        return output
    }

    /// `text` cut into lines of at most `width` display columns, at a space when there is one
    /// in the second half of the line, else anywhere (CJK has no spaces).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard displayWidth(text) > width else { return [text] }
        var lines: [String] = []
        var current: [Character] = []
        var currentWidth = 0
        var lastSpace: Int?  // an offset in `current`, not a String.Index (invalid once it grows)
        for character in text {
            let characterWidth = displayWidth(String(character))
            if currentWidth + characterWidth > width {
                if let space = lastSpace, space > current.count / 2 {
                    lines.append(String(current[..<space]))
                    current = Array(current[(space + 1)...])
                } else {
                    lines.append(String(current))
                    current = []
                }
                currentWidth = current.reduce(0) { $0 + displayWidth(String($1)) }
                lastSpace = nil
                // A break just before a space: the next line does not start with it.
                if current.isEmpty, character == " " { continue }
            }
            if character == " " { lastSpace = current.count }
            current.append(character)
            currentWidth += characterWidth
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    static func text(_ table: Table) -> String {
        if table.isRecord { return text(table.verticalView) }
        let cells = table.rows.map { $0.map { singleLine($0.text) } }
        // Each cell's width is measured once; lines are made as bytes (a table of 100,000 rows
        // spent most of its time in padding strings and joining them).
        let cellWidths = cells.map { $0.map(displayWidth) }
        var widths = table.columns.map(displayWidth)
        for row in cellWidths {
            for (index, width) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], width)
            }
        }
        let numeric = table.columns.indices.map { column in
            !table.rows.isEmpty && table.rows.allSatisfy { $0[column].isNumeric || $0[column] == .empty }
        }
        var output: [UInt8] = []
        func line(_ texts: [String], _ textWidths: [Int]) {
            let start = output.count
            for (index, text) in texts.enumerated() where index < widths.count {
                if index > 0 { output.append(contentsOf: [0x20, 0x20]) }
                let padding = widths[index] - textWidths[index]
                let isLast = index == widths.count - 1
                if numeric[index] { output.append(contentsOf: repeatElement(0x20, count: padding)) }
                output.append(contentsOf: text.utf8)
                if !numeric[index] && !isLast { output.append(contentsOf: repeatElement(0x20, count: padding)) }
            }
            while output.count > start, output.last == 0x20 { output.removeLast() }
            output.append(0x0A)
        }
        line(table.columns, table.columns.map(displayWidth))
        for (index, width) in widths.enumerated() {
            if index > 0 { output.append(contentsOf: [0x20, 0x20]) }
            output.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: width))
        }
        output.append(0x0A)
        if cells.isEmpty { return String(decoding: output, as: UTF8.self) + "(no rows)\n" }
        for (row, rowWidths) in zip(cells, cellWidths) { line(row, rowWidths) }
        return String(decoding: output, as: UTF8.self)
    }

    static func singleLine(_ text: String) -> String {
        // No line-break byte (LF, VT, FF, CR, or the lead byte of NEL, LINE or PARAGRAPH
        // SEPARATOR): no Character of the text is a line break.
        let mayBreak = text.utf8.contains { (0x0A...0x0D).contains($0) || $0 == 0xC2 || $0 == 0xE2 }
        let line = mayBreak && text.contains(where: \.isNewline) ? text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ") : text
        return TerminalText.escapingControls(line)
    }

    // MARK: - CSV (RFC 4180)

    static func csv(_ table: Table) -> String {
        var bytes: [UInt8] = []
        CSVWriter.append(table.columns, to: &bytes)
        for row in table.rows { CSVWriter.append(row.map(\.text), to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - JSON

    static func json(_ table: Table) -> String {
        if table.columns == ["field", "value"], !table.isRecord { return json(table.asRecord) }
        if table.isRecord { return (table.rows.first.map { jsonObject(table.columns, $0) } ?? "{}") + "\n" }
        if table.rows.isEmpty { return "[]\n" }
        var output = "[\n"
        for (rowIndex, row) in table.rows.enumerated() {
            output += "  " + jsonObject(table.columns, row) + (rowIndex == table.rows.count - 1 ? "\n" : ",\n")
        }
        return output + "]\n"
    }

    static func jsonObject(_ columns: [String], _ row: [Cell], leading: String? = nil) -> String {
        var members = zip(columns, row).map { name, cell in "\(jsonString(name)): \(jsonValue(cell))" }
        if let leading { members.insert("\"table\": \(jsonString(leading))", at: 0) }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// One JSON document for a command's tables.
    static func jsonDocument(_ tables: [Table]) -> String {
        if tables.count == 1 { return json(tables[0]) }
        var output = "{\n"
        for (index, table) in tables.enumerated() {
            let body = String(json(table).dropLast()).replacingOccurrences("\n", with: "\n  ")
            output += "  \(jsonString(names(tables)[index])): \(body)" + (index == tables.count - 1 ? "\n" : ",\n")
        }
        return output + "}\n"
    }

    /// The keys of several tables: their names, else `table1`, `table2`…; repeats get a number.
    static func names(_ tables: [Table]) -> [String] {
        var seen: [String: Int] = [:]
        return tables.enumerated().map { index, table in
            let base = table.name ?? "table\(index + 1)"
            seen[base, default: 0] += 1
            return seen[base]! == 1 ? base : "\(base)\(seen[base]!)"
        }
    }

    /// One JSON object per row, per line.
    static func jsonLines(_ tables: [Table]) -> String {
        let keys = names(tables)
        var output = ""
        for (index, table) in tables.enumerated() {
            for row in table.rows { output += jsonObject(table.columns, row, leading: tables.count > 1 ? keys[index] : nil) + "\n" }
        }
        return output
    }

    /// Several tables as one for csv: a leading `table` column, then every table's columns.
    static func combined(_ tables: [Table]) -> Table {
        if tables.count == 1 { return tables[0] }
        var columns: [String] = []
        for table in tables { for column in table.columns where !columns.contains(column) { columns.append(column) } }
        var result = Table(columns: ["table"] + columns)
        for (index, table) in tables.enumerated() {
            let positions = table.columns.map { columns.firstIndex(of: $0)! }
            for row in table.rows {
                var cells = [Cell](repeating: .empty, count: columns.count)
                for (position, cell) in zip(positions, row) { cells[position] = cell }
                result.append([.text(names(tables)[index])] + cells)
            }
        }
        return result
    }

    static func jsonValue(_ cell: Cell) -> String {
        switch cell {
        case let .integer(value): return String(value)
        case let .number(value, _) where value.isFinite: return cell.text
        case let .boolean(value): return value ? "true" : "false"
        case let .list(items): return "[" + items.map(jsonString).joined(separator: ", ") + "]"
        case let .duration(minutes, text): return "{\"minutes\": \(minutes), \"text\": \(jsonString(text))}"
        case let .bound(value, digits, limit) where value.isFinite:
            return "{\"value\": \(Cell.format(value, digits: digits)), \"floor\": \(limit == .floor)" + (limit == .ceiling ? ", \"ceiling\": true}" : "}")
        case .empty: return "null"
        default: return jsonString(cell.text)
        }
    }

    /// True when `text` has a byte JSON must escape (a quote, a backslash, a control character).
    package static func needsEscape(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { needsEscape($0) } ?? text.utf8.contains(where: needsEscape)
    }

    /// `needsEscape` over UTF-8 bytes.
    package static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.contains(where: needsEscape) }

    @inline(__always) static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// A JSON string literal (the one escaping of JSON text: output, and the workspace's lists).
    package static func jsonString(_ text: String) -> String {
        // Most text needs no escape: one pass over the bytes, then the text whole.
        if !needsEscape(text) { return "\"" + text + "\"" }
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    // MARK: - Markdown

    static func markdown(_ table: Table) -> String {
        if table.isRecord { return markdown(table.verticalView) }
        func field(_ text: String) -> String {
            singleLine(text).replacingOccurrences("|", with: "\\|")
        }
        let numeric = table.columns.indices.map { column in
            !table.rows.isEmpty && table.rows.allSatisfy { $0[column].isNumeric || $0[column] == .empty }
        }
        var output = "| " + table.columns.map(field).joined(separator: " | ") + " |\n"
        output += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in table.rows { output += "| " + row.map { field($0.text) }.joined(separator: " | ") + " |\n" }
        return output
    }
}

extension String {
    func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var output = ""
        output.reserveCapacity(count)
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}
