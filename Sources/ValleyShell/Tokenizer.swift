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

    /// Tokenises `text` (lines of one command joined by `\n`); errors carry a 1-based column.
    public func tokenize(_ text: String) throws -> Outcome {
        let characters = Array(text)
        var words: [String] = []
        var current = ""
        var inWord = false
        var index = 0

        func column(_ position: Int) -> Int {
            var start = position
            while start > 0, characters[start - 1] != "\n" { start -= 1 }
            return position - start + 1
        }

        func expandVariable(at dollar: Int) throws -> (String, Int)? {
            var cursor = dollar + 1
            guard cursor < characters.count else { return nil }
            var name = ""
            if characters[cursor] == "{" {
                cursor += 1
                while cursor < characters.count, characters[cursor] != "}" {
                    name.append(characters[cursor])
                    cursor += 1
                }
                guard cursor < characters.count else {
                    throw ValleyError.syntax(message: "'${' without a closing '}'", column: column(dollar))
                }
                cursor += 1
            } else if characters[cursor].isASCII, characters[cursor].isNumber {
                while cursor < characters.count, characters[cursor].isASCII, characters[cursor].isNumber {
                    name.append(characters[cursor])
                    cursor += 1
                }
            } else {
                while cursor < characters.count, characters[cursor] == "_" || (characters[cursor].isASCII && (characters[cursor].isLetter || characters[cursor].isNumber)) {
                    name.append(characters[cursor])
                    cursor += 1
                }
            }
            if name.isEmpty { return nil }
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

        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
                index += 1
            case "#" where !inWord:
                while index < characters.count, characters[index] != "\n" { index += 1 }
            case "\\":
                if index + 1 >= characters.count { return .incomplete(openQuoteColumn: nil) }
                if characters[index + 1] == "\n" { index += 2; continue }
                current.append(characters[index + 1])
                inWord = true
                index += 2
            case "'", "\"":
                let quote = character
                let start = index
                inWord = true
                index += 1
                var closed = false
                while index < characters.count {
                    let inner = characters[index]
                    if inner == quote { closed = true; index += 1; break }
                    if inner == "\\", index + 1 < characters.count {
                        let next = characters[index + 1]
                        if quote == "\"" {
                            switch next {
                            case "n": current.append("\n")
                            case "t": current.append("\t")
                            case "\n": break
                            case "\"", "\\", "$": current.append(next)
                            default: current.append("\\"); current.append(next)
                            }
                        } else if next == "'" || next == "\\" {
                            current.append(next)
                        } else {
                            current.append("\\"); current.append(next)
                        }
                        index += 2
                        continue
                    }
                    if inner == "$", quote == "\"", let (value, next) = try expandVariable(at: index) {
                        current += value
                        index = next
                        continue
                    }
                    current.append(inner)
                    index += 1
                }
                if !closed { return .incomplete(openQuoteColumn: column(start)) }
            case "$":
                if let (value, next) = try expandVariable(at: index) {
                    current += value
                    index = next
                } else {
                    current.append("$")
                    index += 1
                }
                inWord = true
            default:
                current.append(character)
                inWord = true
                index += 1
            }
        }
        if inWord { words.append(current) }
        return .words(words)
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
