import ValleyCore

/// Exit statuses of the `valley` command line (sysexits.h where one fits).
public enum ValleyExit {
    /// Every command succeeded, or an interactive session ended normally.
    public static let success: Int32 = 0
    /// A command failed.
    public static let failure: Int32 = 1
    /// A bad `valley` command line.
    public static let usage: Int32 = 64
    /// A script or workspace that cannot be read.
    public static let noInput: Int32 = 66
    /// Ended by Ctrl-C.
    public static let interrupted: Int32 = 130
}

/// The one place where an error becomes what the user sees and the status the process ends
/// with: the message (`ValleyError.describe`, control characters escaped), the place prefix
/// (`FILE:LINE: `, or `valley: ` before the session starts), the severity word, and the exit
/// status by the stage the error stopped.
enum Diagnostics {
    /// What a message is.
    enum Severity: String { case error, warning, note }

    /// Where a run stopped, which decides its exit status.
    enum Stage {
        /// Reading what the session starts from: the workspace, the script file.
        case startup
        /// A command of a script, `-c` or stdin.
        case command
    }

    /// One line for stderr: `FILE:LINE: error: MESSAGE`, `error: MESSAGE` at the prompt,
    /// `valley: error: MESSAGE` at start-up.
    static func line(_ severity: Severity, _ message: String, file: String? = nil, line: Int = 0, startup: Bool = false) -> String {
        let place = startup ? "valley: " : (file.map { "\($0):\(line): " } ?? "")
        // `describe` has made every message one line, except an import's list of bad rows.
        return "\(place)\(severity.rawValue): \(TerminalText.escapingControls(message, keepingLines: true))\n"
    }

    /// The line for an error.
    static func line(for error: any Error, file: String? = nil, line: Int = 0, startup: Bool = false) -> String {
        self.line(.error, ValleyError.describe(error), file: file, line: line, startup: startup)
    }

    /// The exit status for an error that ended a run at `stage`: 130 for Ctrl-C whatever the
    /// stage, 66 for unreadable start-up input, else the error's own (`ValleyError.exitCode`, 1).
    static func exitStatus(for error: any Error, stage: Stage) -> Int32 {
        if isInterrupt(error) { return ValleyExit.interrupted }
        switch stage {
        case .startup: return ValleyExit.noInput
        case .command: return (error as? ValleyError)?.exitCode ?? ValleyExit.failure
        }
    }

    /// True for Ctrl-C (also wrapped in a file's place).
    static func isInterrupt(_ error: any Error) -> Bool {
        (error as? ValleyError)?.exitCode == ValleyExit.interrupted
    }
}
