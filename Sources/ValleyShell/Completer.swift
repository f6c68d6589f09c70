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
        /// The full candidates, already quoted where needed.
        public var candidates: [String]
    }

    private let catalog: CommandCatalog
    private let model: () -> ClusterModel
    private var argumentInfo: [ObjectIdentifier: CommandInfo] = [:]

    /// Creates a completer over a catalog; `model` gives the current model on each call.
    public init(catalog: CommandCatalog, model: @escaping () -> ClusterModel) {
        self.catalog = catalog
        self.model = model
    }

    convenience init(session: Session) {
        self.init(catalog: session.catalog) { [unowned session] in session.model }
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
        let matches = candidates.filter { $0.lowercased().hasPrefix(wanted) && seen.insert($0).inserted }
        return Completion(partial: partial, typedLength: typed, candidates: matches.sorted().map { candidate in
            candidate.hasSuffix("/") ? candidate : Tokenizer.quote(candidate)
        })
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
        let names = catalog.plugins.flatMap { $0.completions(for: path, in: model()) }
        return names.isEmpty && info.takesFile ? files(matching: partial) : names
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
