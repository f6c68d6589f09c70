import Foundation
import ValleyCore
import ValleyPluginHost
import ValleyShell

/// Runs a session from scripted lines, capturing stdout and stderr in temporary files.
public struct SessionHarness {
    /// A fresh temporary directory for the test's files.
    public let directory: String
    /// The session under test.
    public let session: Session
    private let outPath: String
    private let errPath: String

    /// Creates a session writing to temporary files.
    public init(model: ClusterModel = defaultModel(), plugins: [any ValleyPlugin] = builtinPlugins, interactive: Bool = false,
                settings: Session.Settings = Session.Settings(), pluginHost: PluginHost = PluginHost(registryPath: nil)) {
        directory = NSTemporaryDirectory() + "valley-session-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        outPath = directory + "/stdout"
        errPath = directory + "/stderr"
        let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        session = Session(model: model, plugins: plugins, settings: settings, interactive: interactive, outputFD: out, errorFD: err,
                          pluginHost: pluginHost)
    }

    /// Runs the lines as a script named `file`.
    public func run(_ lines: [String], file: String? = "test.valley") {
        session.run(ScriptedLineSource(lines: lines), file: file)
        session.finish()
    }

    /// What the session wrote to stdout.
    public var stdout: String { (try? fileText(outPath)) ?? "" }
    /// What the session wrote to stderr.
    public var stderr: String { (try? fileText(errPath)) ?? "" }
    /// The stderr lines.
    public var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
    /// The stderr lines that are errors (csv and json output also put notes and prose there).
    public var errors: [String] { errorLines.filter { $0.contains("error: ") || $0.hasPrefix("error:") } }
    /// All of stderr but its error lines: the notes and prose of csv and json output.
    public var messages: String { stderr.split(separator: "\n").map(String.init).filter { !($0.contains("error: ") || $0.hasPrefix("error:")) }.joined(separator: "\n") }

    /// A path inside the temporary directory.
    public func path(_ name: String) -> String { directory + "/" + name }
}
