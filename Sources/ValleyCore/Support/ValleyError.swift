#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Every failure a Valley command or session can report, with a message a user can act on.
///
/// One place decides how an error looks and which exit code it gives: `errorDescription`
/// and `exitCode` here, and `ValleyError.describe(_:)` for errors of other types.
public enum ValleyError: LocalizedError, Equatable, Sendable {
    /// A command word that no built-in or plugin provides.
    case unknownCommand(String, suggestion: String?)
    /// Arguments a command rejected; the message comes from the command's parser.
    case usage(String)
    /// A name or id that matches no record, with the closest known ones.
    case notFound(kind: String, name: String, suggestions: [String] = [])
    /// A name that matches more than one record.
    case ambiguous(kind: String, name: String, candidates: [String])
    /// A record id that is already taken.
    case duplicateID(kind: String, id: String)
    /// A record whose reference names no record of the kind it refers to.
    case danglingReference(kind: String, id: String, field: String, target: String, key: String)
    /// A record that cannot be removed because others refer to it (`by`: "kind id (field)").
    case referenced(kind: String, id: String, by: [String])
    /// A value that does not have the expected form.
    case invalidValue(field: String, value: String, expected: String)
    /// A line that cannot be tokenised; `column` is 1-based.
    case syntax(message: String, column: Int)
    /// A file that cannot be read or written.
    case file(path: String, reason: String)
    /// A workspace file that is not a Valley workspace.
    case badWorkspace(path: String, reason: String)
    /// A script or data file position wrapped around an error.
    indirect case located(file: String, line: Int, ValleyError)
    /// Ctrl-C cancelled the command.
    case interrupted
    /// A refusal with its reason (e.g. figures of different scope).
    case refused(String)
    /// An import with bad rows, refused as a whole: each of the `first` lines names a row.
    case badRows(file: String, bad: Int, rows: Int, first: [String], rejectsWritten: String?)

    public var errorDescription: String? {
        switch self {
        case let .unknownCommand(name, suggestion):
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown command '\(Self.clip(name))'\(hint); type 'help' for the list"
        case let .usage(message):
            return message
        case let .notFound(kind, name, suggestions):
            return "no \(kind) named '\(Self.clip(name))'\(Suggestion.hint(suggestions))"
        case let .ambiguous(kind, name, candidates):
            return "'\(name)' matches \(candidates.count) \(kind) records: \(candidates.joined(separator: ", ")); use an id"
        case let .duplicateID(kind, id):
            let article = kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return "\(article) \(kind) with id '\(id)' already exists"
        case let .danglingReference(kind, id, field, target, key):
            return "\(kind) '\(Self.clip(id))': \(field) '\(Self.clip(key))' names no \(target)"
        case let .referenced(kind, id, referrers):
            let shown = referrers.prefix(10).joined(separator: ", ") + (referrers.count > 10 ? " and \(referrers.count - 10) more" : "")
            return "\(kind) '\(Self.clip(id))' is referred to by \(shown); remove those first or use --cascade"
        case let .invalidValue(field, value, expected):
            return "invalid \(field) '\(Self.clip(value))': expected \(expected)"
        case let .syntax(message, column):
            return "column \(column): \(message)"
        case let .file(path, reason):
            return "\(path): \(reason)"
        case let .badWorkspace(path, reason):
            return "\(path): not a Valley workspace: \(reason)"
        case let .located(file, line, error):
            return "\(file):\(line): \(error.errorDescription ?? "")"
        case .interrupted:
            return "interrupted"
        case let .refused(reason):
            return reason
        case let .badRows(file, bad, rows, first, rejects):
            let more = bad > first.count ? "\n… and \(bad - first.count) more" + (rejects == nil ? " (--rejects FILE writes every one)" : "") : ""
            return "\(file): \(bad) of \(rows) rows are bad; nothing was imported (--skip-bad imports the good rows"
                + (rejects.map { "; all bad rows are in \($0)" } ?? "") + ")\n" + first.joined(separator: "\n") + more
        }
    }

    /// The process exit status this error gives when it ends a run.
    public var exitCode: Int32 {
        switch self {
        case .interrupted: return 130
        case let .located(_, _, inner): return inner.exitCode
        default: return 1
        }
    }

    /// A value quoted in a message, cut to 80 characters so a 10 MB argument stays one readable line.
    package static func clip(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "…(\(text.utf8.count) bytes)"
    }

    /// The one-line message for any error: Valley's own, or another `LocalizedError`.
    public static func describe(_ error: any Error) -> String {
        let text: String
        if case .badRows = error as? ValleyError {
            // The one message of several lines: a line per bad row, each escaped on its own.
            return (error as! ValleyError).errorDescription!.split(whereSeparator: \.isNewline).map { TerminalText.escapingControls(String($0)) }.joined(separator: "\n")
        }
        if let error = error as? ValleyError {
            text = error.errorDescription ?? "\(error)"
        } else if let error = error as? any LocalizedError, let description = error.errorDescription {
            text = description
        } else {
            text = "\(error)"
        }
        // Most messages are one line; splitting by Character would cost more than the rest of a
        // failed command (a scalar scan finds every Character.isNewline).
        guard text.unicodeScalars.contains(where: { Character($0).isNewline }) else { return TerminalText.escapingControls(text) }
        return TerminalText.escapingControls(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    }
}
