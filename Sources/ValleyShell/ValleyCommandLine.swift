import ArgumentParser
import ValleyCore

/// The `valley` command line: parses the options and hands them to the shell.
public struct ValleyCommandLine: ParsableCommand {
    /// The command line's name, help text and version.
    public static let configuration = CommandConfiguration(
        commandName: "valley",
        abstract: "A workbench for a biomedicine industrial cluster (built-in data: Nanjing Biotech and Pharmaceutical Valley).",
        discussion: """
            With no -c and no SCRIPT, reads commands from the terminal (line editing, completion, history), \
            or from stdin when it is not a terminal. Exit status: 0 success, 1 a command failed, \
            64 bad command line, 66 unreadable script, 130 interrupted.
            """,
        version: "valley 0.1.0")

    @Flag(help: "Start with no data instead of the built-in data set.") var empty = false
    @Option(help: "Load this workspace (a file written by 'save': SQLite or JSON).") var workspace: String?
    @Option(help: "Output format: table, csv, json, jsonl or markdown (json and csv carry data only; notes go to stderr).") var format: OutputFormat = .table
    @Flag(help: "Stop at the first failed command.") var bail = false
    @Flag(help: "Print each command before its output.") var echo = false
    @Flag(name: .customLong("no-rc"), help: "Do not run ~/.valleyrc or $XDG_CONFIG_HOME/valley/rc.") var noRC = false
    @Option(name: .customLong("read-limit"), help: "The most one reader takes from a file, e.g. 4GB (default 1GB; also 'set read-limit').") var readLimit: String?
    @Option(name: .customShort("c"), help: "Run this command (repeatable; runs in order).") var command: [String] = []
    @Argument(help: "A script to run ('-' for stdin).") var script: String?
    @Argument(parsing: .captureForPassthrough, help: "Arguments for the script ($1, $2, …).") var scriptArguments: [String] = []

    /// Options at their defaults (argument-parser fills them in).
    public init() {}

    /// Whether the shell can print in `format` (xlsx is only a file format).
    static func isSessionFormat(_ format: OutputFormat) -> Bool { format != .xlsx }

    /// Refuses option values argument-parser accepts but valley does not (`--format xlsx`).
    public func validate() throws {
        if !Self.isSessionFormat(format) { throw ValidationError("--format xlsx is a file format ('registry export FILE.xlsx'); use table, csv, json, jsonl or markdown") }
    }

    /// The launch options these parsed arguments give.
    func launchOptions() throws -> LaunchOptions {
        var options = LaunchOptions()
        options.empty = empty
        options.workspace = workspace
        options.settings.format = format
        options.settings.bail = bail
        options.settings.echo = echo
        options.noRC = noRC
        options.commands = command
        options.script = script
        options.scriptArguments = scriptArguments
        if let readLimit {
            guard let bytes = ByteCount.parse(readLimit), bytes >= 1 << 20 else {
                throw ValidationError("--read-limit: expected a size of at least 1MB, like 512MB or 4GB, got '\(readLimit)'")
            }
            options.readLimit = bytes
        }
        return options
    }

    /// Starts valley with these options; exits with its status.
    public func run() throws {
        launch(try launchOptions())
    }
}
