import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ValleyCore
import ValleyPluginHost

/// Tab completion: command names, subcommands, flags (read from the argument-parser
/// definitions), entity names the plugins offer from the model, and file paths.
public final class Completer {
    /// What to do with the word under the cursor.
    public struct Completion: Equatable, Sendable {
        /// The partial word, unquoted.
        public var partial: String
        /// How many characters before the cursor the partial word takes as typed.
        public var typedLength: Int
        /// The full candidates, already quoted where needed (at most `limit`).
        public var candidates: [String]
        /// How many more names matched than are listed.
        public var more = 0
        /// What to show for each candidate when they are listed (nil: the candidates), e.g.
        /// the last word of a `--where` expression rather than the whole expression.
        public var listed: [String]? = nil
        /// False when the inserted candidate continues a word the user goes on typing (inside
        /// an open quote of a `--where` expression): no space is added after it.
        public var isComplete = true
    }

    /// The most candidates one completion lists.
    public static let limit = 200

    /// The last names found, kept for the next Tab on the same word (libedit asks twice: to
    /// complete, then to list).
    private struct LastNames {
        var generation: Int
        var kind: String
        var partial: String
        var matches: NamePrefixMatches
    }

    private let catalog: CommandCatalog
    private let model: () -> ClusterModel
    private let generation: () -> Int
    private var argumentInfo: [ObjectIdentifier: CommandInfo] = [:]
    private let prepareNames: (String) -> Void
    private var lastNames: LastNames?
    private let pluginHost: PluginHost?

    /// Creates a completer over a catalog; `model` gives the current model, `generation`
    /// a number that changes whenever the model does, and `prepareNames` builds the name index
    /// of a kind in the model if it has none (the store keeps it current after that).
    public init(catalog: CommandCatalog, model: @escaping () -> ClusterModel, generation: @escaping () -> Int,
                prepareNames: @escaping (String) -> Void = { _ in }, pluginHost: PluginHost? = nil) {
        self.catalog = catalog
        self.pluginHost = pluginHost
        self.model = model
        self.generation = generation
        self.prepareNames = prepareNames
    }

    /// A completer over a session's catalog and model.
    public convenience init(session: Session) {
        self.init(catalog: session.catalog, model: { [unowned session] in session.model },
                  generation: { [unowned session] in session.modelGeneration },
                  prepareNames: { [unowned session] kind in session.model.prepareCompletion(kind: kind) },
                  pluginHost: session.pluginHost)
    }

    /// The completions for the text before the cursor.
    public func complete(_ text: String) -> Completion {
        let (words, partial, typed) = Self.split(text)
        let candidates: [String]
        if words.isEmpty {
            candidates = allCommandNames
        } else if let plugin = pluginHost?.plugin(named: words[0]), catalog.entry(named: words[0]) == nil, builtinCommands[words[0]] == nil {
            return externalCompletion(plugin, words: words, partial: partial, typed: typed, typedText: String(text.suffix(typed)))
        } else if let builtin = builtinCommands[words[0]] {
            candidates = builtinCandidates(builtin, words: words, partial: partial)
        } else if let entry = catalog.entry(named: words[0]) {
            if let values = pluginValues(entry, words: words, partial: partial) {
                return complete(values, partial: partial, typed: typed, typedText: String(text.suffix(typed)))
            }
            candidates = pluginCandidates(entry, words: words, partial: partial)
        } else {
            candidates = []
        }
        return Completion(partial: partial, typedLength: typed, candidates: Self.matching(candidates, partial).map(Self.quoted))
    }

    /// The candidates that start with `partial` ignoring case, each once, sorted.
    private static func matching(_ candidates: [String], _ partial: String) -> [String] {
        let wanted = partial.lowercased()
        var seen = Set<String>()
        return candidates.filter { $0.lowercased().hasPrefix(wanted) && seen.insert($0).inserted }.sorted()
    }

    private static func quoted(_ candidate: String) -> String { candidate.hasSuffix("/") ? candidate : Tokenizer.quote(candidate) }

    /// Completes an argument whose values a plugin declared.
    private func complete(_ values: ArgumentValues, partial: String, typed: Int, typedText: String) -> Completion {
        switch values {
        case let .records(kind):
            let (names, ids, more) = recordNames(kind: kind, partial: partial.lowercased())
            // One record matched by several of its names (`IA` → "IASO Bio", iaso-bio): insert its id.
            if Set(ids).count == 1, names.count > 1, more == 0 {
                return Completion(partial: partial, typedLength: typed, candidates: [Self.quoted(ids[0])])
            }
            return Completion(partial: partial, typedLength: typed, candidates: names.map(Self.quoted), more: more)
        case let .fields(kind):
            // A comma-separated list (`--fields id,na`): complete its last item.
            let head = partial.lastIndex(of: ",").map { String(partial[...$0]) } ?? ""
            let last = String(partial.dropFirst(head.count))
            let fields = Self.matching(fieldNames(kind: kind), last)
            return Completion(partial: partial, typedLength: typed, candidates: fields.map { Self.quoted(head + $0) },
                              listed: head.isEmpty ? nil : fields)
        case let .filter(kind):
            return filterCompletion(kind: kind, partial: partial, typed: typed, typedText: typedText)
        case .files:
            return Completion(partial: partial, typedLength: typed, candidates: Self.matching(files(matching: partial), partial).map(Self.quoted))
        case let .words(words):
            return Completion(partial: partial, typedLength: typed, candidates: Self.matching(words, partial).map(Self.quoted))
        }
    }

    // MARK: - Candidates

    private func builtinCandidates(_ type: any BuiltinCommand.Type, words: [String], partial: String) -> [String] {
        switch words[0] {
        case "help":
            if words.count == 1 { return allCommandNames }
            if words.count == 2, let plugin = pluginHost?.plugin(named: words[1]) { return plugin.declaration.commands.map(\.name) }
            return subcommandNames(words: words)
        case "plugin":
            if words.count == 1 { return ["add", "list", "info", "remove", "require"] }
            switch words[1] {
            case "add": return files(matching: partial)
            case "info", "remove", "require": return (pluginHost?.plugins.map(\.namespace) ?? []) + (words[1] == "info" ? catalog.plugins.map(\.namespace) : [])
            default: return []
            }
        case "set":
            if words.count == 1 { return ["bail", "echo", "timer", "color", "pager", "expanded", "format", "undo-memory", "read-limit", "plugin-timeout", "plugin-idle", "var"] }
            switch words[1] {
            case "format": return OutputFormat.allCases.filter { $0 != .xlsx }.map(\.rawValue)
            case "expanded": return Session.Settings.Expanded.allCases.map(\.rawValue)
            case "bail", "echo", "timer", "color", "pager": return ["on", "off"]
            default: return []
            }
        default:
            let info = info(for: type)
            if partial.hasPrefix("-") { return info.flags }
            return info.takesFile ? files(matching: partial) : []
        }
    }

    /// The plugin's declaration for the argument under the cursor, when it declares one (and
    /// the shell's for `--source` and `--sector`, core kinds every plugin names).
    private func pluginValues(_ entry: CommandCatalog.Entry, words: [String], partial: String) -> ArgumentValues? {
        guard !partial.hasPrefix("-") else { return nil }
        let (type, path) = command(entry, words: words)
        guard type.configuration.subcommands.isEmpty || path.count < words.count else { return nil }
        let info = info(for: type)
        var option: String?
        // After an option that takes a value, that value; after a flag (or none), a positional.
        if let previous = words.last, previous.hasPrefix("-"), let declared = info.options[previous] {
            if !declared.values.isEmpty { return nil }  // enumerated: argument-parser's own choices
            option = previous
        }
        let plugin = catalog.plugins.first { $0.namespace == entry.namespace }
        if let values = plugin?.argumentValues(for: path, option: option) { return values }
        switch option {
        case "--source"?: return .records(Source.kind.name)
        case "--sector"?: return .records(Sector.kind.name)
        default: return nil
        }
    }

    /// The command the words reach (a group stops where a word is not one of its
    /// subcommands) and its path, e.g. `["registry", "show"]`.
    private func command(_ entry: CommandCatalog.Entry, words: [String]) -> (type: any ParsableCommand.Type, path: [String]) {
        var type = entry.type
        var path = [entry.name]
        for word in words.dropFirst() {
            guard let next = catalog.commandType(type, path: [word]) else { break }
            type = next
            path.append(word)
        }
        return (type, path)
    }

    private func pluginCandidates(_ entry: CommandCatalog.Entry, words: [String], partial: String) -> [String] {
        let (type, path) = command(entry, words: words)
        let subcommands = type.configuration.subcommands
        if !subcommands.isEmpty, path.count == words.count, !partial.hasPrefix("-") {
            return subcommands.map { $0._commandName }
        }
        let info = info(for: type)
        if partial.hasPrefix("-") { return info.flags }
        if let previous = words.last, previous.hasPrefix("-"), let option = info.options[previous] {
            if !option.values.isEmpty { return option.values }
            if option.isFile { return files(matching: partial) }
        }
        return info.takesFile ? files(matching: partial) : []
    }

    /// Every command word, the added plugins' included.
    private var allCommandNames: [String] { catalog.allCommandNames + (pluginHost?.plugins.map(\.namespace) ?? []) }

    /// Completes an external plugin's command from its declaration, exactly as a built-in's:
    /// command names, options, and values from the store (or, for arguments declared so, from
    /// the plugin itself).
    private func externalCompletion(_ plugin: InstalledPlugin, words: [String], partial: String, typed: Int, typedText: String) -> Completion {
        func plain(_ candidates: [String]) -> Completion {
            Completion(partial: partial, typedLength: typed, candidates: Self.matching(candidates, partial).map(Self.quoted))
        }
        guard words.count >= 2 else { return plain(plugin.declaration.commands.map(\.name) + ["help"]) }
        if words[1] == "help" { return plain(words.count == 2 ? plugin.declaration.commands.map(\.name) : []) }
        guard let command = plugin.command(named: words[1]) else { return plain([]) }
        if partial.hasPrefix("-") { return plain(command.options.map { "--" + $0.name } + ["--format", "--help"]) }
        var argument: ArgumentDeclaration?
        if let previous = words.last, previous.hasPrefix("--") {
            if previous == "--format" { return plain(OutputFormat.allCases.filter { $0 != .xlsx }.map(\.rawValue)) }
            argument = command.options.first { "--" + $0.name == previous && $0.type != .flag }
        }
        if argument == nil {
            // The positional argument under the cursor: words after the command that are not
            // options or option values.
            var position = 0
            var index = 2
            while index < words.count {
                let word = words[index]
                if word.hasPrefix("--") {
                    let option = command.options.first { "--" + $0.name == word }
                    index += option?.type == .flag || word.contains("=") ? 1 : 2
                    continue
                }
                position += 1
                index += 1
            }
            argument = position < command.arguments.count ? command.arguments[position] : command.arguments.last.flatMap { $0.repeating ? $0 : nil }
        }
        guard let argument else { return plain([]) }
        if let values = argument.values { return plain(values) }
        guard let source = argument.complete else { return plain([]) }
        if source.plugin == true {
            let values = pluginHost?.complete(plugin, command: command.name, argument: argument.name, partial: partial) ?? []
            return plain(values)
        }
        let declared: ArgumentValues?
        if let kind = source.records { declared = .records(kind) }
        else if let kind = source.fields { declared = .fields(kind) }
        else if let kind = source.filter { declared = .filter(kind) }
        else if source.files == true { declared = .files }
        else { declared = nil }
        guard let declared else { return plain([]) }
        return complete(declared, partial: partial, typed: typed, typedText: typedText)
    }

    // MARK: - Record names, fields and filters

    private func kind(named name: String) -> (any AnyRecordKind)? {
        model().table(named: name)?.kind
    }

    /// Ids and names of a kind's records that start with `partial` (lower case), found through
    /// the store's name index (built on the first Tab, then kept current by every edit).
    private func recordNames(kind: String, partial: String) -> (names: [String], ids: [String], more: Int) {
        let current = generation()
        if let last = lastNames, last.generation == current, last.kind == kind, last.partial == partial {
            return (last.matches.names, last.matches.ids, last.matches.more)
        }
        prepareNames(kind)
        guard let matches = model().table(named: kind)?.names(startingWith: partial, limit: Self.limit) else { return ([], [], 0) }
        lastNames = LastNames(generation: current, kind: kind, partial: partial, matches: matches)
        return (matches.names, matches.ids, matches.more)
    }

    private func fieldNames(kind: String) -> [String] { self.kind(named: kind)?.fieldNames ?? [] }

    /// Completes the last word of a `--where` expression: a field name (or `not`, `has`), an
    /// operator after a field, or a value the records hold after an operator (or after `has`).
    /// The candidate is the whole expression so far with that word completed, left inside an
    /// open double quote so that the user goes on typing the expression.
    private func filterCompletion(kind: String, partial: String, typed: Int, typedText: String) -> Completion {
        let tokens = FilterWords(partial)
        let last = tokens.last
        let previous = tokens.before
        let fields = fieldNames(kind: kind)
        let comparisons = ["=", "!=", "<", "<=", ">", ">=", "~"]
        let operators = comparisons + ["in", "is"]
        var words: [String]
        let op = previous.last ?? ""
        let beforeOp = previous.dropLast().last ?? ""
        if op == "in" {
            words = ["("]
        } else if comparisons.contains(op) || op == "has" || (op == "(" && beforeOp == "in") || (op == "," && tokens.fieldBeforeOperator != nil) {
            let field = op == "has" ? "designation" : tokens.fieldBeforeOperator
            let values = field.flatMap { name in self.kind(named: kind)?.fieldValues(name, in: model(), limit: 10_000) } ?? []
            // A value with a space or the language's punctuation is written in single quotes;
            // one with a single quote cannot be, and is left out.
            words = values.filter { !$0.contains("'") }.map { value in
                value.contains(where: { " ,()=<>!~\"".contains($0) }) ? "'\(value)'" : value
            }
        } else if op == "is" {
            words = ["missing", "not"]
        } else if op == "not", beforeOp == "is" {
            words = ["missing"]
        } else if fields.contains(op), !comparisons.contains(beforeOp), beforeOp != "has" {
            words = operators + ["is missing", "is not missing"]
        } else if op == ")" || op == "missing" || (!op.isEmpty && (comparisons.contains(beforeOp) || beforeOp == "has")) {
            words = ["and", "or", ")"]  // after a whole term
        } else {
            words = fields + ["not", "has", "("]
        }
        let head = String(partial.dropLast(last.count))
        // A quoted value matches what is typed with or without its opening quote.
        func unquoted(_ text: String) -> String { text.hasPrefix("'") ? String(text.dropFirst()) : text }
        let typedWord = unquoted(last).lowercased()
        var seen = Set<String>()
        let matches = words.filter { unquoted($0).lowercased().hasPrefix(typedWord) && seen.insert($0).inserted }.sorted()
        // Inside "…" the shell expands \, " and $: escaped, so the expression arrives as shown.
        func escaped(_ text: String) -> String {
            text.reduce(into: "") { result, character in
                if character == "\\" || character == "\"" || character == "$" { result.append("\\") }
                result.append(character)
            }
        }
        return Completion(partial: partial, typedLength: typed, candidates: matches.map { "\"" + escaped(head + $0) },
                          listed: matches, isComplete: false)
    }

    private func subcommandNames(words: [String]) -> [String] {
        guard let entry = catalog.entry(named: words[1]),
              let type = catalog.commandType(entry.type, path: Array(words.dropFirst(2))) else { return [] }
        return type.configuration.subcommands.map { $0._commandName }
    }

    private func files(matching partial: String) -> [String] {
        let directoryPart = partial.contains("/") ? String(partial[...partial.lastIndex(of: "/")!]) : ""
        let listed = directoryPart.isEmpty ? "." : (directoryPart.hasPrefix("~/") ? (ProcessEnvironment.home ?? "") + directoryPart.dropFirst() : directoryPart)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
        return names.filter { !$0.hasPrefix(".") || partial.hasPrefix(directoryPart + ".") }.map { name in
            directoryPart + name + (FileIO.entry(at: listed + "/" + name) == .directory ? "/" : "")
        }
    }

    // MARK: - Argument definitions

    struct CommandInfo {
        struct Option { var values: [String]; var isFile: Bool }
        var flags: [String] = []
        var options: [String: Option] = [:]
        var takesFile = false
    }

    /// Reads a command's arguments from argument-parser's JSON description (`_dumpHelp`, the
    /// data behind `--experimental-dump-help`); computed once per command type.
    private func info(for type: any ParsableCommand.Type) -> CommandInfo {
        let key = ObjectIdentifier(type)
        if let cached = argumentInfo[key] { return cached }
        var info = CommandInfo()
        if let data = type._dumpHelp().data(using: .utf8),
           let dump = try? JSONDecoder().decode(DumpedTool.self, from: data) {
            for argument in dump.command.arguments ?? [] {
                let isFile = argument.completionKind?.file != nil
                if argument.kind == "positional", isFile { info.takesFile = true }
                for name in argument.names ?? [] where name.kind == "long" || name.kind == "short" {
                    let flag = (name.kind == "long" ? "--" : "-") + name.name
                    info.flags.append(flag)
                    if argument.kind == "option" {
                        info.options[flag] = CommandInfo.Option(values: argument.allValues ?? [], isFile: isFile)
                    }
                }
            }
        }
        // `--format` is the shell's, on every plugin command (`CommandCatalog.extractFormat`).
        if !info.flags.contains("--format") {
            info.flags.append("--format")
            info.options["--format"] = CommandInfo.Option(values: OutputFormat.allCases.map(\.rawValue), isFile: false)
        }
        argumentInfo[key] = info
        return info
    }

    private struct DumpedTool: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable {
            struct Name: Decodable { var kind: String; var name: String }
            struct Completion: Decodable { var file: Extensions? }
            struct Extensions: Decodable {}
            var kind: String
            var names: [Name]?
            var allValues: [String]?
            var completionKind: Completion?
        }
        var command: Command
    }

    // MARK: - Splitting the line

    /// The complete words before the cursor, the partial word under it (unquoted), and how
    /// many characters that partial word takes as typed (quotes and escapes included).
    static func split(_ text: String) -> (words: [String], partial: String, typedLength: Int) {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        var escaped = false
        var position = 0
        var start = 0
        for character in text {
            defer { position += 1 }
            if !inWord { start = position }
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\", quote != "'" { escaped = true; inWord = true; continue }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "'" || character == "\"" { quote = character; inWord = true; continue }
            if character == " " || character == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(character)
            inWord = true
        }
        return (words, current, inWord ? position - start : 0)
    }

    /// The longest common prefix of the candidates.
    static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
