#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The environment values Valley reads, in one place.
public enum ProcessEnvironment {
    /// `$HOME`, when set.
    public static var home: String? { value("HOME") }

    /// The value of an environment variable, or nil when unset or empty.
    public static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// `$XDG_STATE_HOME/valley` (default `~/.local/state/valley`).
    public static var stateDirectory: String? {
        if let state = value("XDG_STATE_HOME") { return state + "/valley" }
        return home.map { $0 + "/.local/state/valley" }
    }

    /// `$XDG_CONFIG_HOME/valley` (default `~/.config/valley`).
    public static var configDirectory: String? {
        if let config = value("XDG_CONFIG_HOME") { return config + "/valley" }
        return home.map { $0 + "/.config/valley" }
    }
}
