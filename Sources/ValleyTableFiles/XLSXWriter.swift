import ValleyCore

/// Writes tables as an `.xlsx` workbook (Office Open XML, ECMA-376): one sheet per table,
/// the header row bold and frozen, numbers as numbers, text as inline strings.
public enum XLSXWriter {
    /// The workbook's bytes for `sheets` (name and table; names are cut to Excel's 31 characters).
    public static func workbook(_ sheets: [(name: String, table: Table)]) throws -> [UInt8] {
        try package(sheets.map { ($0.name, worksheet($0.table, header: xmlHeader)) })
    }

    static let xmlHeader = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// A workbook of sheets given as worksheet XML (name, XML).
    static func package(_ sheets: [(name: String, xml: String)]) throws -> [UInt8] {
        var files: [(name: String, bytes: [UInt8])] = []
        let header = xmlHeader
        var overrides = ""
        var workbookSheets = ""
        var relations = ""
        for index in sheets.indices {
            overrides += #"<Override PartName="/xl/worksheets/sheet\#(index + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
            let name = XMLText.escape(sanitized(sheets[index].name, index: index))
            workbookSheets += #"<sheet name="\#(name)" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
            relations += #"<Relationship Id="rId\#(index + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#
        }
        relations += #"<Relationship Id="rId\#(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        files.append(("[Content_Types].xml", Array((header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"# + overrides + "</Types>").utf8)))
        files.append(("_rels/.rels", Array((header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).utf8)))
        files.append(("xl/workbook.xml", Array((header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"# + workbookSheets + "</sheets></workbook>").utf8)))
        files.append(("xl/_rels/workbook.xml.rels", Array((header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"# + relations + "</Relationships>").utf8)))
        // Style 0: normal; style 1: bold (the header row).
        files.append(("xl/styles.xml", Array((header + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#).utf8)))
        for (index, sheet) in sheets.enumerated() {
            files.append(("xl/worksheets/sheet\(index + 1).xml", Array(sheet.xml.utf8)))
        }
        return try ZIPArchive.archive(files)
    }

    static func worksheet(_ table: Table, header: String) -> String {
        var xml = header + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        // Column widths from the longest text (CJK counts double), capped at 60.
        xml += "<cols>"
        for (index, column) in table.columns.enumerated() {
            let widest = ([column] + table.rows.prefix(1000).map { index < $0.count ? $0[index].text : "" }).map(displayWidth).max() ?? 8
            xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(min(60, max(8, widest + 2)))" customWidth="1"/>"#
        }
        xml += "</cols><sheetData>"
        xml += row(1, table.columns.map(Cell.text), style: 1)
        for (index, cells) in table.rows.enumerated() { xml += row(index + 2, cells, style: 0) }
        return xml + "</sheetData></worksheet>"
    }

    static func row(_ number: Int, _ cells: [Cell], style: Int) -> String {
        var xml = #"<row r="\#(number)">"#
        for (index, cell) in cells.enumerated() {
            let reference = columnName(index) + String(number)
            let styleAttribute = style == 0 ? "" : #" s="\#(style)""#
            switch cell {
            case .empty: continue
            case let .integer(value): xml += #"<c r="\#(reference)"\#(styleAttribute)><v>\#(value)</v></c>"#
            case let .number(value, _) where value.isFinite: xml += #"<c r="\#(reference)"\#(styleAttribute)><v>\#(value)</v></c>"#
            case let .bound(value, _, .exact) where value.isFinite: xml += #"<c r="\#(reference)"\#(styleAttribute)><v>\#(value)</v></c>"#
            case let .boolean(value): xml += #"<c r="\#(reference)"\#(styleAttribute) t="b"><v>\#(value ? 1 : 0)</v></c>"#
            default:
                xml += #"<c r="\#(reference)"\#(styleAttribute) t="inlineStr"><is><t xml:space="preserve">\#(XMLText.escape(xmlSafe(cell.text)))</t></is></c>"#
            }
        }
        return xml + "</row>"
    }

    /// `0` → `A`, `27` → `AB`.
    static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// Text without the control characters XML 1.0 cannot carry (tabs and line breaks stay).
    static func xmlSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r" }))
    }

    /// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not empty.
    static func sanitized(_ name: String, index: Int) -> String {
        let cleaned = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return cleaned.isEmpty ? "Sheet\(index + 1)" : cleaned
    }
}
