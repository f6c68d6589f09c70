import ArgumentParser

/// A shell command: an argument-parser command whose `run` receives the model and an output sink.
///
/// The shell parses a line with `parseAsRoot` on the command's namespace (never `main()`),
/// then calls `run(in:)` on a working copy of the model.
public protocol ValleyCommand: ParsableCommand {
    /// Does the command's work against the context; throw to leave the model unchanged.
    mutating func run(in context: inout CommandContext) throws

    /// A format this invocation asked for with its own `--format`, overriding the session's.
    var outputFormat: OutputFormat? { get }
}

// MARK: - Default implementations

extension ValleyCommand {
    /// No per-command format unless the command declares one.
    public var outputFormat: OutputFormat? { nil }
}

/// The `--format` option a command can include with `@OptionGroup var output: FormatOption`.
public struct FormatOption: ParsableArguments {
    /// The format for this command's output; the session's format when omitted.
    @Option(name: .long, help: "Output format: table, csv, json or markdown.")
    public var format: OutputFormat?

    /// Creates the option group (argument-parser needs this).
    public init() {}
}
