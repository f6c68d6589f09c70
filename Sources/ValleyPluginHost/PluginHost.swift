#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
@_spi(Shell) import ValleyCore

/// External plugins: the registry of added ones, their running processes, and how one of
/// their commands runs against the model. The model never leaves the host: a plugin reads
/// it through `get` and `query`, and changes it only with a change set that the store
/// validates and commits like a built-in command's (all or nothing, undoable, journaled).
public final class PluginHost {
    /// The added plugins, in the order they were added.
    public private(set) var plugins: [InstalledPlugin] = []
    /// Problems found reading the registry at start, one line each (the shell prints them).
    public private(set) var notices: [String] = []
    /// The longest a plugin may stay silent during a call before it is stopped, in seconds.
    public var timeout: Double = 30
    /// How long after Ctrl-C's `cancel` a plugin may take before it is ended, in seconds.
    public var grace: Double = 1
    /// How long an idle plugin process is kept for the next command, in seconds.
    public var idleLimit: Double {
        get { pool.idleLimit.withLock { $0 } }
        set { pool.idleLimit.withLock { $0 = newValue } }
    }

    private let registry: PluginRegistry
    private let pool = ConnectionPool()

    /// A host over the registry file at `registryPath` (nil: added plugins last for this
    /// session only). An unreadable registry is a notice, not the end of the session.
    public init(registryPath: String?) {
        registry = PluginRegistry(path: registryPath)
        do {
            plugins = try registry.load()
        } catch {
            notices.append("plugins not loaded: \(ValleyError.describe(error))")
        }
        plugins = plugins.filter { plugin in
            do {
                _ = try register(plugin.declaration)
                return true
            } catch {
                notices.append("plugin '\(plugin.namespace)' not loaded: \(ValleyError.describe(error))")
                return false
            }
        }
    }

    deinit { pool.stopAll() }

    /// The store kinds every added plugin declares.
    public var kinds: [any AnyRecordKind] {
        plugins.flatMap { plugin in plugin.declaration.kinds.compactMap { DeclaredKinds.kind(named: $0.name) } }
    }

    /// The added plugin with this namespace.
    public func plugin(named name: String) -> InstalledPlugin? { plugins.first { $0.namespace == name } }

    private func register(_ declaration: PluginDeclaration) throws -> [any AnyRecordKind] {
        try declaration.kinds.map { try DeclaredKinds.register($0, owner: declaration.namespace) }
    }

    // MARK: - Adding and removing

    /// Runs the executable at `path` once, checks its declaration, registers its kinds and
    /// pins its SHA-256 in the registry. Adding a plugin again (after it changed) replaces it.
    /// - Parameters:
    ///   - reserved: command words it may not take (the shell's and built-in plugins').
    ///   - knownKinds: the kinds the host has besides this plugin's.
    ///   - checkExisting: checks the records the model already holds of a kind (from an
    ///     earlier version of the plugin, or kept from a workspace) against its new
    ///     declaration; throwing refuses the plugin, and nothing changes.
    /// - Returns: the plugin, and whether it replaced one of the same namespace.
    public func add(path: String, reserved: Set<String>, knownKinds: Set<String>,
                    checkExisting: (KindDeclaration) throws -> Void = { _ in }) throws -> (plugin: InstalledPlugin, replaced: Bool) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileIO.entry(at: absolute) == .file else { throw PluginError.notRunnable(path: path, reason: "not a regular file") }
        guard access(absolute, X_OK) == 0 else { throw PluginError.notRunnable(path: path, reason: "not executable (chmod +x \(path))") }
        let hash = try PluginRegistry.hash(of: absolute)
        let connection = try PluginConnection(path: absolute, name: String(absolute.split(separator: "/").last ?? Substring(absolute)), timeout: timeout)
        let declaration = connection.declaration
        let previous = plugin(named: declaration.namespace)
        if previous == nil, let other = plugins.first(where: { $0.path == absolute }) {
            connection.process.stop(grace: 0.2)
            throw PluginError.badDeclaration(namespace: declaration.namespace, place: "namespace",
                                             problem: "\(path) is already added as '\(other.namespace)'; 'plugin remove \(other.namespace)' first")
        }
        do {
            guard !reserved.contains(declaration.namespace) else {
                throw PluginError.badDeclaration(namespace: declaration.namespace, place: "namespace", problem: "'\(declaration.namespace)' is a command of valley itself or of a built-in plugin")
            }
            let ownKinds = Set((previous?.declaration.kinds ?? []).map(\.name))
            let othersKinds = Set(plugins.filter { $0.namespace != declaration.namespace }.flatMap { $0.declaration.kinds.map(\.name) })
            try declaration.check(knownKinds: knownKinds.subtracting(ownKinds).union(othersKinds))
            for kind in declaration.kinds { try checkExisting(kind) }
        } catch {
            connection.process.stop(grace: 0.2)
            throw error
        }
        // Registering rebuilds the kinds in place; on any failure from here the previous
        // declarations are put back, so that a refused add changes nothing.
        let previousKinds = declaration.kinds.compactMap { DeclaredKinds.declaration(named: $0.name).map { ($0, DeclaredKinds.kind(named: $0.name)?.owner ?? "") } }
        let installed = InstalledPlugin(path: absolute, sha256: hash, protocolVersion: connection.protocolVersion,
                                        declaration: declaration, added: Self.now())
        var updated = plugins.filter { $0.namespace != declaration.namespace }
        updated.append(installed)
        do {
            _ = try register(declaration)
            try registry.save(updated)
        } catch {
            for (kind, owner) in previousKinds { _ = try? DeclaredKinds.register(kind, owner: owner) }
            connection.process.stop(grace: 0.2)
            throw error
        }
        plugins = updated
        pool.stop(declaration.namespace)
        pool.checkIn(declaration.namespace, connection)
        return (installed, previous != nil)
    }

    /// Forgets a plugin (its records stay in the model and the workspace).
    public func remove(_ name: String) throws -> InstalledPlugin {
        guard let plugin = plugin(named: name) else { throw PluginError.notAdded(name: name, suggestion: suggestion(for: name)) }
        let updated = plugins.filter { $0.namespace != name }
        try registry.save(updated)
        plugins = updated
        pool.stop(name)
        return plugin
    }

    /// The closest added plugin name.
    public func suggestion(for name: String) -> String? {
        Suggestion.closest(to: name, among: plugins.map(\.namespace), limit: 1).first
    }

    /// Whether the plugin's executable still hashes as it did when added.
    public func isUnchanged(_ plugin: InstalledPlugin) -> Bool {
        (try? PluginRegistry.hash(of: plugin.path)) == plugin.sha256
    }

    /// The number of plugin processes running now.
    public var runningCount: Int { pool.count }

    /// Stops every plugin process (the session is ending).
    public func stopAll() { pool.stopAll() }

    /// Now, as ISO 8601 in UTC (when a plugin was added), through core's civil calendar.
    private static func now() -> String {
        let seconds = Int(time(nil))
        let (year, month, day) = DateTimeText.civilDate(seconds / 86_400)
        let ofDay = seconds % 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(ofDay / 3600)):\(two(ofDay / 60 % 60)):\(two(ofDay % 60))Z"
    }

    // MARK: - Running a command

    /// What a plugin command gave: the output to render, and a failure to report after it.
    public struct Outcome {
        /// The tables, text and notes, in order.
        public var output: [OutputBlock]
        /// Set when the plugin answered with `failure`: the output stands, the command failed,
        /// and its change set was not applied.
        public var failure: String?
    }

    /// A process for the plugin: the idle one, or a new one after checking the executable
    /// (its handshake within `timeout` seconds, by default the session's).
    private func connection(for plugin: InstalledPlugin, timeout: Double? = nil, reuse: Bool = true) throws -> PluginConnection {
        if reuse, let idle = pool.checkOut(plugin.namespace) { return idle }
        guard isUnchanged(plugin) else { throw PluginError.changedBinary(namespace: plugin.namespace, path: plugin.path) }
        return try PluginConnection(path: plugin.path, name: plugin.namespace, timeout: timeout ?? self.timeout)
    }

    /// Runs `words` (`trials add t1 --title …`) with the plugin: parses them against its
    /// declaration, sends the call, serves its reads from `model`, and applies its change
    /// set. On any error the model is rolled back to where it was.
    /// - Complexity: the plugin's work, plus O(records read or changed).
    public func run(_ plugin: InstalledPlugin, words: [String], model: inout ClusterModel, format: OutputFormat) throws -> Outcome {
        let namespace = plugin.namespace
        guard words.count >= 2, words[1] != "-h", words[1] != "--help" else {
            return Outcome(output: [.text(groupHelp(plugin))])
        }
        if words[1] == "help" {
            guard words.count > 2 else { return Outcome(output: [.text(groupHelp(plugin))]) }
            guard let command = plugin.command(named: words[2]) else { throw unknown(plugin, words[2]) }
            return Outcome(output: [.text(command.helpText(namespace: namespace))])
        }
        guard let command = plugin.command(named: words[1]) else { throw unknown(plugin, words[1]) }
        let path = "\(namespace) \(command.name)"
        guard let arguments = try command.parse(Array(words.dropFirst(2)), path: path) else {
            return Outcome(output: [.text(command.helpText(namespace: namespace))])
        }
        // (It reads `model` in place: a copy held until the changes below would make each
        // table they touch copy itself, O(table) per command.)
        func call(_ connection: PluginConnection) throws -> IncomingMessage {
            try connection.call(command: command.name, arguments: arguments, format: format.rawValue, timeout: timeout, grace: grace) { request in
                try serve(request, from: model, over: connection)
            }
        }
        var connection = try self.connection(for: plugin)
        let result: IncomingMessage
        do {
            do {
                result = try call(connection)
            } catch PluginError.crashed where connection.wasIdle && !connection.heardFromCall {
                // An idle process that ended just as the command began (it exited on its own):
                // nothing was read or served, so the call goes to a new process, once.
                connection = try self.connection(for: plugin, reuse: false)
                result = try call(connection)
            }
        } catch {
            if connection.process.isRunning { pool.checkIn(namespace, connection) }
            throw error
        }
        pool.checkIn(namespace, connection)
        var output: [OutputBlock] = []
        for table in result.tables ?? [] {
            var rendered = Table(columns: table.columns)
            for row in table.rows {
                guard row.count == table.columns.count else {
                    throw PluginError.protocolViolation(plugin: namespace, detail: "a row of \(row.count) cells in a table of \(table.columns.count) columns")
                }
                rendered.append(row.map(Self.cell))
            }
            rendered.name = table.name
            output.append(.table(rendered))
        }
        if let text = result.text, !text.isEmpty { output.append(.text(text.hasSuffix("\n") ? String(text.dropLast()) : text)) }
        if let failure = result.failure {
            // A failed command's output stands; its change set is not applied.
            for note in result.notes ?? [] { output.append(.note(note)) }
            return Outcome(output: output, failure: "\(namespace): \(failure)")
        }
        do {
            let effects = try ModelAccess.apply(result.changes ?? [], to: &model, plugin: namespace)
            if !effects.isEmpty { output.append(.text(effects.joined(separator: "\n"))) }
        } catch {
            model.rollBack()
            throw error
        }
        for note in result.notes ?? [] { output.append(.note(note)) }
        return Outcome(output: output, failure: nil)
    }

    /// Answers one `get` or `query` of a call from the model as the command found it.
    private func serve(_ request: IncomingMessage, from model: ClusterModel, over connection: PluginConnection) throws {
        do {
            if request.type == "get" {
                try connection.send(try ModelAccess.get(request, in: model), timeout: timeout)
            } else {
                try ModelAccess.query(request, in: model) { try connection.send($0, timeout: timeout) }
            }
        } catch let error as PluginError {
            throw error
        } catch let error as ValleyError where error.exitCode == 130 {  // Ctrl-C
            throw error
        } catch {
            // A request the host cannot answer (an unknown kind, a bad filter) is the plugin's
            // to handle: it gets the message, and the call goes on.
            try connection.send(OutgoingMessage.line(OutgoingMessage.RequestError(request: request.request ?? 0, message: ValleyError.describe(error))), timeout: timeout)
        }
    }

    private func unknown(_ plugin: InstalledPlugin, _ word: String) -> ValleyError {
        let names = plugin.declaration.commands.map(\.name)
        let suggestion = Suggestion.closest(to: word, among: names, limit: 1).first.map { "\(plugin.namespace) \($0)" }
        return ValleyError.unknownCommand("\(plugin.namespace) \(word)", suggestion: suggestion)
    }

    /// `trials --help`: the plugin's commands, as argument-parser lists a group's.
    public func groupHelp(_ plugin: InstalledPlugin) -> String {
        var text = "OVERVIEW: \(plugin.declaration.summary)\n\nUSAGE: \(plugin.namespace) <subcommand>\n\nSUBCOMMANDS:\n"
        for command in plugin.declaration.commands {
            text += "  " + command.name + String(repeating: " ", count: max(1, 24 - command.name.count)) + command.summary + "\n"
        }
        text += "\n  See '\(plugin.namespace) help <subcommand>' for detailed help."
        return text
    }

    static func cell(_ value: JSONValue) -> Cell {
        switch value {
        case .null: .empty
        case let .bool(flag): .boolean(flag)
        case let .integer(number): .integer(number)
        case let .number(number): number.rounded() == number && abs(number) < 1e15 ? .integer(Int(number)) : .number(number, digits: 2)
        case let .string(text): .text(text)
        case let .array(items): .list(items.map(\.text))
        case .object: .text(value.text)
        }
    }

    /// Completions a protocol-2 plugin computes itself (nil when it cannot answer).
    public func complete(_ plugin: InstalledPlugin, command: String, argument: String, partial: String) -> [String]? {
        // Tab waits at most 2 s, also for a plugin that has to be started first.
        let limit = min(timeout, 2)
        guard plugin.protocolVersion >= 2, let connection = try? connection(for: plugin, timeout: limit) else { return nil }
        let values = connection.complete(command: command, argument: argument, partial: partial, timeout: limit)
        if connection.process.isRunning { pool.checkIn(plugin.namespace, connection) }
        return values
    }
}

// MARK: - Idle processes

/// The plugin processes not in a call, and a timer that stops those idle for too long.
///
/// The main thread checks a connection out for a call and back in after it; the timer only
/// touches connections that are checked in, under the lock. So a connection is used by one
/// thread at a time, which is what makes it safe to send between them.
///
/// `@unchecked Sendable`: its state is behind `Mutex`es; the timer source (not `Sendable` in
/// Dispatch's annotations) is made once under `entries`' lock and cancelled in `deinit`.
final class ConnectionPool: @unchecked Sendable {
    private struct Entry { var connection: PluginConnection; var since: ContinuousClock.Instant }
    private let entries = Mutex<[String: Entry]>([:])
    let idleLimit = Mutex<Double>(60)
    /// Made on the first check-in (a session that runs no plugin starts no timer thread);
    /// read and written only under `entries`' lock.
    private var timer: (any DispatchSourceTimer)?

    deinit { timer?.cancel() }

    var count: Int { entries.withLock { $0.count } }

    func checkOut(_ name: String) -> PluginConnection? {
        let entry = entries.withLock { $0.removeValue(forKey: name) }
        guard let connection = entry?.connection, connection.process.isRunning else { return nil }
        connection.wasIdle = true
        return connection
    }

    func checkIn(_ name: String, _ connection: PluginConnection) {
        let replaced = entries.withLock { entries in
            if timer == nil {
                let source = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
                source.schedule(deadline: .now() + 1, repeating: 1)
                source.setEventHandler { [weak self] in self?.stopIdle() }
                source.resume()
                timer = source
            }
            return entries.updateValue(Entry(connection: connection, since: .now), forKey: name)
        }
        if let replaced, replaced.connection !== connection { replaced.connection.process.stop(grace: 0.2) }
    }

    func stop(_ name: String) {
        entries.withLock { $0.removeValue(forKey: name) }?.connection.process.stop(grace: 0.2)
    }

    func stopAll() {
        for entry in entries.withLock({ entries in defer { entries = [:] }; return Array(entries.values) }) {
            entry.connection.process.stop(grace: 0.5)
        }
    }

    /// Stops the processes idle for longer than `idleLimit`.
    func stopIdle() {
        let limit = idleLimit.withLock { $0 }
        let idle = entries.withLock { entries -> [PluginConnection] in
            let now = ContinuousClock.now
            let names = entries.filter { now - $0.value.since > .milliseconds(Int64(limit * 1000)) }.map(\.key)
            return names.compactMap { entries.removeValue(forKey: $0)?.connection }
        }
        for connection in idle { connection.process.stop(grace: 0.5) }
    }
}
