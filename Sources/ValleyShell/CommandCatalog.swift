import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
@_spi(Shell) import ValleyCore

/// Every command word the shell knows: built-ins first (plugins cannot replace them), then
/// each plugin's top-level commands.
public struct CommandCatalog: Sendable {
    /// A top-level plugin command and the plugin that provides it.
    struct Entry: Sendable {
        let name: String
        let namespace: String
        let type: any ParsableCommand.Type
    }

    let plugins: [any ValleyPlugin]
    let entries: [Entry]
    private let index: [String: Int]

    /// Builds the catalog of the given plugins.
    public init(plugins: [any ValleyPlugin]) {
        self.plugins = plugins
        var entries: [Entry] = []
        for plugin in plugins {
            for type in plugin.commands {
                let name = type.configuration.commandName ?? type._commandName
                if builtinCommands[name] == nil, !entries.contains(where: { $0.name == name }) {
                    entries.append(Entry(name: name, namespace: plugin.namespace, type: type))
                }
            }
        }
        self.entries = entries
        self.index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    /// The top-level plugin command with this name.
    func entry(named name: String) -> Entry? { index[name].map { entries[$0] } }

    /// Every top-level command word: built-ins and plugin commands.
    var allCommandNames: [String] { builtinCommands.keys.sorted() + entries.map(\.name) }

    /// The closest known command path to an unknown one, for "did you mean".
    func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    // MARK: - Running a plugin command

    /// What running a plugin command gave: its changes (an undo level), its output, and its own format.
    struct Outcome {
        var changes: ChangeSet
        var output: [OutputBlock]
        var format: OutputFormat?
        var failure: String? = nil
    }

    /// Parses `words` (the first is the command name) with `parseAsRoot` and runs the result
    /// on `model`. When parsing or running fails, the command's changes are rolled back from
    /// the model's journal and the model is exactly as it was.
    /// - Complexity: the command's own work; setting up and rolling back are O(1) and O(change).
    func run(_ entry: Entry, words: [String], model: inout ClusterModel, workingDirectory: String, sessionFormat: OutputFormat = .table) throws -> Outcome {
        let (words, requested) = try Self.extractFormat(words)
        // `registry help show`: what argument-parser's group help says to type ("See
        // 'registry help <subcommand>'"), the same as `help registry show`.
        if words.count >= 2, words[1] == "help" {
            let path = [entry.name] + words.dropFirst(2)
            guard let text = helpText(for: path) else {
                throw ValleyError.unknownCommand(path.joined(separator: " "), suggestion: nil)
            }
            return Outcome(changes: model.takeChanges(), output: [.text(text)], format: nil)
        }
        let (type, path, arguments) = try resolve(entry, words: words)
        let format = requested ?? sessionFormat
        if format == .xlsx, type.configuration.commandName != "export" {
            throw ValleyError.invalidValue(field: "--format", value: "xlsx", expected: "table, csv, json, jsonl or markdown (xlsx is a file format: 'registry export FILE.xlsx')")
        }
        let name = path.joined(separator: " ")
        // Parsing the leaf type itself, not the namespace group, skips the group's own
        // argument set and completion-script checks: most of argument-parser's cost.
        guard var command = try parseCommand(type, arguments, name: name) as? any ValleyCommand else {
            return Outcome(changes: model.takeChanges(), output: [.text(entry.type.helpMessage(for: type))], format: nil)
        }
        // The model moves into the context (swapped, so that no second reference makes its
        // tables copy on the first change) and back out, whatever happens.
        var context = CommandContext(model: ClusterModel(kinds: []), workingDirectory: workingDirectory, format: format, requestedFormat: requested)
        swap(&context.model, &model)
        defer { swap(&context.model, &model) }
        do {
            try reportingValidation(name: name) { try command.run(in: &context) }
        } catch {
            context.model.rollBack()
            throw error
        }
        return Outcome(changes: context.model.takeChanges(), output: context.output, format: requested, failure: context.failure)
    }

    /// `--format FMT` (or `--format=FMT`) taken out of a command line: the shell's option,
    /// the same for every command. The last one given wins.
    static func extractFormat(_ words: [String]) throws -> (words: [String], format: OutputFormat?) {
        guard words.contains(where: { $0.hasPrefix("--format") }) else { return (words, nil) }
        var kept: [String] = []
        var format: OutputFormat?
        var index = 0
        func parse(_ value: String) throws -> OutputFormat {
            guard let parsed = OutputFormat(rawValue: value.lowercased()) else {
                throw ValleyError.invalidValue(field: "--format", value: value, expected: OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return parsed
        }
        while index < words.count {
            let word = words[index]
            if word == "--" { kept += words[index...]; break }
            if word == "--format" {
                guard index + 1 < words.count else { throw ValleyError.usage("--format needs a value: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))") }
                format = try parse(words[index + 1])
                index += 2
                continue
            }
            if word.hasPrefix("--format=") {
                format = try parse(String(word.dropFirst(9)))
                index += 1
                continue
            }
            kept.append(word)
            index += 1
        }
        return (kept, format)
    }

    /// Follows subcommand names from the namespace's group to the command to parse; an
    /// unknown subcommand is an error with a suggestion.
    private func resolve(_ entry: Entry, words: [String]) throws -> (any ParsableCommand.Type, [String], [String]) {
        var type = entry.type
        var path = [entry.name]
        var rest = words.dropFirst()
        while !type.configuration.subcommands.isEmpty {
            guard let word = rest.first, !word.hasPrefix("-") else {
                if let fallback = type.configuration.defaultSubcommand { type = fallback }
                break
            }
            guard let next = commandType(type, path: [word]) else {
                if let fallback = type.configuration.defaultSubcommand {
                    type = fallback
                    break
                }
                let names = type.configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases }
                let suggestion = self.suggestion(for: word, among: names).map { (path + [$0]).joined(separator: " ") }
                throw ValleyError.unknownCommand((path + [word]).joined(separator: " "), suggestion: suggestion)
            }
            type = next
            path.append(word)
            rest = rest.dropFirst()
        }
        return (type, path, Array(rest))
    }

    // MARK: - Help

    /// The help text of a plugin command path such as `["registry", "show"]`.
    func helpText(for path: [String]) -> String? {
        guard let first = path.first, let entry = entry(named: first) else { return nil }
        guard let type = commandType(entry.type, path: Array(path.dropFirst())) else { return nil }
        return entry.type.helpMessage(for: type)
    }

    /// The command type reached from `root` by following subcommand names.
    func commandType(_ root: any ParsableCommand.Type, path: [String]) -> (any ParsableCommand.Type)? {
        var current = root
        for word in path {
            guard let next = current.configuration.subcommands.first(where: {
                $0._commandName == word || $0.configuration.aliases.contains(word)
            }) else { return nil }
            current = next
        }
        return current
    }
}

// MARK: - Helpers

/// Parses `arguments` as `type` with `parseAsRoot`; nil when they ask for help, otherwise a
/// one-line usage error naming the command.
func parseCommand(_ type: any ParsableCommand.Type, _ arguments: [String], name: String) throws -> (any ParsableCommand)? {
    do {
        return try type.parseAsRoot(arguments)
    } catch {
        if type.exitCode(for: error) == .success { return nil }
        throw ValleyError.usage("\(name): \(lowercasedFirst(type.message(for: error))); see 'help \(name)'")
    }
}

/// Runs a command's body, turning argument-parser's `ValidationError` into a usage error.
func reportingValidation(name: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ValidationError {
        throw ValleyError.usage("\(name): \(error.message)")
    }
}

func lowercasedFirst(_ text: String) -> String {
    let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    let trimmed = firstLine.hasPrefix("Error: ") ? String(firstLine.dropFirst(7)) : firstLine
    guard let first = trimmed.first else { return trimmed }
    return first.lowercased() + trimmed.dropFirst()
}

/// Levenshtein distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int { Suggestion.editDistance(Array(a), Array(b)) }
