#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON form of a workspace (the interchange form; the saved form is the SQLite database
/// of `ValleyWorkspace`): a versioned envelope with one section per record kind and, since
/// version 3, each kind's owner and schema version.
///
/// Reading runs every record through the kinds' validation (`ClusterModel.insert`), so a
/// workspace with a duplicate id, a dangling reference or an out-of-range value is refused
/// with its place. A missing section loads empty; a section stored at an older schema version
/// is migrated by its kind; a section of a kind no plugin declares is kept and written back
/// untouched.
public enum Workspace {
    /// The format tag every workspace carries.
    public static let formatName = "valley-workspace"
    /// The current format version (2: every section is an array of records; 3: `kinds` gives
    /// each section's owner and schema version).
    public static let version = 3
    /// The oldest version this valley reads.
    public static let oldestVersion = 1

    /// What opening a workspace gave: the model and one-line notices (kept sections).
    public struct Loaded: Sendable {
        /// The model.
        public var model: ClusterModel
        /// Notices for the user, e.g. a kind whose plugin is absent.
        public var notices: [String]

        /// A loaded model and its notices.
        public init(model: ClusterModel, notices: [String]) {
            self.model = model
            self.notices = notices
        }
    }

    /// The workspace bytes for a model (stable order, so equal models give equal bytes).
    public static func encode(_ model: ClusterModel) throws -> Data {
        var bytes: [UInt8] = []
        try write(model) { bytes += $0 }
        return Data(bytes)
    }

    /// Writes the JSON form of `model` in pieces to `sink`, one record per line, streamed:
    /// a million records take seconds and little memory beyond the model (through
    /// `JSONEncoder`'s tree they took 21.7 s and 3 GB).
    ///
    /// `{"format":…,"version":3,"kinds":{…},"model":{"kind":[⏎record,⏎record⏎],…}}` with the
    /// kinds in the model's order, kept sections after them by name, and object keys of kept
    /// records sorted.
    public static func write(_ model: ClusterModel, to sink: ([UInt8]) throws -> Void) throws {
        let encoder = StreamingJSONEncoder()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func emit(_ bytes: [UInt8]) throws {
            buffer += bytes
            if buffer.count >= 1 << 20 {
                try sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        func emit(_ text: String) throws { try emit(Array(text.utf8)) }
        try emit("{\"format\":")
        try emit(encoder.encode(formatName))
        try emit(",\"version\":\(version),\"kinds\":{")
        for (index, entry) in kindVersions(of: model).sorted(by: { $0.key < $1.key }).enumerated() {
            try emit((index > 0 ? ",\n" : "\n") + TableRenderer.jsonString(entry.key) + ":")
            try emit(encoder.encode(entry.value))
        }
        try emit("\n},\"model\":{")
        var first = true
        func section(_ name: String, _ records: () throws -> Void) throws {
            try emit((first ? "\n" : ",\n") + TableRenderer.jsonString(name) + ":[")
            first = false
            try records()
            try emit("\n]")
        }
        for table in model.allTables where table.count > 0 {
            try section(table.kind.name) {
                var leading = "\n"
                try table.forEachJSONRecord { record in
                    try emit(leading)
                    try emit(record)
                    leading = ",\n"
                }
            }
        }
        for (name, kept) in model.keptSections.sorted(by: { $0.key < $1.key }) where model.table(named: name) == nil {
            try section(name) {
                for (index, record) in kept.records.enumerated() {
                    try emit(index > 0 ? ",\n" : "\n")
                    try emit(encoder.encode(record))
                }
            }
        }
        try emit("\n}}\n")
        try sink(buffer)
    }

    /// The owner and schema version of every section a save of `model` writes.
    public static func kindVersions(of model: ClusterModel) -> [String: KindVersion] {
        var kinds: [String: KindVersion] = [:]
        for table in model.allTables where table.count > 0 {
            kinds[table.kind.name] = KindVersion(owner: table.kind.owner, schemaVersion: table.kind.schemaVersion)
        }
        for (name, section) in model.keptSections where model.table(named: name) == nil {
            kinds[name] = KindVersion(owner: section.owner, schemaVersion: section.schemaVersion)
        }
        return kinds
    }

    /// Who declared a stored kind, and the schema version its records are stored at.
    public struct KindVersion: Codable, Hashable, Sendable {
        /// `core` or a plugin's namespace.
        public var owner: String
        /// The kind's `schemaVersion` when the records were written.
        public var schemaVersion: Int

        /// A kind's owner and version.
        public init(owner: String, schemaVersion: Int) {
            self.owner = owner
            self.schemaVersion = schemaVersion
        }
    }

    /// Decodes workspace bytes with the given kinds; anything else is `ValleyError.badWorkspace` naming the path.
    public static func decode(_ data: Data, path: String, kinds: [any AnyRecordKind]) throws -> Loaded {
        // Refused here with its place: Foundation's scanner can trap on it (see `JSONNesting`).
        if let problem = JSONNesting.problem(in: data) { throw ValleyError.badWorkspace(path: path, reason: problem) }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch let error as DecodingError {
            throw ValleyError.badWorkspace(path: path, reason: describe(error))
        } catch {
            throw ValleyError.badWorkspace(path: path, reason: "not JSON")
        }
        guard header.format == formatName else {
            throw ValleyError.badWorkspace(path: path, reason: "format is '\(header.format)', expected '\(formatName)'")
        }
        guard (oldestVersion...version).contains(header.version) else {
            throw ValleyError.badWorkspace(path: path, reason: "version \(header.version) is not supported (this valley reads versions \(oldestVersion) to \(version))")
        }
        let stored: [String: KindVersion]
        do {
            stored = try JSONDecoder().decode(KindsHeader.self, from: data).kinds ?? [:]
        } catch let error as DecodingError {
            throw ValleyError.badWorkspace(path: path, reason: describe(error))
        }
        let decoder = JSONDecoder()
        decoder.userInfo[Reading.key] = Reading(path: path, kinds: kinds, stored: stored)
        do {
            let envelope = try decoder.decode(ReadEnvelope.self, from: data)
            return envelope.model.loaded
        } catch let error as DecodingError {
            throw ValleyError.badWorkspace(path: path, reason: describe(error))
        } catch let error as ValleyError {
            if case .badWorkspace = error { throw error }
            if case .interrupted = error { throw error }  // Ctrl-C: not the file's fault
            throw ValleyError.badWorkspace(path: path, reason: ValleyError.describe(error))
        }
    }

    /// Saves a model to `path` atomically, streamed to the file.
    public static func save(_ model: ClusterModel, to path: String) throws {
        try FileIO.replaceAtomically(path) { _, fd in
            try write(model) { try FileIO.writeAll($0, to: fd, name: path) }
        }
    }

    /// Loads a model from `path`, reading the kinds given.
    public static func load(from path: String, kinds: [any AnyRecordKind]) throws -> Loaded {
        try decode(Data(try FileIO.readBytes(path)), path: path, kinds: kinds)
    }

    // MARK: - Envelopes

    struct Header: Decodable {
        var format: String
        var version: Int
    }

    struct ReadEnvelope: Decodable {
        var model: ReadSections
    }

    /// The `kinds` member (absent before version 3: every kind at schema version 1).
    struct KindsHeader: Decodable {
        var kinds: [String: KindVersion]?
    }

    /// What the reader needs from outside the bytes.
    struct Reading: Sendable {
        static let key = CodingUserInfoKey(rawValue: "valley.workspace.reading")!
        let path: String
        let kinds: [any AnyRecordKind]
        let stored: [String: KindVersion]
    }

    /// The model's sections read through the kinds' validation.
    struct ReadSections: Decodable {
        let loaded: Loaded

        init(from decoder: any Decoder) throws {
            guard let reading = decoder.userInfo[Reading.key] as? Reading else {
                throw ValleyError.refused("internal: workspace read without its kinds")
            }
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            var model = ClusterModel(kinds: reading.kinds)
            var notices: [String] = []
            let known = Set(reading.kinds.map(\.name))
            try model.load { model in
                for kind in reading.kinds where container.contains(AnyCodingKey(kind.name)) {
                    try kind.load(from: container, into: &model, path: reading.path,
                                  storedVersion: reading.stored[kind.name]?.schemaVersion ?? 1)
                }
            }
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !known.contains(key.stringValue) {
                let records = try container.decode([JSONValue].self, forKey: key)
                let stored = reading.stored[key.stringValue]
                model.keep(KeptSection(records: records, owner: stored?.owner ?? "", schemaVersion: stored?.schemaVersion ?? 1), as: key.stringValue)
                notices.append(keptNotice(path: reading.path, kind: key.stringValue, count: records.count, owner: stored?.owner ?? ""))
            }
            _ = model.takeChanges()
            loaded = Loaded(model: model, notices: notices)
        }
    }

    /// The one-line notice for a kind kept because no plugin here declares it.
    public static func keptNotice(path: String, kind: String, count: Int, owner: String) -> String {
        let plugin = owner.isEmpty ? "no plugin here declares that kind" : "plugin '\(owner)' is not here"
        return "\(path): kept \(count) \(count == 1 ? "record" : "records") of '\(kind)' (\(plugin); they are written back unchanged)"
    }

    /// A decoding error as a place and a reason.
    public static func describe(_ error: DecodingError) -> String {
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
