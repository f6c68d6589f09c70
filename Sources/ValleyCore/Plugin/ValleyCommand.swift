import ArgumentParser

/// A shell command: an argument-parser command whose `run` receives the model and an output sink.
///
/// The shell parses a line with `parseAsRoot` on the command's namespace (never `main()`),
/// then calls `run(in:)` on a working copy of the model. `--format` is the shell's: a command
/// emits typed tables and never renders them.
public protocol ValleyCommand: ParsableCommand {
    /// Does the command's work against the context; throw to leave the model unchanged.
    mutating func run(in context: inout CommandContext) throws
}
