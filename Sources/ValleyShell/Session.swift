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

/// One run of the shell: the model, its undo history, the settings, and the loop that reads
/// lines from a `LineSource`, tokenises them and dispatches each command.
public final class Session {
    /// Settings changed with `set` or the command line.
    public struct Settings: Sendable {
        /// Stop a non-interactive run at the first failed command.
        public var bail = false
        /// Print each command before its output.
        public var echo = false
        /// Print each command's run time.
        public var timer = false
        /// Colour the prompt (only on a terminal with NO_COLOR unset).
        public var color = true
        /// The session's output format.
        public var format: OutputFormat = .table
        /// Expanded display (one block per row): `on`, `off`, or `auto` (on a terminal, for a
        /// table wider than it).
        public var expanded: Expanded = .auto
        /// Page output longer than the screen through `$PAGER` (default `less -FRX`) at an
        /// interactive prompt on a terminal.
        public var pager = true

        /// The expanded-display modes.
        public enum Expanded: String, Sendable, CaseIterable { case on, off, auto }

        /// Default settings.
        public init() {}
    }

    /// Why a run stopped early.
    enum StopReason { case bail, interrupted, quit }

    /// The shared model.
    public internal(set) var model: ClusterModel
    /// Counts model changes, so caches (the completion index) know when to rebuild.
    public internal(set) var modelGeneration = 0
    /// Every record kind the plugins declare, built-in and external (for reading workspaces).
    public internal(set) var kinds: [any AnyRecordKind]
    /// The external plugins: added ones, their processes, their commands.
    public let pluginHost: PluginHost
    /// The current settings.
    public var settings: Settings
    /// True for the interactive shell (errors without `FILE:LINE`, no bail, Ctrl-C keeps running).
    public let isInteractive: Bool
    /// True once any command has failed.
    public internal(set) var hadFailure = false

    let catalog: CommandCatalog
    var tokenizer = Tokenizer()
    var undoHistory = UndoHistory()
    /// The commands run, oldest first: the last `historyLimit` at least, trimmed in batches so
    /// that a million-line script does not keep a million strings.
    var commandHistory: [String] = []
    /// How many commands were trimmed from the front of `commandHistory` (for numbering).
    var trimmedHistory = 0
    /// How many commands `history` can show.
    static let historyLimit = 1_000
    var historyStore: HistoryStore?
    var recording: (path: String, lines: [String])?
    var redirection: OutputRedirection?
    var sourceStack: [String] = []
    var stopReason: StopReason?
    /// The durable journal of this session's changes (interactive sessions with a state folder).
    var journal: RecoveryJournal?
    /// The command running now, as typed (what the journal names each change by).
    var currentCommand = ""
    /// Commands (and undos, redos) that changed the model since it was opened or saved.
    public internal(set) var unsavedChanges = 0
    /// `unsavedChanges` when the user was last told about them on the way out (nil: not told).
    var warnedAboutUnsaved: Int?
    /// The directory the session started in: where paths typed at the prompt, in `-c` or on
    /// stdin are resolved.
    let launchDirectory: String
    /// The folders of the scripts running now, innermost last: a path written in a script is
    /// resolved against its script's folder (like psql's `\ir`), so scripts run from anywhere.
    var scriptDirectories: [String] = []
    /// Where relative paths are resolved now.
    var workingDirectory: String { scriptDirectories.last ?? launchDirectory }
    let out: OutputWriter
    let err: OutputWriter

    /// Creates a session over a model.
    /// `pluginHost`: the external plugins (by default none, and none kept after the session).
    public init(model: ClusterModel, plugins: [any ValleyPlugin] = builtinPlugins, settings: Settings = Settings(),
                interactive: Bool = false, arguments: [String] = [], outputFD: Int32 = 1, errorFD: Int32 = 2,
                pluginHost: PluginHost = PluginHost(registryPath: nil)) {
        var model = model
        model.addTables(for: pluginHost.kinds)
        _ = model.takeChanges()  // changes made while building it are not the user's to undo
        self.model = model
        self.pluginHost = pluginHost
        self.kinds = recordKinds(plugins: plugins) + pluginHost.kinds
        self.catalog = CommandCatalog(plugins: plugins)
        self.settings = settings
        self.isInteractive = interactive
        self.tokenizer.arguments = arguments
        self.launchDirectory = FileManager.default.currentDirectoryPath
        self.out = OutputWriter(fd: outputFD)
        self.err = OutputWriter(fd: errorFD)
        // A progress line for long imports and exports: only at an interactive prompt whose
        // stderr is a terminal (never for scripts or pipes).
        if interactive, isatty(errorFD) == 1 { ProgressLine.enable(fd: errorFD) }
    }

    /// The process exit status this session ends with.
    public var exitStatus: Int32 {
        if stopReason == .interrupted { return ValleyExit.interrupted }
        if isInteractive { return ValleyExit.success }
        return hadFailure ? ValleyExit.failure : ValleyExit.success
    }

    /// True when the user asked to quit (or a non-interactive run stopped).
    public var isFinished: Bool { stopReason != nil }

    /// Keeps history in this file (interactive sessions).
    public func useHistory(_ store: HistoryStore) {
        historyStore = store
        commandHistory = store.entries
    }

    // MARK: - Reading and running lines

    /// Reads and runs every command from `source`; `file` names it in error messages
    /// (`FILE:LINE: error: …`), nil for the interactive terminal. `directory`: the script's
    /// folder, against which its relative paths are resolved (nil: the current one).
    public func run(_ source: any LineSource, file: String?, directory: String? = nil, firstLine: Int = 1) {
        if let directory { scriptDirectories.append(directory) }
        defer { if directory != nil { scriptDirectories.removeLast() } }
        var pending = ""
        var continuation: ContinuationScanner?
        var pendingStart = 0
        /// An error found in the first lines of a command that continues (a trailing `\` or an
        /// open quote): reported once the whole command is read, so that its continuation
        /// lines are not run as commands of their own.
        var pendingError: (any Error)?
        var lineNumber = firstLine - 1
        let nested = !sourceStack.isEmpty
        while stopReason == nil {
            flush()
            let read: LineRead
            do {
                read = try source.readLine(prompt: pending.isEmpty ? prompt : continuationPrompt)
            } catch {
                lineNumber += 1
                fail(error, file: file, line: lineNumber)
                continue
            }
            switch read {
            case .endOfInput:
                if isInteractive, !nested {
                    // Ctrl-D, also at a continuation prompt: the unfinished command is dropped,
                    // and leaving with unsaved changes asks first.
                    if !pending.isEmpty { err.write("\n") }
                    pending = ""
                    continuation = nil
                    pendingError = nil
                    if !confirmLeaving() { continue }
                    return
                }
                if !pending.isEmpty {
                    if let pendingError {
                        fail(pendingError, file: file, line: pendingStart)
                    } else if let continuation, continuation.openQuote != nil {
                        fail(ValleyError.syntax(message: "unbalanced quote: the quote opened here is never closed", column: continuation.openedAt.column),
                             file: file, line: pendingStart + continuation.openedAt.line)
                    } else {
                        fail(ValleyError.syntax(message: "the last line ends with '\\' but no line follows", column: 1), file: file, line: pendingStart)
                    }
                }
                return
            case .interrupted:
                Interruption.reset()
                if isInteractive && !nested {
                    pending = ""
                    continuation = nil
                    pendingError = nil
                    continue
                }
                stopReason = .interrupted
                return
            case let .line(typed):
                lineNumber += 1
                var text = typed
                // `!!`, `!N`, `!-N` at the interactive prompt re-run a history entry, shown first.
                if isInteractive, !nested, pending.isEmpty, typed.hasPrefix("!") {
                    do {
                        text = try expandHistory(Self.trimmingBlanks(typed))
                        err.write(TerminalText.escapingControls(text) + "\n")
                        err.flush()
                    } catch {
                        fail(error, file: file, line: lineNumber)
                        continue
                    }
                }
                if lineNumber == firstLine, file != "-c", text.hasPrefix("#!") { continue }
                if pending.isEmpty {
                    pending = text
                    pendingStart = lineNumber
                } else {
                    pending += "\n" + text
                }
                // A continued command is tokenised again only once it can be complete, so a
                // stray quote early in a long script costs time linear in the script.
                if continuation != nil, continuation?.scan(text) == false { continue }
                if let error = pendingError {
                    // At the prompt the failed command is kept in history, to be recalled and fixed.
                    if isInteractive, !nested {
                        let commandText = Self.trimmingBlanks(pending)
                        source.remember(commandText)
                        addToHistory(commandText)
                    }
                    pending = ""
                    continuation = nil
                    pendingError = nil
                    fail(error, file: file, line: pendingStart)
                    continue
                }
                let outcome: Tokenizer.Outcome
                do {
                    outcome = try tokenizer.tokenize(pending)
                } catch {
                    var scanner = ContinuationScanner()
                    var isComplete = true
                    for line in pending.split(separator: "\n", omittingEmptySubsequences: false) { isComplete = scanner.scan(String(line)) }
                    if !isComplete {
                        pendingError = error
                        continuation = scanner
                        continue
                    }
                    pending = ""
                    continuation = nil
                    fail(error, file: file, line: pendingStart)
                    continue
                }
                guard case let .words(words) = outcome else {
                    if continuation == nil {
                        var scanner = ContinuationScanner()
                        for line in pending.split(separator: "\n", omittingEmptySubsequences: false) { _ = scanner.scan(String(line)) }
                        continuation = scanner
                    }
                    continue
                }
                continuation = nil
                let commandText = Self.trimmingBlanks(pending)
                pending = ""
                guard !words.isEmpty else { continue }
                source.remember(commandText)
                execute(words, text: commandText, file: file, line: pendingStart)
                if Interruption.isRequested, !isInteractive || nested, stopReason == nil {
                    // Ctrl-C came while a command that does not poll for it ran to the end.
                    flush()
                    err.write((file.map { "\($0):\(pendingStart): " } ?? "") + "interrupted; this command had finished, nothing after it runs\n")  // not an error: the command completed
                    err.flush()
                    stopReason = .interrupted
                }
                if isInteractive, !nested, stopReason == .bail { stopReason = nil }
            }
        }
    }

    /// `text` without the spaces, tabs and line breaks around it (the separators the tokenizer
    /// knows), found on the UTF-8 bytes (the separators are ASCII) rather than by reversing a
    /// possibly 10 MB line twice through its `Character`s.
    static func trimmingBlanks(_ text: String) -> String {
        let bytes = text.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var lower = bytes.startIndex, upper = bytes.endIndex
        while lower < upper, isBlank(bytes[lower]) { lower = bytes.index(after: lower) }
        while upper > lower, isBlank(bytes[bytes.index(before: upper)]) { upper = bytes.index(before: upper) }
        return String(text[lower..<upper])
    }

    /// Runs one tokenised command; returns true when it succeeded.
    @discardableResult
    public func execute(_ words: [String], text: String, file: String? = nil, line: Int = 0) -> Bool {
        if settings.echo { write(text + "\n") }
        let started = ContinuousClock.now
        Interruption.reset()
        currentCommand = text
        do {
            if let builtin = builtinCommands[words[0]] {
                try runBuiltin(builtin, words: words)
                if builtin.isRecorded { record(words) }
            } else if let entry = catalog.entry(named: words[0]) {
                let outcome: CommandCatalog.Outcome
                do {
                    defer { ProgressLine.finish() }
                    outcome = try catalog.run(entry, words: words, model: &model, workingDirectory: workingDirectory, sessionFormat: settings.format)
                }
                commit(outcome.changes)
                guard present(outcome, words: words, text: text, file: file, line: line) else { return false }
            } else if let plugin = pluginHost.plugin(named: words[0]) {
                let outcome: CommandCatalog.Outcome
                do {
                    defer { ProgressLine.finish() }
                    outcome = try runExternal(plugin, words: words)
                }
                commit(outcome.changes)
                guard present(outcome, words: words, text: text, file: file, line: line) else { return false }
            } else {
                let suggestion = catalog.suggestion(for: words[0], among: allCommandNames)
                throw ValleyError.unknownCommand(words[0], suggestion: suggestion)
            }
            if sourceStack.isEmpty { addToHistory(text) }
            if settings.timer { write("time: \(format(ContinuousClock.now - started))\n") }
            return true
        } catch {
            if sourceStack.isEmpty { addToHistory(text) }
            fail(error, file: file, line: line)
            return false
        }
    }

    /// Renders a plugin command's output and records it; false when the command reported failure.
    private func present(_ outcome: CommandCatalog.Outcome, words: [String], text: String, file: String?, line: Int) -> Bool {
        let rendered = (outcome.format ?? settings.format).render(outcome.output, expanded: settings.expanded == .on,
                                                                  width: settings.expanded == .auto ? terminalWidth : nil)
        writePaged(rendered.data)
        if !rendered.messages.isEmpty {
            flush()
            err.write(rendered.messages)
            err.flush()
        }
        record(words)
        if let failure = outcome.failure {
            if sourceStack.isEmpty { addToHistory(text) }
            fail(ValleyError.refused(failure), file: file, line: line)
            return false
        }
        return true
    }

    /// Reports an error on stderr (with `FILE:LINE` when there is a file), marks the run failed,
    /// and stops it when `bail` is on or the error was an interrupt in a script.
    func fail(_ error: any Error, file: String?, line: Int) {
        hadFailure = true
        flush()
        err.write(Diagnostics.line(for: error, file: file, line: line))
        err.flush()
        if Diagnostics.isInterrupt(error), !isInteractive || !sourceStack.isEmpty {
            stopReason = .interrupted
        } else if settings.bail, stopReason == nil {
            stopReason = .bail
        }
    }

    // MARK: - Model changes

    /// Keeps a command's changes as an undo level (nothing when it changed nothing) and writes
    /// them to the recovery journal; `base` is given when the command replaced the model with
    /// a file's (`open`), which the journal then starts from.
    /// - Complexity: O(changes)
    func commit(_ changes: ChangeSet, base: RecoveryJournal.Base? = nil) {
        guard !changes.isEmpty else { return }
        modelGeneration &+= 1
        noteDropped(undoHistory.push(changes, command: currentCommand))
        if let base {
            unsavedChanges = 0
            rebaseJournal(base)
        } else {
            journalChanges(changes)
        }
    }

    /// Writes changes already made (a command's, an undo's, a redo's) to the recovery journal.
    func journalChanges(_ changes: ChangeSet) {
        unsavedChanges += 1
        guard let journal else { return }
        journal.append(changes, model: model, command: currentCommand)
        reportJournalFailure()
    }

    /// Starts the journal over from a file just saved or opened.
    func rebaseJournal(_ base: RecoveryJournal.Base) {
        guard let journal else { return }
        do { try journal.rebase(base) } catch { journal.failed(error) }
        reportJournalFailure()
    }

    private func reportJournalFailure() {
        guard let failure = journal?.failure else { return }
        journal?.abandonAfterFailure()
        journal = nil
        note("the recovery journal stopped (\(failure)); this session's changes will not be recoverable after a crash")
    }

    /// On the way out of an interactive session (also a `quit` in a file it sources): true to
    /// leave; false (once, after saying how many changes are unsaved) to stay. Scripts and pipes
    /// never ask.
    func confirmLeaving() -> Bool {
        guard isInteractive, unsavedChanges > 0, warnedAboutUnsaved != unsavedChanges else { return true }
        warnedAboutUnsaved = unsavedChanges
        let changes = unsavedChanges == 1 ? "1 command has" : "\(unsavedChanges) commands have"
        note("\(changes) changed the model since it was last saved or opened (undo counts as one); 'save FILE' keeps the model, or quit (Ctrl-D) again to leave without saving")
        return false
    }

    /// Writes a one-line notice on stderr (not an error: the command succeeded).
    func note(_ message: String) {
        flush()
        err.write(Diagnostics.line(.note, message))
        err.flush()
    }

    /// Says what a built-in did (`undone: registry add x`, `saved …`) at the interactive
    /// prompt: one plain line on stderr. Scripts stay quiet (their stderr is for errors, and
    /// stdout only for data), as they are for plugin commands that change the model.
    func status(_ message: String) {
        guard isInteractive, sourceStack.isEmpty else { return }
        flush()
        err.write(TerminalText.escapingControls(message) + "\n")
        err.flush()
    }

    /// Says so when the undo limits made the oldest levels go.
    func noteDropped(_ dropped: Int) {
        guard dropped > 0 else { return }
        note("dropped the oldest \(dropped) undo level\(dropped == 1 ? "" : "s") (limits: \(undoHistory.levelLimit) levels, \(ByteCount.format(undoHistory.memoryLimit)) of undo memory; 'set undo-memory SIZE' changes it)")
    }

    // MARK: - Output

    /// Writes rendered output to the current target (stdout or `output FILE`).
    func write(_ text: String) {
        if let redirection { redirection.write(text) } else { out.write(text) }
    }

    /// The terminal's size when output goes to a terminal (not to `output FILE`), else nil.
    var terminalSize: (columns: Int, rows: Int)? {
        guard redirection == nil, out.isTerminal else { return nil }
        var size = winsize()
        guard ioctl(out.fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// The terminal's width, for the automatic expanded display: only at the interactive
    /// prompt (a script's output is the same whatever the terminal).
    var terminalWidth: Int? { isInteractive && sourceStack.isEmpty ? terminalSize?.columns : nil }

    /// Writes a command's output, through the pager when it is longer than the screen at an
    /// interactive prompt on a terminal (`set pager off` turns this off; scripts never page).
    func writePaged(_ text: String) {
        if settings.pager, isInteractive, sourceStack.isEmpty, let size = terminalSize,
           text.utf8.lazy.filter({ $0 == 0x0A }).count >= size.rows - 1 {
            flush()
            if Pager.page(text) { return }
        }
        write(text)
    }

    /// Flushes stdout (before reading input or writing an error).
    public func flush() { out.flush() }

    /// Ends the session: finishes `output` and `record` files, flushes.
    public func finish() {
        if let redirection {
            self.redirection = nil
            do { try redirection.finish() } catch { fail(error, file: nil, line: 0) }
        }
        if recording != nil {
            do { try stopRecording() } catch { fail(error, file: nil, line: 0) }
        }
        journal?.discard()
        pluginHost.stopAll()
        flush()
    }

    // MARK: - History and recording

    /// The history entry `!!` (the last), `!N` (number N, as `history` shows) or `!-N` (the
    /// Nth last) names.
    func expandHistory(_ reference: String) throws -> String {
        let kept = commandHistory.count
        let first = trimmedHistory + 1, last = trimmedHistory + kept
        let range = kept == 0 ? "the history is empty" : "history has \(first)–\(last)"
        let body = reference.dropFirst()
        let position: Int?
        if body == "!" {
            position = kept - 1
        } else if body.hasPrefix("-"), let back = Int(body.dropFirst()), back > 0 {
            position = kept - back
        } else if let number = Int(body), number > 0 {
            position = number - trimmedHistory - 1
        } else {
            throw ValleyError.usage("\(reference): expected !!, !N or !-N to re-run a history entry")
        }
        guard let position, (0..<kept).contains(position) else {
            throw ValleyError.refused("\(reference): no such history entry (\(range))")
        }
        return commandHistory[position]
    }

    func addToHistory(_ text: String) {
        commandHistory.append(text)
        if commandHistory.count >= 2 * Self.historyLimit {
            let excess = commandHistory.count - Self.historyLimit
            commandHistory.removeFirst(excess)
            trimmedHistory += excess
        }
        if let historyStore {
            do { try historyStore.append(text) } catch {
                err.write(Diagnostics.line(.warning, "history not saved: \(ValleyError.describe(error))"))
                err.flush()
            }
        }
    }

    func record(_ words: [String]) {
        recording?.lines.append(words.map(Tokenizer.quote).joined(separator: " "))
    }

    func stopRecording() throws {
        guard let recording else { return }
        let script = (["#!/usr/bin/env valley", "# recorded by valley"] + recording.lines).joined(separator: "\n") + "\n"
        try FileIO.writeAtomically(Array(script.utf8), to: recording.path)
        self.recording = nil
    }

    // MARK: - Prompt

    var prompt: String {
        guard isInteractive else { return "" }
        if settings.color, out.isTerminal, ProcessEnvironment.value("NO_COLOR") == nil {
            return "\u{1}\u{1B}[1;32m\u{1}valley\u{1}\u{1B}[0m\u{1}> "
        }
        return "valley> "
    }

    var continuationPrompt: String { isInteractive ? "   ...> " : "" }

    private func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return Cell.format(milliseconds, digits: 3) + " ms"
    }
}
