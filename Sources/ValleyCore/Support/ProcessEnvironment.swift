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
    ///
    /// Read with `getenv`, not `ProcessInfo.environment`: that builds a dictionary of the whole
    /// environment on first use, 5 % of `valley -c quit` to read the two variables it needs.
    /// (Valley itself sets no variables, so reading `environ` races with nothing.)
    /// - Complexity: O(size of the environment), no allocation but the result.
    public static func value(_ name: String) -> String? {
        guard let pointer = getenv(name), pointer.pointee != 0 else { return nil }
        return String(cString: pointer)
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
