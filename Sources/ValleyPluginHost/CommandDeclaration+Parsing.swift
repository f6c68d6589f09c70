import ValleyCore

/// Parsing a plugin command's words the way argument-parser parses a built-in's: the same
/// option forms (`--name value`, `--name=value`, `--`), the same messages ("Missing expected
/// argument", "Unknown option … Did you mean"), and help in the same layout. The plugin gets
/// the values already checked and typed, as a JSON object keyed by argument name.
extension CommandDeclaration {
    /// The parsed arguments, or nil when the words ask for help (`-h`, `--help`).
    /// - Throws: `ValleyError.usage` naming the command, as for a built-in.
    public func parse(_ words: [String], path: String) throws -> [String: JSONValue]? {
        do {
            return try parseWords(words)
        } catch let ParseProblem.message(text) {
            throw ValleyError.usage("\(path): \(text.prefix(1).lowercased() + text.dropFirst()); see 'help \(path)'")
        }
    }

    private enum ParseProblem: Error { case message(String) }

    private func parseWords(_ words: [String]) throws -> [String: JSONValue]? {
        var result: [String: JSONValue] = [:]
        var positional: [String] = []
        var index = 0
        var optionsEnded = false
        func looksLikeOption(_ word: String) -> Bool {
            word.hasPrefix("-") && word.count > 1 && !(word.dropFirst().first.map { $0.isNumber || $0 == "." } ?? false)
        }
        while index < words.count {
            let word = words[index]
            index += 1
            if optionsEnded || !looksLikeOption(word) { positional.append(word); continue }
            if word == "--" { optionsEnded = true; continue }
            if word == "-h" || word == "--help" { return nil }
            var name = String(word.drop(while: { $0 == "-" }))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard word.hasPrefix("--"), let option = options.first(where: { $0.name == name }) else {
                let known = options.map { "--" + $0.name } + ["--help"]
                let typed = word.split(separator: "=").first.map(String.init) ?? word
                let suggestion = Suggestion.closest(to: typed, among: known, limit: 1).first
                throw ParseProblem.message("Unknown option '\(typed)'" + (suggestion.map { ". Did you mean '\($0)'?" } ?? ""))
            }
            if option.type == .flag {
                guard inlineValue == nil else { throw ParseProblem.message("The flag '--\(name)' does not take a value") }
                result[name] = .bool(true)
                continue
            }
            let text: String
            if let inlineValue {
                text = inlineValue
            } else {
                guard index < words.count, !looksLikeOption(words[index]) || option.type == .integer || option.type == .number else {
                    throw ParseProblem.message("Missing value for '\(option.usage(positional: false))'")
                }
                text = words[index]
                index += 1
            }
            let value = try typed(text, option, positional: false)
            if option.repeating {
                if case var .array(items)? = result[name] { items.append(value); result[name] = .array(items) } else { result[name] = .array([value]) }
            } else {
                result[name] = value
            }
        }
        var remaining = positional[...]
        for argument in arguments {
            if argument.repeating {
                result[argument.name] = .array(try remaining.map { try typed($0, argument, positional: true) })
                remaining = []
            } else if let word = remaining.popFirst() {
                result[argument.name] = try typed(word, argument, positional: true)
            }
        }
        if let extra = remaining.first { throw ParseProblem.message("Unexpected argument '\(extra)'") }
        for argument in arguments + options where result[argument.name] == nil {
            if let defaultValue = argument.defaultValue {
                result[argument.name] = defaultValue
            } else if argument.type == .flag {
                result[argument.name] = .bool(false)
            } else if argument.repeating {
                if argument.required { throw ParseProblem.message("Missing expected argument '\(argument.usage(positional: arguments.contains(argument)))'") }
                result[argument.name] = .array([])
            } else if argument.required || arguments.contains(argument) {
                throw ParseProblem.message("Missing expected argument '\(argument.usage(positional: arguments.contains(argument)))'")
            }
        }
        return result
    }

    private func typed(_ text: String, _ argument: ArgumentDeclaration, positional: Bool) throws -> JSONValue {
        func invalid(_ expected: String) -> ParseProblem {
            .message("The value '\(ValleyError.clip(text))' is invalid for '\(argument.usage(positional: positional))': expected \(expected)")
        }
        if let allowed = argument.values, !allowed.contains(text) {
            throw ParseProblem.message("The value '\(ValleyError.clip(text))' is invalid for '\(argument.usage(positional: positional))'. Please provide one of " + allowed.map { "'\($0)'" }.joined(separator: ", "))
        }
        switch argument.type {
        case .text, .flag: return .string(text)
        case .integer:
            guard let number = Int(text), abs(number) <= 1 << 53 else { throw invalid("a whole number") }
            return .integer(number)
        case .number:
            guard let number = Double(text), number.isFinite else { throw invalid("a number") }
            return .number(number)
        case .date:
            guard let date = CalendarDate(text) else { throw invalid("a date like 2024, 2024-05 or 2024-05-17") }
            return .string(date.description)
        }
    }

    // MARK: - Help

    /// The help text, laid out as argument-parser lays out a built-in's.
    public func helpText(namespace: String) -> String {
        let path = "\(namespace) \(name)"
        var text = ""
        if !summary.isEmpty { text += "OVERVIEW: \(summary)\n\n" }
        if let discussion, !discussion.isEmpty { text += "\(discussion)\n\n" }
        let usage = (arguments.map { $0.synopsis(positional: true) } + options.map { $0.synopsis(positional: false) } + ["[--format <format>]"]).joined(separator: " ")
        text += "USAGE: \(path) \(usage)\n"
        func row(_ label: String, _ help: String) -> String {
            let padded = label.count + 2 < 26 ? "  " + label + String(repeating: " ", count: 24 - label.count) : "  " + label + "\n" + String(repeating: " ", count: 26)
            return padded + help + "\n"
        }
        if !arguments.isEmpty {
            text += "\nARGUMENTS:\n"
            for argument in arguments { text += row(argument.usage(positional: true) + (argument.repeating ? " ..." : ""), argument.describedHelp) }
        }
        text += "\nOPTIONS:\n"
        for option in options { text += row(option.usage(positional: false), option.describedHelp) }
        text += row("--format <format>", "table, csv, json, jsonl or markdown (the shell's, on every command)")
        text += row("-h, --help", "Show help information.")
        if !examples.isEmpty {
            text += "\nEXAMPLES:\n" + examples.map { "  \($0)\n" }.joined()
        }
        return String(text.dropLast())
    }
}

extension ArgumentDeclaration {
    /// `<id>`, `--title <title>` or `--dry-run`.
    public func usage(positional: Bool) -> String {
        if positional { return "<\(name)>" }
        return type == .flag ? "--\(name)" : "--\(name) <\(name)>"
    }

    /// How it appears in the usage line: optional parts in brackets, repeating ones with `...`.
    public func synopsis(positional: Bool) -> String {
        let base = usage(positional: positional) + (repeating ? " ..." : "")
        let optional = positional ? (repeating && !required) || defaultValue != nil : !required
        return optional ? "[\(base)]" : base
    }

    var describedHelp: String {
        var parts = help
        if let values, !values.isEmpty { parts += (parts.isEmpty ? "" : " ") + "(values: \(values.joined(separator: ", ")))" }
        if let defaultValue, type != .flag { parts += (parts.isEmpty ? "" : " ") + "(default: \(defaultValue.text))" }
        return parts
    }
}
