#if canImport(Glibc)
import Glibc
#endif

/// An RFC 4180 reader: quoted fields with commas, quotes and line breaks, CRLF or LF line
/// ends, a UTF-8 byte-order mark. Each record carries the line it starts on, so errors can
/// say `FILE:LINE`.
///
/// Hand-written over bytes rather than SwiftCSV or CSV.swift: it must report the starting
/// line of every record and reject an unclosed quote with its line, and it is the hot path
/// of a million-row import.
public struct CSVReader: Sequence, Sendable {
    /// One record: its fields and the 1-based line it starts on.
    public struct Record: Sendable, Equatable {
        /// The fields, unquoted.
        public var fields: [String]
        /// The line the record starts on.
        public var line: Int

        /// A record of `fields` starting on `line` (a sheet row, for workbooks).
        public init(fields: [String], line: Int) {
            self.fields = fields
            self.line = line
        }
    }

    let bytes: [UInt8]
    /// The name errors give the file.
    let path: String
    /// The file to read in chunks instead of `bytes`.
    let streamedFile: String?
    /// The byte between fields: `,` unless the file uses `;`, a tab or `|`.
    let delimiter: UInt8

    /// Reads CSV from UTF-8 bytes (a leading BOM is skipped); `path` names the file in errors.
    public init(bytes: [UInt8], path: String, delimiter: UInt8 = 0x2C) {
        self.bytes = bytes
        self.path = path
        self.streamedFile = nil
        self.delimiter = delimiter
    }

    /// Reads CSV from a file, a megabyte at a time: memory holds one chunk and the current
    /// record, never the whole file (a 121 MB import used to keep all 121 MB while it ran).
    /// Errors name the file `name` (what the user typed) when given.
    public init(contentsOf path: String, name: String? = nil, delimiter: UInt8 = 0x2C) {
        self.bytes = []
        self.path = name ?? path
        self.streamedFile = path
        self.delimiter = delimiter
    }

    public func makeIterator() -> Iterator { Iterator(reader: self) }

    /// Every record, or the first error (`FILE:LINE: …`).
    public func records() throws -> [Record] {
        var iterator = makeIterator()
        var records: [Record] = []
        while let record = try iterator.nextRecord() { records.append(record) }
        return records
    }

    /// Walks the records; `next()` stops at an error, `nextRecord()` throws it.
    public struct Iterator: IteratorProtocol {
        let reader: CSVReader
        var bytes: [UInt8]
        var index: Int
        var line = 1
        private let file: ChunkedFile?

        init(reader: CSVReader) {
            self.reader = reader
            self.bytes = reader.bytes
            self.index = reader.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            self.file = reader.streamedFile.map { ChunkedFile(path: $0, name: reader.path) }
        }

        public mutating func next() -> Record? { try? nextRecord() }

        /// Bytes read from the file so far (for a progress line); 0 for an in-memory reader.
        public var bytesRead: Int { file?.bytesRead ?? 0 }

        /// The next record, nil at the end, or an error naming the file and line.
        public mutating func nextRecord() throws -> Record? {
            if let file { try fillRecord(from: file) }
            let bytes = self.bytes, delimiter = reader.delimiter
            guard index < bytes.count else { return nil }
            let startLine = line
            var fields: [String] = []
            while true {
                // One field: unquoted fields are decoded straight from the buffer; quoted ones
                // are copied only when they contain a doubled quote.
                if index < bytes.count, bytes[index] == 0x22 {
                    let fieldLine = line
                    index += 1
                    let start = index
                    var copy: [UInt8]?
                    var closed = false
                    while index < bytes.count {
                        let byte = bytes[index]
                        if byte == 0x22 {
                            if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
                                if copy == nil { copy = Array(bytes[start..<index]) }
                                copy!.append(0x22)
                                index += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        if byte == 0x0A { line += 1 }
                        copy?.append(byte)
                        index += 1
                    }
                    guard closed else {
                        throw ValleyError.located(file: reader.path, line: fieldLine, .refused(
                            "unbalanced quote: the quoted field that starts on this line is never closed"))
                    }
                    fields.append(try copy.map { try decode($0[...]) } ?? decode(bytes[start..<index]))
                    index += 1
                    if index < bytes.count, bytes[index] != delimiter, bytes[index] != 0x0A, bytes[index] != 0x0D {
                        throw ValleyError.located(file: reader.path, line: line, .invalidValue(
                            field: "csv", value: "text after a closing quote", expected: "a '\(Character(Unicode.Scalar(delimiter)))' or the end of the line"))
                    }
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != delimiter, bytes[index] != 0x0A { index += 1 }
                    var end = index
                    if end > start, bytes[end - 1] == 0x0D, index == bytes.count || bytes[index] == 0x0A { end -= 1 }
                    fields.append(try decode(bytes[start..<end]))
                }
                if index < bytes.count, bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                if index >= bytes.count { return Record(fields: fields, line: startLine) }
                if bytes[index] == 0x0A {
                    index += 1
                    line += 1
                    return Record(fields: fields, line: startLine)
                }
                index += 1 // the delimiter
                if index == bytes.count { fields.append(""); return Record(fields: fields, line: startLine) }
            }
        }

        /// Reads chunks until the buffer holds the whole next record: up to a line break outside
        /// quotes (an even number of quotes since the record began), or the end of the file.
        private mutating func fillRecord(from file: ChunkedFile) throws {
            var scan = index
            var insideQuotes = false
            while true {
                while scan < bytes.count {
                    let byte = bytes[scan]
                    if byte == 0x22 { insideQuotes.toggle() } else if byte == 0x0A, !insideQuotes { return }
                    scan += 1
                }
                guard let chunk = try file.nextChunk() else { return }
                if index > 0 {
                    bytes.removeFirst(index)
                    scan -= index
                    index = 0
                }
                let first = bytes.isEmpty && !file.startedReading
                bytes.append(contentsOf: chunk)
                if first {
                    file.startedReading = true
                    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; scan = 3 }
                }
            }
        }

        private func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
            // ASCII needs no validation; `String(validating:as:)` instantiates generic metadata
            // on every call, a measurable share of a 1M-row import.
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ValleyError.located(file: reader.path, line: line, .invalidValue(
                    field: "text", value: "…", expected: "valid UTF-8; give the file's encoding with --encoding (utf-8, gb18030, utf-16le, utf-16be)"))
            }
            return text
        }
    }
}

/// A file read a chunk at a time for `CSVReader(contentsOf:)`; it is opened at the first read,
/// so that errors (missing, a directory, unreadable) surface from `nextRecord()`.
final class ChunkedFile {
    private let path: String
    private let name: String
    private var fd: Int32 = -1
    private var ended = false
    /// Bytes read so far (refused past `FileIO.readLimit`).
    private var total = 0
    /// Bytes read so far.
    var bytesRead: Int { total }
    /// Set once the first chunk has been looked at (for the byte-order mark).
    var startedReading = false

    init(path: String, name: String) {
        self.path = path
        self.name = name
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The next megabyte (or less), nil at the end of the file.
    func nextChunk() throws -> [UInt8]? {
        if ended { return nil }
        if fd < 0 { fd = try FileIO.openForReading(path, name: name) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let count = try FileIO.read(fd, into: &chunk, name: name, total: &total)
        if count == 0 { ended = true; return nil }
        chunk.removeSubrange(count...)
        return chunk
    }
}

/// Writing CSV fields (RFC 4180 quoting).
public enum CSVWriter {
    /// One field, quoted when it holds a comma, a quote or a line break (looked for among the
    /// scalars: a comma followed by a combining mark is still a comma to a CSV reader).
    public static func field(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendField(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One record with its CRLF line end.
    public static func record(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        append(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `record(fields)` as UTF-8, made on the bytes.
    /// - Complexity: O(length of the fields).
    public static func append(_ fields: [String], to bytes: inout [UInt8]) {
        CSVRecordWriter.appending(to: &bytes) { writer in
            for field in fields { writer.field(field) }
            writer.endRecord()
        }
    }

    /// Appends `field(text)` as UTF-8.
    public static func appendField(_ text: String, to bytes: inout [UInt8]) {
        CSVRecordWriter.appending(to: &bytes) { $0.field(text) }
    }

    /// True when UTF-8 text holds a comma, a quote or a line break (`Character.isNewline`:
    /// LF, VT, FF, CR, NEL, LINE and PARAGRAPH SEPARATOR).
    @usableFromInline static func needsQuotes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most bytes (letters, digits, the bytes of CJK characters) are skipped by two
        // comparisons; a switch per byte was a tenth of a million-row export.
        var position = 0
        let count = utf8.count
        while position < count {
            let byte = utf8[position]
            if byte >= 0x2D {
                if byte == 0xC2, position + 1 < count, utf8[position + 1] == 0x85 { return true }
                if byte == 0xE2, position + 2 < count, utf8[position + 1] == 0x80, utf8[position + 2] == 0xA8 || utf8[position + 2] == 0xA9 { return true }
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || (0x0A...0x0D).contains(byte) {
                return true
            }
            position += 1
        }
        return false
    }
}
