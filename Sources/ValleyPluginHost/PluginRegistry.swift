#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ValleyCore

/// A plugin the user added: where it is, the SHA-256 of its executable when it was added,
/// and its cached declaration.
public struct InstalledPlugin: Codable, Hashable, Sendable {
    /// Its namespace (also its name in `plugin info|remove|require`).
    public var namespace: String { declaration.namespace }
    /// The executable's absolute path.
    public var path: String
    /// The executable's SHA-256 when it was added: a different file is refused.
    public var sha256: String
    /// The protocol version it chose when it was added.
    public var protocolVersion: Int
    /// Its declaration, as it answered `hello`.
    public var declaration: PluginDeclaration
    /// When it was added (ISO 8601).
    public var added: String

    enum CodingKeys: String, CodingKey { case path, sha256, protocolVersion = "protocol", declaration, added }

    /// The command with this name.
    public func command(named name: String) -> CommandDeclaration? { declaration.commands.first { $0.name == name } }
}

/// The file of added plugins, `$XDG_CONFIG_HOME/valley/plugins` (JSON): only plugins named
/// there run, and only while their executable hashes as it did when added.
struct PluginRegistry {
    struct File: Codable {
        var format = "valley-plugins"
        var version = 1
        var plugins: [InstalledPlugin]
    }

    /// Where the registry is kept; nil keeps it in memory for this session only (tests).
    let path: String?

    /// The added plugins, in the order they were added.
    func load() throws -> [InstalledPlugin] {
        guard let path, FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let bytes = try FileIO.readBytes(path)
            let file = try JSONDecoder().decodeChecked(File.self, from: Data(bytes))
            guard file.format == "valley-plugins", file.version == 1 else {
                throw PluginError.registry(path: path, reason: "not a version-1 plugin registry")
            }
            return file.plugins
        } catch let error as DecodingError {
            throw PluginError.registry(path: path, reason: "unreadable (\(Workspace.describe(error))); move it away, then add the plugins again")
        }
    }

    /// Writes the registry atomically (its mode kept; a new one is private to the user).
    func save(_ plugins: [InstalledPlugin]) throws {
        guard let path else { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex { try FileIO.ensureDirectory(String(path[..<slash])) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(File(plugins: plugins))
        try FileIO.writeAtomically(Array(data) + [0x0A], to: path)
    }

    /// The SHA-256 of a file's bytes.
    static func hash(of path: String) throws -> String {
        SHA256.hex(try FileIO.readBytes(path, limited: false))
    }
}
