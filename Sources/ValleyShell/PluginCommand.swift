import ArgumentParser
@_spi(Shell) import ValleyCore
import ValleyPluginHost

/// `plugin add|list|info|remove|require`: the external plugins (docs/plugin-protocol.md).
struct PluginCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin", abstract: "Add, list, describe, remove or require external plugins.",
        discussion: "An external plugin is an executable speaking Valley's plugin protocol over stdin and stdout (docs/plugin-protocol.md). Only plugins added with 'plugin add' run, and only while their executable is unchanged.",
        subcommands: [Add.self, List.self, Info.self, Remove.self, Require.self], defaultSubcommand: List.self)

    mutating func run(in session: Session) throws {
        var list = List()
        try list.run(in: session)
    }

    struct Add: BuiltinCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Run an executable once, cache its declaration and pin its SHA-256.",
            discussion: "Adding a plugin again (after its executable changed) replaces it.")

        @Argument(help: "The plugin executable.", completion: .file()) var path: String

        mutating func run(in session: Session) throws {
            let reserved = Set(builtinCommands.keys).union(session.catalog.entries.map(\.name)).union(session.catalog.plugins.map(\.namespace))
            let known = Set(recordKinds(plugins: session.catalog.plugins).map(\.name))
            let (plugin, replaced) = try session.pluginHost.add(path: session.resolve(path), reserved: reserved, knownKinds: known,
                                                                checkExisting: session.checkExistingRecords)
            session.adoptPluginKinds()
            // Records of its kinds kept from a workspace opened without it come into its tables.
            var adopted = 0
            do {
                for kind in session.pluginHost.kinds where kind.owner == plugin.namespace {
                    adopted += try session.model.adoptKeptRecords(of: kind)
                }
            } catch {
                session.model.rollBack()
                session.note("the kept records of plugin '\(plugin.namespace)' stay kept: \(ValleyError.describe(error))")
            }
            session.commit(session.model.takeChanges())
            let kinds = plugin.declaration.kinds.map(\.name)
            session.status("\(replaced ? "replaced" : "added") plugin '\(plugin.namespace)' (protocol \(plugin.protocolVersion); \(plugin.declaration.commands.count) command\(plugin.declaration.commands.count == 1 ? "" : "s")"
                + (kinds.isEmpty ? "" : "; kinds: \(kinds.joined(separator: ", "))") + (adopted > 0 ? "; \(adopted) kept record\(adopted == 1 ? "" : "s") adopted" : "") + ")")
        }
    }

    struct List: BuiltinCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the added plugins.")

        mutating func run(in session: Session) throws {
            // Paths are in `plugin info NAME` (they differ from machine to machine; this table is
            // what a script's golden output can hold).
            var table = Table(columns: ["plugin", "protocol", "commands", "kinds", "state"])
            for plugin in session.pluginHost.plugins {
                let state = FileIO.entry(at: plugin.path) != .file ? "missing" : session.pluginHost.isUnchanged(plugin) ? "ok" : "changed"
                table.append([.text(plugin.namespace), .integer(plugin.protocolVersion), .text(plugin.declaration.commands.map(\.name).joined(separator: ", ")),
                              .text(plugin.declaration.kinds.map(\.name).joined(separator: ", ")), .text(state)])
            }
            session.write(session.settings.format.render(table))
        }
    }

    struct Info: BuiltinCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a plugin's declaration: commands, arguments and kinds.")

        @Argument(help: "The plugin's name (an added or a built-in one).") var name: String

        mutating func run(in session: Session) throws {
            let declaration: PluginDeclaration
            var facts: [(String, String)] = []
            if let plugin = session.pluginHost.plugin(named: name) {
                declaration = plugin.declaration
                facts = [("path", plugin.path), ("sha256", plugin.sha256), ("protocol", String(plugin.protocolVersion)), ("added", plugin.added)]
            } else if let builtin = session.catalog.plugins.first(where: { $0.namespace == name }) {
                declaration = BuiltinDeclaration.make(for: builtin, catalog: session.catalog)
                facts = [("path", "built in")]
            } else {
                throw PluginError.notAdded(name: name, suggestion: session.pluginHost.suggestion(for: name))
            }
            var about = Table(columns: ["field", "value"])
            about.append(["plugin", .text(declaration.namespace)])
            about.append(["summary", .text(declaration.summary)])
            if let version = declaration.version { about.append(["version", .text(version)]) }
            for (field, value) in facts { about.append([.text(field), .text(value)]) }
            var commands = Table(columns: ["command", "usage", "what it does"])
            for command in declaration.commands {
                let usage = (command.arguments.map { $0.synopsis(positional: true) } + command.options.map { $0.synopsis(positional: false) }).joined(separator: " ")
                commands.append([.text("\(declaration.namespace) \(command.name)"), .text(usage), .text(command.summary)])
            }
            var kinds = Table(columns: ["kind", "field", "type", "required", "refers to"])
            for kind in declaration.kinds {
                kinds.append([.text(kind.name), .text(kind.key), "text", .boolean(true), .empty])
                for field in kind.fields {
                    kinds.append([.text(kind.name), .text(field.name), .text(field.type.rawValue), .boolean(field.required), field.references.map(Cell.text) ?? .empty])
                }
            }
            let blocks: [OutputBlock] = [.table(about.named("plugin")), .table(commands.named("commands"))] + (declaration.kinds.isEmpty ? [] : [.table(kinds.named("kinds"))])
            session.write(session.settings.format.render(blocks).data)
        }
    }

    struct Remove: BuiltinCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Forget an added plugin (its records stay in the model and in saved workspaces).")

        @Argument(help: "The plugin's name.") var name: String

        mutating func run(in session: Session) throws {
            let plugin = try session.pluginHost.remove(name)
            session.status("removed plugin '\(plugin.namespace)'; its records stay in the model and are saved with it")
        }
    }

    struct Require: BuiltinCommand {
        static let configuration = CommandConfiguration(
            commandName: "require", abstract: "Fail unless a plugin is added and unchanged (for scripts that use one).")
        static var isRecorded: Bool { true }

        @Argument(help: "The plugin's name.") var name: String

        mutating func run(in session: Session) throws {
            guard let plugin = session.pluginHost.plugin(named: name) else {
                if session.catalog.plugins.contains(where: { $0.namespace == name }) { return }
                throw PluginError.notAdded(name: name, suggestion: session.pluginHost.suggestion(for: name))
            }
            guard FileIO.entry(at: plugin.path) == .file else { throw PluginError.notRunnable(path: plugin.path, reason: "it is no longer there; 'plugin add PATH' it again") }
            guard session.pluginHost.isUnchanged(plugin) else { throw PluginError.changedBinary(namespace: plugin.namespace, path: plugin.path) }
        }
    }
}

extension Table {
    /// The table under a name (its key when several tables are written as json).
    func named(_ name: String) -> Table {
        var table = self
        table.name = name
        return table
    }
}
