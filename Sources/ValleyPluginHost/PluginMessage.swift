#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ValleyCore

/// The protocol versions (docs/plugin-protocol.md). The host keeps answering every major
/// version it has shipped, so a plugin written for version 1 keeps working with later valleys;
/// the handshake compares these, never valley's own version.
public enum PluginProtocol {
    /// Every version this valley speaks, oldest first.
    /// - 1: hello and declaration; call; get and query; result with tables, text, notes and
    ///   a change set; error; cancel.
    /// - 2: adds `complete`, asked of the plugin for arguments declared `"complete": {"plugin": true}`.
    public static let supported = [1, 2]
}

/// A message from a plugin: one JSON object per line, told apart by `type`.
struct IncomingMessage: Decodable {
    var type: String
    var `protocol`: Int?
    var protocols: [Int]?
    var declaration: PluginDeclaration?
    var call: Int?
    var request: Int?
    var kind: String?
    var keys: [String]?
    var `where`: String?
    var fields: [String]?
    var limit: Int?
    var form: String?
    var tables: [TableMessage]?
    var text: String?
    var notes: [String]?
    var changes: [ChangeMessage]?
    var failure: String?
    var message: String?
    var values: [String]?
}

/// A table a plugin answers with; the shell renders it in the session's format.
struct TableMessage: Decodable {
    var name: String?
    var columns: [String]
    var rows: [[JSONValue]]
}

/// One change of a change set: add or update a whole record (in its stored form), or remove one.
struct ChangeMessage: Decodable {
    var op: String
    var kind: String
    var record: JSONValue?
    var key: String?
    var cascade: Bool?
}

/// Messages the host sends.
enum OutgoingMessage {
    struct Hello: Encodable { var type = "hello"; var protocols: [Int]; var host = "valley" }
    struct Call: Encodable {
        var type = "call"
        var call: Int
        var command: String
        var arguments: [String: JSONValue]
        var format: String
    }
    struct Cancel: Encodable { var type = "cancel"; var call: Int }
    struct Complete: Encodable {
        var type = "complete"
        var call: Int
        var command: String
        var argument: String
        var partial: String
    }
    struct RequestError: Encodable { var type = "error"; var request: Int; var message: String }
    struct End: Encodable { var type = "end"; var request: Int; var count: Int }
    struct Fields: Encodable { var type = "fields"; var request: Int; var kind: String; var fields: [String] }

    /// One line: the message as compact JSON and a newline.
    static func line(_ message: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every message here is made of strings, numbers and JSON values: it always encodes.
        var bytes = (try? encoder.encode(message)).map { [UInt8]($0) } ?? Array("{}".utf8)
        bytes.append(0x0A)
        return bytes
    }
}
