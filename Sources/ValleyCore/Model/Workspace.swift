#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The on-disk form of a model: a versioned JSON envelope around `ClusterModel`.
public enum Workspace {
    /// The format tag every workspace carries.
    public static let formatName = "valley-workspace"
    /// The current format version.
    public static let version = 1

    struct Envelope: Codable {
        var format: String
        var version: Int
        var model: ClusterModel
    }

    /// The workspace bytes for a model (stable key order, so equal models give equal bytes).
    public static func encode(_ model: ClusterModel) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(Envelope(format: formatName, version: version, model: model))
    }

    /// Decodes workspace bytes; anything else is `ValleyError.badWorkspace` naming the path.
    public static func decode(_ data: Data, path: String) throws -> ClusterModel {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: data)
        } catch let error as DecodingError {
            throw ValleyError.badWorkspace(path: path, reason: describe(error))
        } catch {
            throw ValleyError.badWorkspace(path: path, reason: "not JSON")
        }
        guard envelope.format == formatName else {
            throw ValleyError.badWorkspace(path: path, reason: "format is '\(envelope.format)', expected '\(formatName)'")
        }
        guard envelope.version == version else {
            throw ValleyError.badWorkspace(path: path, reason: "version \(envelope.version) is not supported (this valley reads version \(version))")
        }
        return envelope.model
    }

    /// Saves a model to `path` atomically.
    public static func save(_ model: ClusterModel, to path: String) throws {
        try FileIO.writeAtomically(try encode(model), to: path)
    }

    /// Loads a model from `path`.
    public static func load(from path: String) throws -> ClusterModel {
        try decode(Data(try FileIO.readBytes(path)), path: path)
    }

    static func describe(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON (truncated or corrupt)" : "\(place(context.codingPath)): \(context.debugDescription)"
        case let .keyNotFound(key, context):
            return "\(place(context.codingPath + [key])) is missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "\(place(context.codingPath)) has the wrong type"
        @unknown default:
            return "unreadable"
        }
    }
}
