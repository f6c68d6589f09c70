import XCTest
import ValleyCore
@testable import ValleyShell

/// The tokenizer as it was before it worked on UTF-8 bytes (it worked on `[Character]`): the
/// reference for the differential test in `TokenizerTests`.
struct CharacterTokenizer {
    var variables: [String: String]
    var arguments: [String]

    func tokenize(_ text: String) throws -> Tokenizer.Outcome {
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
