#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// The interactive history file (`$XDG_STATE_HOME/valley/history`), rewritten atomically
/// after each command so a crash never leaves it truncated.
public final class HistoryStore {
    /// The file's path.
    public let path: String
    /// The remembered commands, oldest first (multi-line commands are stored with `\n` escaped).
    public private(set) var entries: [String] = []
    let limit: Int

    /// Opens the history at `path`; a missing file is an empty history, unreadable lines are skipped.
    public init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = limit
        if let bytes = try? FileIO.readBytes(path) {
            entries = bytes.split(separator: 0x0A).compactMap { String(validating: $0, as: UTF8.self) }.map(Self.decode)
            if entries.count > limit { entries.removeFirst(entries.count - limit) }
        }
    }

    /// The default location: `$XDG_STATE_HOME/valley/history` or `~/.local/state/valley/history`.
    public static var defaultPath: String? { ProcessEnvironment.stateDirectory.map { $0 + "/history" } }

    /// Adds a command and saves the file.
    public func append(_ command: String) throws {
        entries.append(command)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        try FileIO.ensureDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let text = entries.map(Self.encode).joined(separator: "\n") + "\n"
        try FileIO.writeAtomically(Array(text.utf8), to: path)
    }

    static func encode(_ command: String) -> String {
        var line = ""
        for character in command {
            switch character {
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            default: line.append(character)
            }
        }
        return line
    }

    static func decode(_ line: String) -> String {
        var output = ""
        var escaped = false
        for character in line {
            if escaped {
                output.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                output.append(character)
            }
        }
        return output
    }
}
