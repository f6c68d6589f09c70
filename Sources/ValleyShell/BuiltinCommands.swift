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
import ValleyPluginHost
import ValleyWorkspace

/// A command of the shell itself; plugins cannot replace these.
protocol BuiltinCommand: ParsableCommand {
    /// Does the work against the session; throw to leave everything as it was.
    mutating func run(in session: Session) throws
    /// Whether `record` writes this command into the recorded script.
    static var isRecorded: Bool { get }
}

extension BuiltinCommand {
    /// Whether `record` writes this command into the recorded script.
    static var isRecorded: Bool { false }
}

/// Built-in commands by name (`exit` is an alias of `quit`).
let builtinCommands: [String: any BuiltinCommand.Type] = {
    var table: [String: any BuiltinCommand.Type] = [:]
    for type in [HelpCommand.self, SourceCommand.self, SetCommand.self, HistoryCommand.self, RecordCommand.self,
                 SaveCommand.self, OpenCommand.self, RecoverCommand.self, UndoCommand.self, RedoCommand.self, OutputCommand.self,
                 PluginsCommand.self, PluginCommand.self, ModelCommand.self, QuitCommand.self, ClearCommand.self] as [any BuiltinCommand.Type] {
        table[type._commandName] = type
        for alias in type.configuration.aliases { table[alias] = type }
    }
    return table
}()

extension Session {
    /// Parses a built-in's words with `parseAsRoot` and runs it.
    func runBuiltin(_ type: any BuiltinCommand.Type, words: [String]) throws {
        // `--format` is the shell's for built-ins too, except `save`'s own (the file's format).
        var words = words
        if type != SaveCommand.self {
            let (kept, requested) = try CommandCatalog.extractFormat(words)
            words = kept
            if let requested {
                guard requested != .xlsx else { throw ValleyError.invalidValue(field: "--format", value: "xlsx", expected: "table, csv, json, jsonl or markdown") }
                let saved = settings.format
                settings.format = requested
                defer { if settings.format == requested { settings.format = saved } }
                return try runBuiltinParsed(type, words: words)
            }
        }
        try runBuiltinParsed(type, words: words)
    }

    private func runBuiltinParsed(_ type: any BuiltinCommand.Type, words: [String]) throws {
        try runBuiltinParsed(opening: type, words: words)
    }

    /// Generic over the command's type, so that a parsed command of that type is recognised by
    /// a comparison of metadata rather than a cast to `any BuiltinCommand` (a search of the
    /// binary's conformance records on each type's first use: 13 % of `valley -c quit`). A
    /// group's subcommand (`plugin add`) is a different type and takes the cast.
    private func runBuiltinParsed<Command: BuiltinCommand>(opening type: Command.Type, words: [String]) throws {
        let parsed = try parseCommand(type, Array(words.dropFirst()), name: words[0])
        if var command = parsed as? Command {
            try reportingValidation(name: words[0]) { try command.run(in: self) }
        } else if var command = parsed as? any BuiltinCommand {
            try reportingValidation(name: words[0]) { try command.run(in: self) }
        } else {
            // `--help` comes back as argument-parser's own help command, not ours.
            write(type.helpMessage() + "\n")
        }
    }

    func resolve(_ path: String) -> String {
        CommandContext(model: ClusterModel(), workingDirectory: workingDirectory).resolve(path: path)
    }

    /// The folder of a script at absolute `path`.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

private func onOff(_ value: String, setting: String) throws -> Bool {
    switch value.lowercased() {
    case "on", "yes", "true", "1": return true
    case "off", "no", "false", "0": return false
    default: throw ValleyError.invalidValue(field: setting, value: value, expected: "on or off")
    }
}

// MARK: - help

struct HelpCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "help", abstract: "List the commands, or show one command's usage.")

    @Argument(help: "A command, e.g. 'registry show'.") var command: [String] = []

    mutating func run(in session: Session) throws {
        guard let first = command.first else {
            var table = Table(columns: ["command", "from", "what it does"])
            for name in builtinCommands.keys.sorted() where builtinCommands[name]!._commandName == name {
                table.append([.text(name), "shell", .text(builtinCommands[name]!.configuration.abstract)])
            }
            for entry in session.catalog.entries {
                let type = entry.type
                let subcommands = type.configuration.subcommands
                if subcommands.isEmpty {
                    table.append([.text(entry.name), .text(entry.namespace), .text(type.configuration.abstract)])
                }
                for sub in subcommands {
                    table.append([.text("\(entry.name) \(sub._commandName)"), .text(entry.namespace), .text(sub.configuration.abstract)])
                }
            }
            for plugin in session.pluginHost.plugins {
                for command in plugin.declaration.commands {
                    table.append([.text("\(plugin.namespace) \(command.name)"), .text(plugin.namespace + " (external)"), .text(command.summary)])
                }
            }
            session.write(session.settings.format.render(table))
            // A hint is prose: on stderr when the output is data.
            if session.settings.format.isData { session.note("Type 'help COMMAND' or 'COMMAND --help' for a command's usage.") } else {
                session.write("Type 'help COMMAND' or 'COMMAND --help' for a command's usage.\n")
            }
            return
        }
        if let builtin = builtinCommands[first] {
            session.write(builtin.helpMessage() + "\n")
        } else if let text = session.catalog.helpText(for: command) {
            session.write(text + "\n")
        } else if let plugin = session.pluginHost.plugin(named: first) {
            guard command.count > 1 else { return session.write(session.pluginHost.groupHelp(plugin) + "\n") }
            guard let declared = plugin.command(named: command[1]) else {
                let suggestion = session.catalog.suggestion(for: command[1], among: plugin.declaration.commands.map(\.name)).map { "\(first) \($0)" }
                throw ValleyError.unknownCommand(command.joined(separator: " "), suggestion: suggestion)
            }
            session.write(declared.helpText(namespace: plugin.namespace) + "\n")
        } else {
            let suggestion = session.catalog.suggestion(for: first, among: session.allCommandNames)
            throw ValleyError.unknownCommand(command.joined(separator: " "), suggestion: suggestion)
        }
    }
}

// MARK: - source

struct SourceCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "source", abstract: "Run the commands of a script file (with its own line numbers).")
    static let maximumDepth = 32

    @Argument(help: "The script to run.", completion: .file()) var file: String

    mutating func run(in session: Session) throws {
        let path = session.resolve(file)
        let identity = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        if session.sourceStack.contains(identity) {
            throw ValleyError.refused("source cycle: \(file) is already being run (\(session.sourceStack.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " → ")))")
        }
        guard session.sourceStack.count < Self.maximumDepth else {
            throw ValleyError.refused("source nested more than \(Self.maximumDepth) deep")
        }
        try FileIO.checkText(path)
        let source = try StreamLineSource(path: path)
        session.sourceStack.append(identity)
        defer { session.sourceStack.removeLast() }
        session.run(source, file: file, directory: Session.directory(of: path))
    }
}

// MARK: - set

struct SetCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a setting: bail|echo|timer|color|pager on|off, expanded on|off|auto, format FMT, undo-memory SIZE, read-limit SIZE, plugin-timeout|plugin-idle TIME, var NAME VALUE.",
        discussion: "With no arguments, shows the settings and variables.")
    static var isRecorded: Bool { true }

    @Argument(help: "bail, echo, timer, color, format or var.") var setting: String?
    @Argument(help: "The value(s).") var values: [String] = []

    mutating func run(in session: Session) throws {
        guard let setting else {
            var table = Table(columns: ["setting", "value"])
            let s = session.settings
            table.append(["bail", .boolean(s.bail)])
            table.append(["echo", .boolean(s.echo)])
            table.append(["timer", .boolean(s.timer)])
            table.append(["color", .boolean(s.color)])
            table.append(["format", .text(s.format.rawValue)])
            table.append(["expanded", .text(s.expanded.rawValue)])
            table.append(["pager", .boolean(s.pager)])
            table.append(["undo-memory", .text(ByteCount.format(session.undoHistory.memoryLimit))])
            table.append(["read-limit", .text(ByteCount.format(FileIO.readLimit))])
            table.append(["plugin-timeout", .text(Self.seconds(session.pluginHost.timeout))])
            table.append(["plugin-idle", .text(Self.seconds(session.pluginHost.idleLimit))])
            for (name, value) in session.tokenizer.variables.sorted(by: { $0.key < $1.key }) {
                table.append([.text("$" + name), .text(value)])
            }
            session.write(session.settings.format.render(table))
            return
        }
        if setting == "var" {
            guard values.count == 2 else { throw ValidationError("usage: set var NAME VALUE") }
            let name = values[0]
            guard let first = name.first, first == "_" || first.isLetter,
                  name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
                throw ValleyError.invalidValue(field: "variable name", value: name, expected: "letters, digits and _, not starting with a digit")
            }
            session.tokenizer.variables[name] = values[1]
            return
        }
        guard values.count == 1 else { throw ValidationError("usage: set \(setting) VALUE") }
        let value = values[0]
        switch setting {
        case "bail": session.settings.bail = try onOff(value, setting: "bail")
        case "echo": session.settings.echo = try onOff(value, setting: "echo")
        case "timer": session.settings.timer = try onOff(value, setting: "timer")
        case "color": session.settings.color = try onOff(value, setting: "color")
        case "pager": session.settings.pager = try onOff(value, setting: "pager")
        case "expanded":
            guard let mode = Session.Settings.Expanded(rawValue: value) else {
                throw ValleyError.invalidValue(field: "expanded", value: value, expected: "on, off or auto")
            }
            session.settings.expanded = mode
        case "format":
            guard let format = OutputFormat(rawValue: value), format != .xlsx else {
                throw ValleyError.invalidValue(field: "format", value: value, expected: "table, csv, json, jsonl or markdown")
            }
            session.settings.format = format
        case "read-limit":
            guard let bytes = ByteCount.parse(value), bytes >= 1 << 20 else {
                throw ValleyError.invalidValue(field: "read-limit", value: value, expected: "a size of at least 1MB, like 512MB or 4GB")
            }
            FileIO.readLimit = bytes
        case "plugin-timeout":
            guard let seconds = Self.parseSeconds(value), seconds >= 0.05, seconds <= 86_400 else {
                throw ValleyError.invalidValue(field: "plugin-timeout", value: value, expected: "a time from 50ms to 24h, like 30s, 500ms or 2m")
            }
            session.pluginHost.timeout = seconds
        case "plugin-idle":
            guard let seconds = Self.parseSeconds(value), seconds >= 0, seconds <= 86_400 else {
                throw ValleyError.invalidValue(field: "plugin-idle", value: value, expected: "a time up to 24h, like 60s or 5m (0 stops a plugin after each command)")
            }
            session.pluginHost.idleLimit = seconds
        case "undo-memory":
            guard let bytes = ByteCount.parse(value), bytes >= 1 << 20 else {
                throw ValleyError.invalidValue(field: "undo-memory", value: value, expected: "a size of at least 1MB, like 256MB or 2GB")
            }
            session.undoHistory.memoryLimit = bytes
            session.noteDropped(session.undoHistory.trim())
        default:
            throw ValleyError.invalidValue(field: "setting", value: setting, expected: "bail, echo, timer, color, format, expanded, pager, undo-memory, read-limit, plugin-timeout, plugin-idle or var")
        }
    }

    /// `30s`, `500ms`, `2m`, `1h` or a bare number of seconds.
    static func parseSeconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number.isFinite else { return nil }
            return number * scale
        }
        return Double(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// Seconds as `set` shows them: `30s`, `0.5s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}

// MARK: - history

struct HistoryCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show the last N commands (by default all that are kept: the last 1,000).")

    @Argument(help: "How many commands to show.") var count: Int?

    mutating func run(in session: Session) throws {
        if let count, count < 0 { throw ValleyError.invalidValue(field: "count", value: String(count), expected: "a number ≥ 0") }
        let all = session.commandHistory
        let first = max(0, all.count - min(count ?? Session.historyLimit, Session.historyLimit))
        var table = Table(columns: ["#", "command"])
        for index in first..<all.count { table.append([.integer(session.trimmedHistory + index + 1), .text(all[index])]) }
        session.write(session.settings.format.render(table))
    }
}

// MARK: - record

struct RecordCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the session's successful commands as a replayable script; 'record stop' writes it.")

    @Argument(help: "The script file to write, or 'stop'.", completion: .file()) var target: String

    mutating func run(in session: Session) throws {
        if target == "stop" {
            guard session.recording != nil else { throw ValleyError.refused("not recording; start with 'record FILE'") }
            let path = session.recording?.path ?? ""
            let count = session.recording?.lines.count ?? 0
            try session.stopRecording()
            session.status("recorded \(count) command\(count == 1 ? "" : "s") to \(path)")
            return
        }
        guard session.recording == nil else { throw ValleyError.refused("already recording to \(session.recording!.path); 'record stop' first") }
        let path = session.resolve(target)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ValleyError.file(path: target, reason: "its directory does not exist or cannot be written")
        }
        session.recording = (path, [])
    }
}

// MARK: - save / open

extension WorkspaceFormat: ExpressibleByArgument {}

struct SaveCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Save the whole model as a workspace file (atomically).",
        discussion: "The workspace is a SQLite database (one table per record kind; see README), or JSON with --format json or a .json name.")

    @Argument(help: "The workspace file.", completion: .file(extensions: ["valley", "db", "sqlite", "json"])) var file: String
    @Option(help: "sqlite or json (default: json for a .json name, else sqlite).") var format: WorkspaceFormat?

    mutating func run(in session: Session) throws {
        let path = session.resolve(file)
        let chosen = format ?? WorkspaceFormat(forPath: path)
        try WorkspaceFile.save(session.model, to: path, format: chosen)
        session.unsavedChanges = 0
        session.rebaseJournal(RecoveryJournal.fileBase(path, model: session.model))
        session.status("saved \(session.model.recordSummary) to \(file) (\(chosen.rawValue)\(Self.size(of: path)))")
    }
}

extension SaveCommand {
    /// ", 1.2 MB": the written file's size, or "" when it cannot be read.
    static func size(of path: String) -> String {
        let bytes = FileIO.size(of: path)
        return bytes > 0 ? ", " + ByteCount.format(bytes) : ""
    }
}

struct OpenCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Replace the model with a saved workspace (undoable).")
    static var isRecorded: Bool { true }

    @Argument(help: "The workspace file (SQLite or JSON: told by its first bytes).", completion: .file(extensions: ["valley", "db", "sqlite", "json"])) var file: String

    mutating func run(in session: Session) throws {
        let path = session.resolve(file)
        let loaded = try WorkspaceFile.load(from: path, kinds: session.kinds)
        session.model.replace(with: loaded.model)
        session.commit(session.model.takeChanges(), base: RecoveryJournal.fileBase(path, model: loaded.model))
        for notice in loaded.notices { session.note(notice) }
        session.status("opened \(file): \(session.model.recordSummary) ('undo' goes back to the model before)")
    }
}

// MARK: - undo / redo

struct UndoCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "undo", abstract: "Undo the last change to the model.")
    static var isRecorded: Bool { true }

    mutating func run(in session: Session) throws {
        guard let level = session.undoHistory.popUndo() else { throw ValleyError.refused("nothing to undo") }
        let redo = session.model.revert(level.changes)
        session.undoHistory.pushRedo(redo, command: level.command)
        session.modelGeneration &+= 1
        session.journalChanges(redo)
        session.status("undone: \(level.command)")
    }
}

struct RedoCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "redo", abstract: "Redo the last undone change.")
    static var isRecorded: Bool { true }

    mutating func run(in session: Session) throws {
        guard let level = session.undoHistory.popRedo() else { throw ValleyError.refused("nothing to redo") }
        let undo = session.model.revert(level.changes)
        session.noteDropped(session.undoHistory.pushUndoKeepingRedo(undo, command: level.command))
        session.modelGeneration &+= 1
        session.journalChanges(undo)
        session.status("redone: \(level.command)")
    }
}

// MARK: - output

struct OutputCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Send output to a file ('output stdout' ends it; the file appears complete when it ends).")

    @Argument(help: "A file, or 'stdout'.", completion: .file()) var target: String

    mutating func run(in session: Session) throws {
        if let current = session.redirection {
            session.redirection = nil
            try current.finish()
        }
        if target == "stdout" { return }
        session.redirection = try OutputRedirection(path: session.resolve(target))
    }
}

// MARK: - plugins / model / quit

struct PluginsCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "plugins", abstract: "List the plugins and their commands.")

    mutating func run(in session: Session) throws {
        var table = Table(columns: ["namespace", "commands", "what it answers"])
        for plugin in session.catalog.plugins {
            let names = session.catalog.entries.filter { $0.namespace == plugin.namespace }.map(\.name)
            table.append([.text(plugin.namespace), .text(names.joined(separator: ", ")), .text(plugin.summary)])
        }
        for plugin in session.pluginHost.plugins {
            table.append([.text(plugin.namespace), .text(plugin.declaration.commands.map { "\(plugin.namespace) \($0.name)" }.joined(separator: ", ")),
                          .text(plugin.declaration.summary + " (external)")])
        }
        session.write(session.settings.format.render(table))
    }
}

struct ModelCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Count the records of each entity type in the model.")

    mutating func run(in session: Session) throws {
        var table = Table(columns: ["entity", "count"])
        for (entity, count) in session.model.entityCounts { table.append([.text(entity), .integer(count)]) }
        session.write(session.settings.format.render(table))
    }
}

struct QuitCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "quit", abstract: "Leave the shell.", aliases: ["exit"])

    mutating func run(in session: Session) throws {
        if session.confirmLeaving() { session.stopReason = .quit }
    }
}

// MARK: - clear

struct ClearCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Clear the terminal screen (Ctrl-L does the same at the prompt).")

    mutating func run(in session: Session) throws {
        // Only a terminal is cleared: a script's or pipe's output never gets escape codes.
        guard session.terminalSize != nil else { return }  // a terminal, and no `output FILE`
        session.write("\u{1B}[H\u{1B}[2J\u{1B}[3J")
    }
}
