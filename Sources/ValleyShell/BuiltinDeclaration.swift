#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import ValleyCore
import ValleyPluginHost

/// A built-in plugin described with the declaration an external plugin sends: its commands
/// read from argument-parser's own description (`_dumpHelp`), its kinds from the store. What
/// `plugin info registry` shows, in the same form as `plugin info trials`.
enum BuiltinDeclaration {
    static func make(for plugin: any ValleyPlugin, catalog: CommandCatalog) -> PluginDeclaration {
        var commands: [CommandDeclaration] = []
        for entry in catalog.entries where entry.namespace == plugin.namespace {
            guard let data = entry.type._dumpHelp().data(using: .utf8),
                  let dump = try? JSONDecoder().decode(Dump.self, from: data) else { continue }
            collect(dump.command, path: [], into: &commands)
        }
        let kinds = plugin.kinds.map { kind in
            let references = Dictionary(kind.referenceDescriptions.map { ($0.field, $0.target) }, uniquingKeysWith: { first, _ in first })
            return KindDeclaration(name: kind.name, label: kind.label, fields: kind.fieldDescriptions.filter { $0.name != "id" }.map { field in
                FieldDeclaration(name: field.name, type: FieldDeclaration.FieldType(rawValue: field.kind == "number" ? "number" : field.kind) ?? .text,
                                 help: field.summary, references: references[field.name])
            }, schemaVersion: kind.schemaVersion)
        }
        return PluginDeclaration(namespace: plugin.namespace, summary: plugin.summary, commands: commands, kinds: kinds)
    }

    private static func collect(_ command: Dump.Command, path: [String], into commands: inout [CommandDeclaration]) {
        let subcommands = command.subcommands ?? []
        if subcommands.isEmpty, !path.isEmpty {
            do {
                var declaration = CommandDeclaration(name: path.joined(separator: " "), summary: command.abstract ?? "", discussion: command.discussion)
                for argument in command.arguments ?? [] {
                    guard let name = argument.names?.first(where: { $0.kind == "long" })?.name ?? argument.valueName, name != "help" else { continue }
                    let type: ArgumentDeclaration.ValueType = argument.kind == "flag" ? .flag : .text
                    let declared = ArgumentDeclaration(name: name, type: type, help: argument.abstract ?? "", required: !(argument.isOptional ?? false),
                                                       repeating: argument.isRepeating ?? false, values: argument.allValues)
                    if argument.kind == "positional" { declaration.arguments.append(declared) } else { declaration.options.append(declared) }
                }
                commands.append(declaration)
            }
        }
        for sub in subcommands where sub.commandName != "help" {
            collect(sub, path: path + [sub.commandName], into: &commands)
        }
    }

    private struct Dump: Decodable {
        struct Command: Decodable {
            var commandName: String
            var abstract: String?
            var discussion: String?
            var subcommands: [Command]?
            var arguments: [Argument]?
        }
        struct Argument: Decodable {
            struct Name: Decodable { var kind: String; var name: String }
            var kind: String
            var names: [Name]?
            var valueName: String?
            var isOptional: Bool?
            var isRepeating: Bool?
            var abstract: String?
            var allValues: [String]?
        }
        var command: Command
    }
}
