/// The words of a partly typed `--where` expression, for completion: operators, parentheses
/// and commas are words of their own; quoted values are one word (quotes kept).
struct FilterWords {
    /// The complete words before the one under the cursor.
    private(set) var before: [String] = []
    /// The word under the cursor, as typed ("" after a space, an operator or a parenthesis).
    private(set) var last = ""

    init(_ text: String) {
        var current = ""
        var quote: Character?
        func flush() {
            if !current.isEmpty { before.append(current) }
            current = ""
        }
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                current.append(character)
                quote = character
            case " ", "\t":
                flush()
            case "(", ")", ",":
                flush()
                before.append(String(character))
            case "=", "~":
                flush()
                before.append(String(character))
            case "!", "<", ">":
                flush()
                if characters.first == "=" {
                    characters.removeFirst()
                    before.append(String(character) + "=")
                } else {
                    before.append(String(character))
                }
            default:
                current.append(character)
            }
        }
        last = current
    }

    /// The field an operator (or an `in (` list) under the cursor applies to.
    var fieldBeforeOperator: String? {
        var position = before.count - 1
        // Inside `field in (a, b, `: walk back to the `in`.
        if before.last == "(" || before.last == "," {
            while position >= 0, before[position] != "in" { position -= 1 }
        }
        return position >= 1 ? before[position - 1] : nil
    }
}
