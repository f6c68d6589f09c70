#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What goes wrong with an external plugin; each message names the plugin and says what to do.
public enum PluginError: LocalizedError, Equatable, Sendable {
    /// The plugin's declaration cannot be honoured.
    case badDeclaration(namespace: String, place: String, problem: String)
    /// The file cannot be run as a plugin.
    case notRunnable(path: String, reason: String)
    /// The plugin and this valley share no protocol version.
    case protocolMismatch(plugin: String, spoken: [Int], supported: [Int])
    /// The plugin broke the protocol (garbage, a message out of place).
    case protocolViolation(plugin: String, detail: String)
    /// The plugin's process ended during a call.
    case crashed(plugin: String, status: String)
    /// The plugin sent nothing for longer than the timeout.
    case timedOut(plugin: String, seconds: Double)
    /// The plugin did not read what the host sent it for longer than the timeout.
    case notReading(plugin: String, seconds: Double)
    /// The plugin answered with an error of its own.
    case failed(plugin: String, message: String)
    /// The executable changed since it was added.
    case changedBinary(namespace: String, path: String)
    /// No plugin with this name is added.
    case notAdded(name: String, suggestion: String?)
    /// The plugin registry file cannot be read or written.
    case registry(path: String, reason: String)

    /// The one-line message.
    public var errorDescription: String? {
        switch self {
        case let .badDeclaration(namespace, place, problem):
            return "plugin '\(namespace)' declares something this valley cannot use: \(place): \(problem)"
        case let .notRunnable(path, reason):
            return "\(path): cannot run it as a plugin: \(reason)"
        case let .protocolMismatch(plugin, spoken, supported):
            let theirs = spoken.isEmpty ? "no protocol version" : "protocol \(spoken.map(String.init).joined(separator: ", "))"
            return "plugin '\(plugin)' speaks \(theirs); this valley speaks protocol \(supported.map(String.init).joined(separator: ", ")): update the one that is older"
        case let .protocolViolation(plugin, detail):
            return "plugin '\(plugin)' broke the protocol (\(detail)); the model is unchanged"
        case let .crashed(plugin, status):
            return "plugin '\(plugin)' ended during the command (\(status)); the model is unchanged"
        case let .timedOut(plugin, seconds):
            return "plugin '\(plugin)' sent nothing for \(Self.seconds(seconds)) and was stopped; the model is unchanged ('set plugin-timeout' changes the limit)"
        case let .notReading(plugin, seconds):
            return "plugin '\(plugin)' did not read its input for \(Self.seconds(seconds)) and was stopped; the model is unchanged ('set plugin-timeout' changes the limit)"
        case let .failed(plugin, message):
            return "\(plugin): \(message)"
        case let .changedBinary(namespace, path):
            return "plugin '\(namespace)': \(path) changed since it was added (its SHA-256 differs); run 'plugin add \(path)' again if you trust the new one"
        case let .notAdded(name, suggestion):
            return "no plugin '\(name)' is added" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; 'plugin add PATH' adds one, 'plugin list' shows them")
        case let .registry(path, reason):
            return "the plugin registry \(path): \(reason)"
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
