import ValleyCore

/// Splits a command line into words: whitespace separates; `'…'` and `"…"` quote (with
/// backslash escapes); `#` starts a comment; `$NAME`, `${NAME}` and `$1`… expand outside
/// single quotes; a trailing `\` or an open quote asks for another line.
public struct Tokenizer: Sendable {
    /// The result of tokenising a (possibly multi-line) command.
    public enum Outcome: Equatable, Sendable {
        /// The words of a complete command (empty for a blank or comment-only line).
        case words([String])
        /// The command continues on the next line: a trailing backslash, or an open quote
        /// (with the column where the quote opened).
        case incomplete(openQuoteColumn: Int?)
    }

    /// Variables set with `set var NAME VALUE`.
    public var variables: [String: String]
    /// Script arguments: `$1` is `arguments[0]`.
    public var arguments: [String]

    /// Creates a tokenizer with the given variables and script arguments.
    public init(variables: [String: String] = [:], arguments: [String] = []) {
        self.variables = variables
        self.arguments = arguments
    }

    /// Tokenises `text` (lines of one command joined by `\n`); errors carry a 1-based column
    /// (counted in characters).
    ///
    /// Works on the UTF-8 bytes: every character with a meaning here is ASCII, and a byte array
    /// costs one byte a character where `[Character]` costs sixteen (a 10 MB line would need
    /// 160 MB).
    public func tokenize(_ text: String) throws -> Outcome {
        var text = text
        return try text.withUTF8 { try tokenize(bytes: $0) }
    }

    private func tokenize(bytes: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        var words: [String] = []
        var current: [UInt8] = []
        var inWord = false
        var index = 0
        let count = bytes.count

        func finishWord() {
            words.append(String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
            inWord = false
        }

        /// The 1-based column, in characters, of the byte at `position` within its line.
        func column(_ position: Int) -> Int {
            var start = position
            while start > 0, bytes[start - 1] != ASCII.newline { start -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self).count + 1
        }

        func expandVariable(at dollar: Int) throws -> (String, Int)? {
            var cursor = dollar + 1
            guard cursor < count else { return nil }
            let nameStart: Int, nameEnd: Int
            if bytes[cursor] == ASCII.openBrace {
                cursor += 1
                nameStart = cursor
                while cursor < count, bytes[cursor] != ASCII.closeBrace { cursor += 1 }
                guard cursor < count else {
                    throw ValleyError.syntax(message: "'${' without a closing '}'", column: column(dollar))
                }
                nameEnd = cursor
                cursor += 1
            } else if ASCII.isDigit(bytes[cursor]) {
                nameStart = cursor
                while cursor < count, ASCII.isDigit(bytes[cursor]) { cursor += 1 }
                nameEnd = cursor
            } else {
                nameStart = cursor
                while cursor < count, bytes[cursor] == ASCII.underscore || ASCII.isLetterOrDigit(bytes[cursor]) { cursor += 1 }
                nameEnd = cursor
            }
            if nameStart == nameEnd { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
            if let position = Int(name) {
                guard position >= 1, position <= arguments.count else {
                    throw ValleyError.syntax(message: "script argument $\(name) was not given (\(arguments.count) given)", column: column(dollar))
                }
                return (arguments[position - 1], cursor)
            }
            guard let value = variables[name] else {
                throw ValleyError.syntax(message: "unknown variable $\(name); set it with 'set var \(name) VALUE'", column: column(dollar))
            }
            return (value, cursor)
        }

        while index < count {
            let byte = bytes[index]
            switch byte {
            case ASCII.space, ASCII.tab, ASCII.newline, ASCII.carriageReturn:
                if inWord { finishWord() }
                index += 1
            case ASCII.hash where !inWord:
                while index < count, bytes[index] != ASCII.newline { index += 1 }
            case ASCII.backslash:
                if index + 1 >= count { return .incomplete(openQuoteColumn: nil) }
                if bytes[index + 1] == ASCII.newline { index += 2; continue }
                // The escaped character is taken as it is (the rest of a multi-byte character
                // follows through the default case).
                current.append(bytes[index + 1])
                inWord = true
                index += 2
            case ASCII.singleQuote, ASCII.doubleQuote:
                let quote = byte
                let start = index
                inWord = true
                index += 1
                var closed = false
                while index < count {
                    let inner = bytes[index]
                    if inner == quote { closed = true; index += 1; break }
                    if inner == ASCII.backslash, index + 1 < count {
                        let next = bytes[index + 1]
                        if quote == ASCII.doubleQuote {
                            switch next {
                            case ASCII.letterN: current.append(ASCII.newline)
                            case ASCII.letterT: current.append(ASCII.tab)
                            case ASCII.newline: break
                            case ASCII.doubleQuote, ASCII.backslash, ASCII.dollar: current.append(next)
                            default: current.append(ASCII.backslash); current.append(next)
                            }
                        } else if next == ASCII.singleQuote || next == ASCII.backslash {
                            current.append(next)
                        } else {
                            current.append(ASCII.backslash); current.append(next)
                        }
                        index += 2
                        continue
                    }
                    if inner == ASCII.dollar, quote == ASCII.doubleQuote, let (value, next) = try expandVariable(at: index) {
                        current.append(contentsOf: value.utf8)
                        index = next
                        continue
                    }
                    current.append(inner)
                    index += 1
                }
                if !closed { return .incomplete(openQuoteColumn: column(start)) }
            case ASCII.dollar:
                if let (value, next) = try expandVariable(at: index) {
                    current.append(contentsOf: value.utf8)
                    index = next
                } else {
                    current.append(ASCII.dollar)
                    index += 1
                }
                inWord = true
            default:
                current.append(byte)
                inWord = true
                index += 1
            }
        }
        if inWord { finishWord() }
        return .words(words)
    }
}

/// Follows where quotes open and close in a command continued over several lines, line by
/// line, so that the session tokenises the whole command once, when it can be complete, rather
/// than after every line (a stray quote early in a 100,000-line script was quadratic).
///
/// It mirrors the tokenizer's rules for what ends a command (quotes with backslash escapes,
/// `#` comments at a word's start, a trailing `\`); the tokenizer still has the last word.
struct ContinuationScanner {
    /// The quote character (`'` or `"`) open at the end of the lines so far.
    private(set) var openQuote: UInt8?
    /// True when the lines so far end in a backslash (the next line continues the command).
    private(set) var endsInBackslash = false
    /// Where the open quote opened: the line (0 for the command's first) and the column (1-based, in characters).
    private(set) var openedAt = (line: 0, column: 0)
    private var lines = 0

    /// Scans one more line of the command; returns true when the command may be complete.
    /// Whether the last line ended inside a word (a backslash-newline keeps the word going,
    /// so a `#` at the next line's start is part of it, not a comment: as the tokenizer reads it).
    private var inWord = false

    mutating func scan(_ line: String) -> Bool {
        defer { lines += 1 }
        var bytes = Array(line.utf8)[...]
        // A line break separates words, unless it is escaped (backslash-newline) or quoted.
        if !endsInBackslash && openQuote == nil { inWord = false }
        endsInBackslash = false
        while let byte = bytes.first {
            bytes = bytes.dropFirst()
            if let quote = openQuote {
                if byte == ASCII.backslash { bytes = bytes.dropFirst(); continue }
                if byte == quote { openQuote = nil }
                continue
            }
            switch byte {
            case ASCII.space, ASCII.tab, ASCII.carriageReturn: inWord = false
            case ASCII.hash where !inWord: bytes = bytes[bytes.endIndex...]
            case ASCII.backslash:
                if bytes.isEmpty { endsInBackslash = true } else { bytes = bytes.dropFirst() }
                inWord = true
            case ASCII.singleQuote, ASCII.doubleQuote:
                openQuote = byte
                inWord = true
                let offset = bytes.startIndex - 1
                openedAt = (lines, String(decoding: line.utf8.prefix(offset), as: UTF8.self).count + 1)
            default: inWord = true
            }
        }
        return openQuote == nil && !endsInBackslash
    }
}

/// The ASCII bytes the tokenizer gives a meaning to.
private enum ASCII {
    static let tab: UInt8 = 0x09, newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D, space: UInt8 = 0x20
    static let doubleQuote: UInt8 = 0x22, hash: UInt8 = 0x23, dollar: UInt8 = 0x24, singleQuote: UInt8 = 0x27
    static let backslash: UInt8 = 0x5C, underscore: UInt8 = 0x5F, letterN: UInt8 = 0x6E, letterT: UInt8 = 0x74
    static let openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

// MARK: - Quoting for display and completion

extension Tokenizer {
    /// Quotes a word so that tokenising it gives the word back (used by completion and `record`).
    public static func quote(_ word: String) -> String {
        let special: Set<Character> = [" ", "\t", "\n", "'", "\"", "\\", "#", "$"]
        if !word.isEmpty, !word.contains(where: { special.contains($0) }) { return word }
        var quoted = "\""
        for character in word {
            switch character {
            case "\"", "\\", "$": quoted += "\\" + String(character)
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }
}
