/// Parses the filter language by recursive descent; errors name the column (1-based) and,
/// for an unknown field, list the valid ones. Nesting (parentheses and `not`) is limited, and
/// `and`/`or` chains are read in a loop into one n-ary node, so no input of any length can
/// exhaust the stack while parsing, compiling, matching or freeing the expression.
struct FilterParser<Record> {
    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case op(FilterExpression.Operator)
        case open, close, comma, end
    }

    static var maximumDepth: Int { 100 }

    let fields: RecordFields<Record>
    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0
    private var depth = 0
    private let text: String

    init(text: String, fields: RecordFields<Record>) {
        self.text = text
        self.fields = fields
    }

    mutating func parse() throws -> FilterExpression {
        tokens = try Self.tokenize(text)
        let expression = try parseOr()
        guard current.token == .end else { throw error("unexpected \(describe(current.token))") }
        return expression
    }

    // MARK: - Grammar: or → and → not → primary

    private mutating func parseOr() throws -> FilterExpression {
        var terms = [try parseAnd()]
        while isKeyword("or") {
            advance()
            terms.append(try parseAnd())
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws -> FilterExpression {
        var terms = [try parseNot()]
        while isKeyword("and") {
            advance()
            terms.append(try parseNot())
        }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseNot() throws -> FilterExpression {
        if isKeyword("not") {
            advance()
            return .not(try nested { try $0.parseNot() })
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> FilterExpression {
        let start = current
        switch start.token {
        case .open:
            advance()
            let inner = try nested { try $0.parseOr() }
            guard current.token == .close else { throw error("expected ')' to close the '(' at column \(start.column)") }
            advance()
            return inner
        case let .word(word) where word.lowercased() == "has":
            advance()
            switch current.token {
            case let .word(name), let .quoted(name):
                advance()
                return .has(name)
            default:
                throw error("expected a name after 'has', e.g. has \"high-tech enterprise\"")
            }
        case let .word(name):
            guard let field = fields.field(named: name) else {
                throw ValleyError.syntax(message: "unknown field '\(name)'; valid fields: \(fields.names.joined(separator: ", "))", column: start.column)
            }
            advance()
            if isKeyword("is") {
                advance()
                let negated = isKeyword("not")
                if negated { advance() }
                guard isKeyword("missing") || isKeyword("null") else {
                    throw error("expected 'missing' after '\(name) is\(negated ? " not" : "")', e.g. ticker is not missing")
                }
                advance()
                let test = FilterExpression.missing(field: field.name)
                return negated ? .not(test) : test
            }
            if isKeyword("in") {
                advance()
                return .membership(field: field.name, try parseList(for: field))
            }
            guard case let .op(op) = current.token else {
                throw error("expected an operator (= != < <= > >= ~ in, is missing) after '\(name)'")
            }
            advance()
            return .comparison(field: field.name, op, try parseLiteral(for: field))
        default:
            throw error("expected a field, 'not', 'has' or '(' but found \(describe(start.token))")
        }
    }

    private mutating func parseList(for field: RecordFields<Record>.Field) throws -> [FilterExpression.Literal] {
        guard current.token == .open else { throw error("expected '(' after 'in'") }
        advance()
        var literals = [try parseLiteral(for: field)]
        while current.token == .comma {
            advance()
            literals.append(try parseLiteral(for: field))
        }
        guard current.token == .close else { throw error("expected ',' or ')' in the list") }
        advance()
        return literals
    }

    private mutating func parseLiteral(for field: RecordFields<Record>.Field) throws -> FilterExpression.Literal {
        let token = current
        let text: String
        switch token.token {
        case let .word(word): text = word
        case let .quoted(quoted): text = quoted
        default: throw error("expected a value for '\(field.name)' but found \(describe(token.token))")
        }
        advance()
        switch field.kind {
        case .text, .list:
            return .text(text)
        case .number:
            guard let number = Double(text) else {
                throw ValleyError.syntax(message: "'\(field.name)' is a number; '\(text)' is not", column: token.column)
            }
            return .number(number)
        case .date:
            guard let date = CalendarDate(text) else {
                throw ValleyError.syntax(message: "'\(field.name)' is a date; expected YYYY, YYYY-MM or YYYY-MM-DD, got '\(text)'", column: token.column)
            }
            return .date(date)
        }
    }

    // MARK: - Helpers

    private var current: (token: Token, column: Int) { tokens[min(position, tokens.count - 1)] }
    private mutating func advance() { position += 1 }

    private func isKeyword(_ keyword: String) -> Bool {
        if case let .word(word) = current.token { return word.lowercased() == keyword }
        return false
    }

    private mutating func nested(_ body: (inout FilterParser) throws -> FilterExpression) throws -> FilterExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) deep") }
        return try body(&self)
    }

    private func error(_ message: String) -> ValleyError {
        .syntax(message: message, column: current.column)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case let .word(word): return "'\(word)'"
        case let .quoted(text): return "\"\(text)\""
        case let .op(op): return "'\(op.rawValue)'"
        case .open: return "'('"
        case .close: return "')'"
        case .comma: return "','"
        case .end: return "the end of the expression"
        }
    }

    // MARK: - Tokens

    static func tokenize(_ text: String) throws -> [(token: Token, column: Int)] {
        var tokens: [(Token, Int)] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            switch character {
            case " ", "\t", "\n":
                index += 1
            case "(": tokens.append((.open, column)); index += 1
            case ")": tokens.append((.close, column)); index += 1
            case ",": tokens.append((.comma, column)); index += 1
            case "~": tokens.append((.op(.contains), column)); index += 1
            case "=": tokens.append((.op(.equal), column)); index += 1
            case "!", "<", ">":
                let next = index + 1 < characters.count ? characters[index + 1] : " "
                if next == "=" {
                    tokens.append((.op(character == "!" ? .notEqual : (character == "<" ? .lessOrEqual : .greaterOrEqual)), column))
                    index += 2
                } else if character == "!" {
                    throw ValleyError.syntax(message: "'!' must be followed by '=' (use 'not' to negate)", column: column)
                } else {
                    tokens.append((.op(character == "<" ? .less : .greater), column))
                    index += 1
                }
            case "'", "\"":
                var value = ""
                var cursor = index + 1
                var closed = false
                while cursor < characters.count {
                    if characters[cursor] == "\\", cursor + 1 < characters.count {
                        value.append(characters[cursor + 1])
                        cursor += 2
                        continue
                    }
                    if characters[cursor] == character { closed = true; break }
                    value.append(characters[cursor])
                    cursor += 1
                }
                guard closed else { throw ValleyError.syntax(message: "unbalanced quote", column: column) }
                tokens.append((.quoted(value), column))
                index = cursor + 1
            default:
                var word = ""
                while index < characters.count, !" \t\n(),~=!<>'\"".contains(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                tokens.append((.word(word), column))
            }
        }
        tokens.append((.end, characters.count + 1))
        return tokens
    }
}
