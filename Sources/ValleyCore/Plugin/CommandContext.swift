/// What a command runs against: the shared model (a working copy) and an output sink.
///
/// The shell hands each command a copy of the model; it keeps the copy only if `run`
/// returns normally, so a command that throws changes nothing.
public struct CommandContext: Sendable {
    /// The shared model; commands read it and may change it.
    public var model: ClusterModel
    /// What the command has written so far.
    public private(set) var output: [OutputBlock] = []
    /// The directory relative paths are resolved against.
    public let workingDirectory: String
    /// The format the output will be rendered in (the shell renders it; a command reads this
    /// only to choose between a chart for people and rows for programs).
    public let format: OutputFormat
    /// The `--format` given on this command's line, if any (`registry export` takes its file
    /// format from it).
    public let requestedFormat: OutputFormat?

    /// Creates a context over a model.
    public init(model: ClusterModel, workingDirectory: String, format: OutputFormat = .table, requestedFormat: OutputFormat? = nil) {
        self.model = model
        self.workingDirectory = workingDirectory
        self.format = format
        self.requestedFormat = requestedFormat
    }

    /// Writes rows, rendered in the session's (or the command's) format.
    public mutating func emit(_ table: Table) { output.append(.table(table)) }

    /// Writes rows under a name: the key of this table when a command writes several and the
    /// format is json (`{"import": [...], "problems": [...]}`).
    public mutating func emit(_ table: Table, name: String) {
        var named = table
        named.name = name
        output.append(.table(named))
    }

    /// Writes a line or lines of text as they are: a chart, a verdict in words. In csv and json
    /// output it goes to stderr, so that stdout holds data only.
    public mutating func emit(text: String) { output.append(.text(text)) }

    /// Writes a note about what the command did (`ignored columns: …`): shown after the
    /// output on a terminal, on stderr in csv and json.
    public mutating func note(_ text: String) { output.append(.note(text)) }

    /// Set by `fail(_:)`: the command ran and its output stands, but it reports failure.
    public private(set) var failure: String?

    /// Marks the command failed after its output (e.g. `logistics check --strict` on a FAIL
    /// verdict): the shell prints the output, then `message` as an error, and the run's exit
    /// status is 1. Changes the command made are kept.
    public mutating func fail(_ message: String) { failure = message }

    /// Undoes every change this command has made so far (for `--dry-run`).
    /// - Complexity: O(changes made).
    public mutating func discardChanges() { model.rollBack() }

    /// Resolves a path the user typed against the working directory.
    public func resolve(path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/"), let home = ProcessEnvironment.home {
            return home + path.dropFirst()
        }
        return workingDirectory.hasSuffix("/") ? workingDirectory + path : workingDirectory + "/" + path
    }
}
