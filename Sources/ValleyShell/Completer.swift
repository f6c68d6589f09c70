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
    }

    /// The most candidates one completion lists.
    public static let limit = 200

    /// Entity names of one command path, sorted by their lower-case form for prefix search,
    /// rebuilt when the model changes.
    private struct NameIndex {
        var generation: Int
        var keys: [String]
        var names: [String]
    }

    private let catalog: CommandCatalog
    private let model: () -> ClusterModel
    private let generation: () -> Int
    private var argumentInfo: [ObjectIdentifier: CommandInfo] = [:]
    private var nameIndexes: [String: NameIndex] = [:]

    /// Creates a completer over a catalog; `model` gives the current model, `generation`
    /// a number that changes whenever the model does.
    public init(catalog: CommandCatalog, model: @escaping () -> ClusterModel, generation: @escaping () -> Int) {
        self.catalog = catalog
        self.model = model
        self.generation = generation
    }

    /// A completer over a session's catalog and model.
    public convenience init(session: Session) {
        self.init(catalog: session.catalog, model: { [unowned session] in session.model },
                  generation: { [unowned session] in session.modelGeneration })
    }

    /// The completions for the text before the cursor.
    public func complete(_ text: String) -> Completion {
        let (words, partial, typed) = Self.split(text)
        let candidates: [String]
        if words.isEmpty {
            candidates = catalog.allCommandNames
        } else if let builtin = builtinCommands[words[0]] {
            candidates = builtinCandidates(builtin, words: words, partial: partial)
        } else if let entry = catalog.entry(named: words[0]) {
            candidates = pluginCandidates(entry, words: words, partial: partial)
        } else {
            candidates = []
        }
        let wanted = partial.lowercased()
        var seen = Set<String>()
        var matches = candidates.filter { $0.lowercased().hasPrefix(wanted) && seen.insert($0).inserted }
        var more = 0
        if let entity = entityCompletion(words: words, partial: wanted) {
            matches += entity.names.filter { seen.insert($0).inserted }
            more = entity.more
        }
        return Completion(partial: partial, typedLength: typed, candidates: matches.sorted().map { candidate in
            candidate.hasSuffix("/") ? candidate : Tokenizer.quote(candidate)
        }, more: more)
    }

    // MARK: - Candidates

    private func builtinCandidates(_ type: any BuiltinCommand.Type, words: [String], partial: String) -> [String] {
        switch words[0] {
        case "help": return words.count == 1 ? catalog.allCommandNames : subcommandNames(words: words)
        case "set": return words.count == 1 ? ["bail", "echo", "timer", "color", "format", "var"]
            : (words[1] == "format" ? OutputFormat.allCases.map(\.rawValue) : ["on", "off"])
        default:
            let info = info(for: type)
            if partial.hasPrefix("-") { return info.flags }
            return info.takesFile ? files(matching: partial) : []
        }
    }

    private func pluginCandidates(_ entry: CommandCatalog.Entry, words: [String], partial: String) -> [String] {
        var type = entry.type
        var path = [entry.name]
        for word in words.dropFirst() {
            guard let next = catalog.commandType(type, path: [word]) else { break }
            type = next
            path.append(word)
        }
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
        return info.takesFile && !hasEntityNames(path) ? files(matching: partial) : []
    }

    // MARK: - Entity names

    /// The plugin command path (`["registry", "show"]`) the words reach, if any.
    private func commandPath(_ words: [String]) -> [String]? {
        guard let first = words.first, let entry = catalog.entry(named: first) else { return nil }
        var type = entry.type
        var path = [entry.name]
        for word in words.dropFirst() {
            guard let next = catalog.commandType(type, path: [word]) else { break }
            type = next
            path.append(word)
        }
        return type.configuration.subcommands.isEmpty ? path : nil
    }

    private func hasEntityNames(_ path: [String]) -> Bool { !(index(for: path)?.keys.isEmpty ?? true) }

    /// Names the plugins offer for the command at `words`, matching the lower-case prefix,
    /// found by binary search in an index built once per model change.
    private func entityCompletion(words: [String], partial: String) -> (names: [String], more: Int)? {
        guard !partial.hasPrefix("-"), let path = commandPath(words), let index = index(for: path) else { return nil }
        if let previous = words.last, previous.hasPrefix("-") { return nil }
        var low = 0, high = index.keys.count
        while low < high {
            let middle = (low + high) / 2
            if index.keys[middle] < partial { low = middle + 1 } else { high = middle }
        }
        var names: [String] = []
        var position = low
        while position < index.keys.count, index.keys[position].hasPrefix(partial) {
            if names.count < Self.limit { names.append(index.names[position]) }
            position += 1
        }
        return (names, position - low - names.count)
    }

    private func index(for path: [String]) -> NameIndex? {
        let key = path.joined(separator: " ")
        let current = generation()
        if let cached = nameIndexes[key], cached.generation == current { return cached }
        let model = model()
        let names = Array(Set(catalog.plugins.flatMap { $0.completions(for: path, in: model) }))
        let sorted = names.map { ($0.lowercased(), $0) }.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        let built = NameIndex(generation: current, keys: sorted.map(\.0), names: sorted.map(\.1))
        nameIndexes[key] = built
        return built
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
