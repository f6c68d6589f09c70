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
import ValleyWorkspace

/// How the executable starts a session: which model, settings and inputs.
public struct LaunchOptions: Sendable {
    /// Start with no data instead of the built-in data set.
    public var empty = false
    /// Load this workspace instead of the built-in data.
    public var workspace: String?
    /// Session settings (format, bail, echo).
    public var settings = Session.Settings()
    /// Skip the rc file.
    public var noRC = false
    /// `-c` commands, in order.
    public var commands: [String] = []
    /// The script to run (`-` for stdin).
    public var script: String?
    /// The script's arguments (`$1`, …).
    public var scriptArguments: [String] = []
    /// The read limit (`--read-limit`), when not the default.
    public var readLimit: Int?

    /// Default options.
    public init() {}
}

/// Runs `valley` as the options say and exits with its status.
///
/// It exits rather than returning so that nothing is released on the way out: the kernel takes
/// the model back at once, where releasing a million enterprises one by one took 0.3 s.
public func launch(_ options: LaunchOptions) -> Never {
    installInterruptHandler()
    if let readLimit = options.readLimit { FileIO.readLimit = readLimit }
    let stderr = OutputWriter(fd: 2)
    func fatal(_ error: any Error) -> Int32 {
        stderr.write(Diagnostics.line(for: error, startup: true))
        stderr.flush()
        return Diagnostics.exitStatus(for: error, stage: .startup)
    }

    // The added external plugins: their kinds are known before any workspace is read.
    let pluginHost = PluginHost(registryPath: ProcessEnvironment.configDirectory.map { $0 + "/plugins" })
    for notice in pluginHost.notices { stderr.write(Diagnostics.line(.warning, notice)) }
    let model: ClusterModel
    var base: RecoveryJournal.Base?
    do {
        if let workspace = options.workspace {
            let loaded = try WorkspaceFile.load(from: workspace, kinds: recordKinds() + pluginHost.kinds)
            for notice in loaded.notices { stderr.write(Diagnostics.line(.note, notice)) }
            model = loaded.model
            base = RecoveryJournal.fileBase(workspace, model: model)
        } else {
            model = options.empty ? emptyModel() : defaultModel()
        }
        // The plugins' warnings and the workspace's notes, before anything the session says.
        stderr.flush()
    } catch {
        exit(fatal(error))
    }

    var scriptSource: StreamLineSource?
    if let script = options.script, script != "-" {
        do {
            try FileIO.checkText(script)
            scriptSource = try StreamLineSource(path: script)
        } catch {
            exit(fatal(error))
        }
    }

    let interactive = options.commands.isEmpty && options.script == nil && isatty(0) == 1
    let session = Session(model: model, settings: options.settings, interactive: interactive, arguments: options.scriptArguments,
                          pluginHost: pluginHost)

    if interactive {
        if let directory = ProcessEnvironment.stateDirectory {
            session.journal = RecoveryJournal(directory: directory, base: base ?? .snapshot(model))
            let abandoned = RecoveryJournal.abandoned(in: directory)
            if let found = abandoned.first {
                let others = abandoned.count > 1 ? " (\(abandoned.count - 1) more: 'recover --list')" : ""
                stderr.write(Diagnostics.line(.note, "a session started \(RecoveryJournal.describeTime(found.started)) ended without quitting, with \(found.changes) unsaved change\(found.changes == 1 ? "" : "s")"
                    + (found.lastCommand.map { " (the last: \(RecoveryJournal.clip($0)))" } ?? "") + "; 'recover' restores it, 'recover --discard' deletes it" + others))
                stderr.flush()
            }
        }
        if !options.noRC, let rc = rcFile() {
            session.execute(["source", rc], text: "source \(Tokenizer.quote(rc))")
        }
        var entries: [String] = []
        if let path = HistoryStore.defaultPath {
            let store = HistoryStore(path: path)
            session.useHistory(store)
            entries = store.entries
        }
        let source = EditLineSource(completer: Completer(session: session), history: entries)
        session.run(source, file: nil)
    } else {
        // `-c` errors read `-c:N:`, N counting the -c options from 1.
        for (index, command) in options.commands.enumerated() where !session.isFinished {
            session.run(ScriptedLineSource(text: command), file: "-c", firstLine: index + 1)
        }
        if !session.isFinished {
            if let scriptSource, let script = options.script {
                session.run(scriptSource, file: script, directory: Session.directory(of: session.resolve(script)))
            } else if options.script == "-" || options.commands.isEmpty {
                session.run(StreamLineSource(fd: 0), file: "<stdin>")
            }
        }
    }
    session.finish()
    exit(session.exitStatus)
}

/// `$XDG_CONFIG_HOME/valley/rc` if it exists, else `~/.valleyrc` if it exists.
func rcFile() -> String? {
    let candidates = [ProcessEnvironment.configDirectory.map { $0 + "/rc" }, ProcessEnvironment.home.map { $0 + "/.valleyrc" }]
    return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
}

/// SIGINT sets the interrupt flag; installed without SA_RESTART so a blocked read returns EINTR.
func installInterruptHandler() {
    Interruption.reset()
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in Interruption.request() }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
}
