import ValleyCore

/// Reads one sheet of an `.xlsx` workbook (Office Open XML, ECMA-376) into rows of text.
///
/// Cells give their shown value as text: shared and inline strings as they are, numbers as
/// written in the file, booleans as `TRUE`/`FALSE`, and numbers in a date format as ISO dates
/// (`2019-03-01`), so the importers read one form whatever the spreadsheet's locale was.
struct XLSXReader {
    /// The sheets' names, in workbook order.
    let sheetNames: [String]
    /// The rows of the sheet read: its 1-based row number and its non-empty cells by
    /// zero-based column (sparse: a cell in column XFD must not cost 16,384 strings a row).
    let rows: [(number: Int, cells: [(column: Int, text: String)])]
    /// The sheet read.
    let sheetName: String

    init(bytes: [UInt8], name: String, sheet wanted: String?) throws {
        let archive = try ZIPArchive(bytes: bytes, name: name)
        func part(_ path: String) throws -> [UInt8] {
            guard let data = try archive.contents(of: path) else {
                throw ValleyError.file(path: name, reason: "not a readable .xlsx workbook (it has no \(path))")
            }
            return data
        }
        // Sheets and where they live.
        var sheets: [(name: String, relation: String)] = []
        var date1904 = false
        var events = XMLEvents(try part("xl/workbook.xml"))
        while let event = events.next() {
            guard case let .start(tag, attributes) = event else { continue }
            if tag == "sheet", let sheetName = attributes["name"] { sheets.append((sheetName, attributes["id"] ?? "")) }
            if tag == "workbookPr", let flag = attributes["date1904"] { date1904 = flag == "1" || flag == "true" }
        }
        guard !sheets.isEmpty else { throw ValleyError.file(path: name, reason: "the workbook has no sheets") }
        var targets: [String: String] = [:]
        if let relations = try archive.contents(of: "xl/_rels/workbook.xml.rels") {
            var events = XMLEvents(relations)
            while let event = events.next() {
                if case let .start("Relationship", attributes) = event, let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
            }
        }
        let chosen: (name: String, relation: String)
        if let wanted {
            guard let match = sheets.first(where: { $0.name == wanted }) ?? Int(wanted).flatMap({ $0 >= 1 && $0 <= sheets.count ? sheets[$0 - 1] : nil }) else {
                throw ValleyError.invalidValue(field: "--sheet", value: wanted, expected: "one of the workbook's sheets: \(sheets.map(\.name).joined(separator: ", ")) (or its number)")
            }
            chosen = match
        } else {
            chosen = sheets[0]
        }
        var sheetPath = targets[chosen.relation] ?? "worksheets/sheet\((sheets.firstIndex { $0.name == chosen.name } ?? 0) + 1).xml"
        sheetPath = sheetPath.hasPrefix("/") ? String(sheetPath.dropFirst()) : "xl/" + sheetPath

        let shared = try archive.contents(of: "xl/sharedStrings.xml").map(Self.sharedStrings) ?? []
        let dateStyles = try archive.contents(of: "xl/styles.xml").map(Self.dateStyles) ?? []
        self.sheetNames = sheets.map(\.name)
        self.sheetName = chosen.name
        self.rows = try Self.rows(of: try part(sheetPath), shared: shared, dateStyles: dateStyles, date1904: date1904, name: name)
    }

    /// The text of each `<si>`: its `<t>` runs joined, phonetic runs (`<rPh>`) left out.
    static func sharedStrings(_ data: [UInt8]) -> [String] {
        var strings: [String] = []
        var current = "", inText = false, inPhonetic = false
        var events = XMLEvents(data)
        while let event = events.next() {
            switch event {
            case let .start(tag, _):
                if tag == "si" { current = "" } else if tag == "t" { inText = true } else if tag == "rPh" { inPhonetic = true }
            case let .end(tag):
                if tag == "si" { strings.append(current) } else if tag == "t" { inText = false } else if tag == "rPh" { inPhonetic = false }
            case let .text(text):
                if inText, !inPhonetic { current += text }
            }
        }
        return strings
    }

    /// For each cell style (`<cellXfs>` entry), whether its number format shows a date.
    static func dateStyles(_ data: [UInt8]) -> [Bool] {
        var customDates: [String: Bool] = [:]
        var styles: [Bool] = []
        var inCellFormats = false
        var events = XMLEvents(data)
        while let event = events.next() {
            switch event {
            case let .start("numFmt", attributes):
                if let id = attributes["numFmtId"], let code = attributes["formatCode"] { customDates[id] = isDateFormat(code) }
            case .start("cellXfs", _): inCellFormats = true
            case .end("cellXfs"): inCellFormats = false
            case let .start("xf", attributes) where inCellFormats:
                let id = attributes["numFmtId"] ?? "0"
                // Built-in formats 14–22 and 45–47 are dates and times (ECMA-376 Part 1, 18.8.30).
                let builtIn = Int(id).map { (14...22).contains($0) || (45...47).contains($0) || (27...36).contains($0) || (50...58).contains($0) } ?? false
                styles.append(customDates[id] ?? builtIn)
            default: break
            }
        }
        return styles
    }

    /// True when a format code shows a date: it has `y`, `d` or `m` outside quotes and brackets.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false
        for character in code.lowercased() {
            switch character {
            case "\"": quoted.toggle()
            case "[": bracket = true
            case "]": bracket = false
            case "y", "d": if !quoted, !bracket { return true }
            default: break
            }
        }
        return false
    }

    static func rows(of data: [UInt8], shared: [String], dateStyles: [Bool], date1904: Bool, name: String) throws -> [(number: Int, cells: [(column: Int, text: String)])] {
        var rows: [(number: Int, cells: [(column: Int, text: String)])] = []
        var events = XMLEvents(data)
        var cells: [(column: Int, text: String)] = []
        var rowNumber = 0
        var column = 0, type = "", style = 0
        var value = "", inValue = false, inInline = false
        while let event = events.next() {
            switch event {
            case let .start(tag, attributes):
                switch tag {
                case "row":
                    rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
                    cells = []
                    column = 0
                case "c":
                    column = attributes["r"].flatMap(columnIndex) ?? column
                    type = attributes["t"] ?? "n"
                    style = attributes["s"].flatMap { Int($0) } ?? 0
                    value = ""
                case "v": inValue = true
                case "is": inInline = true
                case "t" where inInline: inValue = true
                default: break
                }
            case let .end(tag):
                switch tag {
                case "v", "t": inValue = false
                case "is": inInline = false
                case "c":
                    let text: String
                    switch type {
                    case "s":
                        guard let index = Int(value), index >= 0, index < shared.count else {
                            throw ValleyError.file(path: name, reason: "row \(rowNumber): a shared string index '\(value)' out of range")
                        }
                        text = shared[index]
                    case "b": text = value == "1" ? "TRUE" : "FALSE"
                    case "n" where style < dateStyles.count && dateStyles[style]:
                        text = Double(value).flatMap { excelDate(serial: $0, date1904: date1904) } ?? value
                    default: text = value
                    }
                    if !text.isEmpty { cells.append((column, text)) }
                    column += 1
                case "row":
                    rows.append((rowNumber, cells))
                default: break
                }
            case let .text(text):
                if inValue { value += text }
            }
        }
        return rows
    }

    /// `B12` → 1 (the column letters, zero-based).
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference.utf8 {
            guard byte >= 0x41, byte <= 0x5A else { break }
            if letters == 3 { return nil }  // past XFD, the last column a sheet has
            index = index * 26 + Int(byte - 0x40)
            letters += 1
        }
        return letters == 0 ? nil : index - 1
    }

    /// The ISO date of an Excel serial day number (the 1900 system counts a 29 Feb 1900 that
    /// never was; serials from 61 on are one ahead). Times of day are dropped.
    static func excelDate(serial: Double, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 1, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        if !date1904 { days -= days >= 61 ? 25_569 : 25_568 } else { days -= 24_107 }
        return CalendarDate(daysSinceEpoch: days).description
    }
}

extension CalendarDate {
    /// The date `days` after 1970-01-01 (negative before).
    init(daysSinceEpoch days: Int) {
        let (year, month, day) = DateTimeText.civilDate(days)
        self.init(year: year, month: month, day: day)
    }
}
