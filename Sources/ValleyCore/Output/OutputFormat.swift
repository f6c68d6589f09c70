import ArgumentParser

/// How tables are rendered: an aligned text table, RFC 4180 csv, a JSON array, or markdown.
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case table, csv, json, markdown

    /// Renders a table in this format; the result ends with a newline.
    public func render(_ table: Table) -> String {
        switch self {
        case .table: return TableRenderer.text(table)
        case .csv: return TableRenderer.csv(table)
        case .json: return TableRenderer.json(table)
        case .markdown: return TableRenderer.markdown(table)
        }
    }

    /// Renders a sequence of blocks: tables in this format, text as it is.
    public func render(_ blocks: [OutputBlock]) -> String {
        var output = ""
        for block in blocks {
            switch block {
            case let .table(table): output += render(table)
            case let .text(text):
                let safe = TerminalText.escapingControls(text, keepingLines: true)
                output += safe.hasSuffix("\n") ? safe : safe + "\n"
            }
        }
        return output
    }
}

/// The four renderers; each takes a table and returns its whole text.
package enum TableRenderer {
    // MARK: - Aligned text

    static func text(_ table: Table) -> String {
        let cells = table.rows.map { $0.map { singleLine($0.text) } }
        var widths = table.columns.map(displayWidth)
        for row in cells {
            for (index, text) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], displayWidth(text))
            }
        }
        let numeric = table.columns.indices.map { column in
            !table.rows.isEmpty && table.rows.allSatisfy { $0[column].isNumeric || $0[column] == .empty }
        }
        func line(_ texts: [String]) -> String {
            var parts: [String] = []
            for (index, text) in texts.enumerated() where index < widths.count {
                let padding = String(repeating: " ", count: widths[index] - displayWidth(text))
                let isLast = index == widths.count - 1
                parts.append(numeric[index] ? padding + text : (isLast ? text : text + padding))
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var output = line(table.columns) + "\n"
        output += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        if cells.isEmpty { return output + "(no rows)\n" }
        for row in cells { output += line(row) + "\n" }
        return output
    }

    static func singleLine(_ text: String) -> String {
        let line = text.contains(where: \.isNewline) ? text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ") : text
        return TerminalText.escapingControls(line)
    }

    // MARK: - CSV (RFC 4180)

    static func csv(_ table: Table) -> String {
        func field(_ text: String) -> String {
            let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            return needsQuotes ? "\"" + text.replacingOccurrences("\"", with: "\"\"") + "\"" : text
        }
        var output = table.columns.map(field).joined(separator: ",") + "\r\n"
        for row in table.rows { output += row.map { field($0.text) }.joined(separator: ",") + "\r\n" }
        return output
    }

    // MARK: - JSON

    static func json(_ table: Table) -> String {
        if table.rows.isEmpty { return "[]\n" }
        var output = "[\n"
        for (rowIndex, row) in table.rows.enumerated() {
            let members = zip(table.columns, row).map { name, cell in "\(jsonString(name)): \(jsonValue(cell))" }
            output += "  {" + members.joined(separator: ", ") + "}" + (rowIndex == table.rows.count - 1 ? "\n" : ",\n")
        }
        return output + "]\n"
    }

    static func jsonValue(_ cell: Cell) -> String {
        switch cell {
        case let .integer(value): return String(value)
        case let .number(value, _) where value.isFinite: return cell.text
        case let .boolean(value): return value ? "true" : "false"
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
