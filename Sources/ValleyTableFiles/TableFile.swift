#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// The one reader of table files for every import: delimited text in any of the encodings
/// analysts receive (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK), with its
/// delimiter sniffed among `, ; \t |`, or the first (or a named) sheet of an `.xlsx` workbook.
///
/// It gives the header and then records with the line (or sheet row) each starts on, and
/// says what it detected, for `--dry-run` plans and error hints.
public final class TableFile {
    /// What the user asked for; nil fields are detected.
    public struct Options: Sendable {
        /// The encoding, or nil to detect it.
        public var encoding: TextEncoding?
        /// The delimiter, or nil to sniff it.
        public var delimiter: Character?
        /// The sheet of a workbook (name or 1-based number), or nil for the first.
        public var sheet: String?

        /// Creates options; every nil is detected.
        public init(encoding: TextEncoding? = nil, delimiter: Character? = nil, sheet: String? = nil) {
            self.encoding = encoding
            self.delimiter = delimiter
            self.sheet = sheet
        }
    }

    /// The delimiters sniffed, in order of preference on a tie.
    public static let delimiters: [Character] = [",", ";", "\t", "|"]

    /// The header row's fields.
    public let header: [String]
    /// The line (or sheet row) of the header.
    public let headerLine: Int
    /// The file's kind as detected: `csv` (delimited text) or `xlsx`.
    public let kind: String
    /// How the text was decoded, e.g. `GB18030 (not valid UTF-8)`; nil for a workbook.
    public let encodingDescription: String?
    /// The encoding used (for the reproducing command line); nil for a workbook.
    public let encoding: TextEncoding?
    /// The delimiter, nil for a workbook.
    public let delimiter: Character?
    /// The sheet read, for a workbook.
    public let sheet: String?
    /// The workbook's sheets.
    public let sheets: [String]

    private var csv: CSVReader.Iterator?
    private var sheetRows: [(number: Int, cells: [String])] = []
    /// A workbook's first bytes (an OLE compound file is a legacy `.xls`).
    static let oleSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0]
    private var sheetIndex = 0

    /// Opens `path` (named `name` in errors) and reads its header row.
    public init(path: String, name: String, options: Options = Options()) throws {
        let head = try Self.head(of: path, name: name)
        self.size = FileIO.size(of: path)
        if head.starts(with: Self.oleSignature) {
            throw ValleyError.file(path: name, reason: "is a legacy .xls workbook, which Valley does not read; save it as .xlsx or CSV")
        }
        let isWorkbook = path.lowercased().hasSuffix(".xlsx") || head.starts(with: [0x50, 0x4B, 0x03, 0x04])
        if isWorkbook {
            let workbook = try XLSXReader(bytes: try FileIO.readBytes(path), name: name, sheet: options.sheet)
            var rows = workbook.rows[...]
            while let first = rows.first, first.cells.allSatisfy({ $0.text.trimmingSpaces.isEmpty }) { rows = rows.dropFirst() }
            guard let header = rows.first else { throw ValleyError.file(path: name, reason: "sheet '\(workbook.sheetName)' is empty (expected a header row)") }
            // The header's width is its last non-empty cell; rows are laid out to it. A
            // non-empty cell past it becomes one extra field, so the row is reported.
            let width = (header.cells.map(\.column).max() ?? -1) + 1
            guard width <= 4096 else { throw ValleyError.file(path: name, reason: "the header row has \(width) columns (more than 4,096)") }
            func laidOut(_ cells: [(column: Int, text: String)]) -> [String] {
                var fields = [String](repeating: "", count: width)
                var extra = false
                for cell in cells { if cell.column < width { fields[cell.column] = cell.text } else { extra = true } }
                if extra { fields.append("(cells past the header)") }
                return fields
            }
            self.header = laidOut(header.cells)
            self.headerLine = header.number
            self.sheetRows = rows.dropFirst().compactMap { row in row.cells.isEmpty ? nil : (row.number, laidOut(row.cells)) }
            self.kind = "xlsx"
            self.encoding = nil
            self.encodingDescription = nil
            self.delimiter = nil
            self.sheet = workbook.sheetName
            self.sheets = workbook.sheetNames
            return
        }
        let detected = TextEncoding.detect(head: head)
        let encoding = options.encoding ?? detected.encoding
        let description = options.encoding == nil ? detected.detected : "\(encoding.rawValue) (given)"
        var converted: [UInt8]?
        if encoding != .utf8 {
            // Other encodings are converted whole (such files are spreadsheet exports, not
            // million-row dumps); the BOM is skipped first.
            let bytes = try FileIO.readBytes(path)
            let skip = options.encoding == nil || detected.encoding == encoding ? detected.bom : 0
            converted = try encoding.toUTF8(bytes[skip...], name: name)
        }
        let delimiter = options.delimiter ?? Self.sniffDelimiter(converted.map { Array($0.prefix(head.count)) } ?? head)
        let byte = delimiter.asciiValue ?? 0x2C
        let reader = converted.map { CSVReader(bytes: $0, path: name, delimiter: byte) } ?? CSVReader(contentsOf: path, name: name, delimiter: byte)
        var iterator = reader.makeIterator()
        var headerRecord: CSVReader.Record?
        while let record = try iterator.nextRecord() {
            if record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
            headerRecord = record
            break
        }
        guard let headerRecord else { throw ValleyError.file(path: name, reason: "is empty (expected a header row)") }
        self.header = headerRecord.fields
        self.headerLine = headerRecord.line
        self.csv = iterator
        self.kind = "csv"
        self.encoding = encoding
        self.encodingDescription = description
        self.delimiter = delimiter
        self.sheet = nil
        self.sheets = []
    }

    /// The size of the file in bytes.
    public private(set) var size = 0

    /// Bytes read so far (the whole file once a workbook or converted text is loaded).
    public var bytesRead: Int { csv.map { $0.bytesRead == 0 ? size : $0.bytesRead } ?? size }

    /// Reports progress to the terminal's progress line (`ProgressLine`), if one is shown.
    public func reportProgress(rows: Int) {
        ProgressLine.report(rows: rows, bytes: bytesRead, totalBytes: size)
    }

    /// The next record after the header, nil at the end. Blank lines are skipped.
    public func nextRecord() throws -> CSVReader.Record? {
        if csv != nil {
            while let record = try csv!.nextRecord() {
                if record.fields.count == 1, record.fields[0].isEmpty { continue }
                return record
            }
            return nil
        }
        guard sheetIndex < sheetRows.count else { return nil }
        defer { sheetIndex += 1 }
        return CSVReader.Record(fields: sheetRows[sheetIndex].cells, line: sheetRows[sheetIndex].number)
    }

    /// A line saying how the file is read, e.g. `csv, GB18030 (not valid UTF-8), delimiter ','`.
    public var detectedForm: String {
        if kind == "xlsx" { return "xlsx workbook, sheet '\(sheet ?? "")' of \(sheets.count)" }
        let shown = delimiter == "\t" ? "tab" : "'\(delimiter.map(String.init) ?? ",")'"
        return "csv, \(encodingDescription ?? ""), delimiter \(shown)"
    }

    /// The options that reproduce this reading exactly (for a `--dry-run` command line).
    public var reproducingOptions: [String] {
        guard kind == "csv" else { return sheet.map { ["--sheet", $0] } ?? [] }
        var options: [String] = []
        if let encoding, encoding != .utf8 { options += ["--encoding", encoding.rawValue] }
        if let delimiter, delimiter != "," { options += ["--delimiter", delimiter == "\t" ? "tab" : String(delimiter)] }
        return options
    }

    // MARK: - Detection

    /// The first 64 KiB of the file (errors: missing, a directory, unreadable).
    static func head(of path: String, name: String) throws -> [UInt8] {
        let fd = try FileIO.openForReading(path, name: name)
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var filled = 0
        while filled < chunk.count {
            var part = [UInt8](repeating: 0, count: chunk.count - filled)
            let count = try FileIO.read(fd, into: &part, name: name)
            if count == 0 { break }
            chunk.replaceSubrange(filled..<(filled + count), with: part[..<count])
            filled += count
        }
        return Array(chunk[..<filled])
    }

    /// The delimiter that splits the first lines (outside quotes) into the same number of
    /// fields, more than one; `,` when none does.
    static func sniffDelimiter(_ sample: [UInt8]) -> Character {
        var lines: [[UInt8: Int]] = [[:]]
        var quoted = false
        for byte in sample {
            if byte == 0x22 { quoted.toggle(); continue }
            if quoted { continue }
            if byte == 0x0A {
                if lines.count == 20 { break }
                lines.append([:])
                continue
            }
            if byte == 0x2C || byte == 0x3B || byte == 0x09 || byte == 0x7C { lines[lines.count - 1][byte, default: 0] += 1 }
        }
        // A last line the sample cut is not evidence.
        if lines.count > 1 { lines.removeLast() }
        var best: (delimiter: Character, score: Int)?
        for delimiter in delimiters {
            let byte = delimiter.asciiValue!
            let first = lines[0][byte] ?? 0
            guard first > 0 else { continue }
            let consistent = lines.filter { ($0[byte] ?? 0) == first }.count
            let score = consistent * 1000 + first
            if best == nil || score > best!.score { best = (delimiter, score) }
        }
        return best?.delimiter ?? ","
    }
}
