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
    }

    let bytes: [UInt8]
    let path: String

    /// Reads CSV from UTF-8 bytes (a leading BOM is skipped); `path` names the file in errors.
    public init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
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
        var index: Int
        var line = 1

        init(reader: CSVReader) {
            self.reader = reader
            self.index = reader.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        }

        public mutating func next() -> Record? { try? nextRecord() }

        /// The next record, nil at the end, or an error naming the file and line.
        public mutating func nextRecord() throws -> Record? {
            let bytes = reader.bytes
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
                    if index < bytes.count, bytes[index] != 0x2C, bytes[index] != 0x0A, bytes[index] != 0x0D {
                        throw ValleyError.located(file: reader.path, line: line, .invalidValue(
                            field: "csv", value: "text after a closing quote", expected: "a ',' or the end of the line"))
                    }
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != 0x2C, bytes[index] != 0x0A { index += 1 }
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
                index += 1 // the comma
                if index == bytes.count { fields.append(""); return Record(fields: fields, line: startLine) }
            }
        }

        private func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
            // ASCII needs no validation; `String(validating:as:)` instantiates generic metadata
            // on every call, a measurable share of a 1M-row import.
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ValleyError.located(file: reader.path, line: line, .invalidValue(field: "csv field", value: "…", expected: "valid UTF-8"))
            }
            return text
        }
    }
}

/// Writing CSV fields (RFC 4180 quoting).
public enum CSVWriter {
    /// One field, quoted when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// One record with its CRLF line end.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
