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

    /// Creates a context over a model.
    public init(model: ClusterModel, workingDirectory: String) {
        self.model = model
        self.workingDirectory = workingDirectory
    }

    /// Writes rows, rendered in the session's (or the command's) format.
    public mutating func emit(_ table: Table) { output.append(.table(table)) }

    /// Writes a line or lines of text as they are.
    public mutating func emit(text: String) { output.append(.text(text)) }

    /// Resolves a path the user typed against the working directory.
    public func resolve(path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/"), let home = ProcessEnvironment.home {
            return home + path.dropFirst()
        }
        return workingDirectory.hasSuffix("/") ? workingDirectory + path : workingDirectory + "/" + path
    }
}
