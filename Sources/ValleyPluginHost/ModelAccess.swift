#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@_spi(Shell) import ValleyCore

/// What a plugin may read of the model and how its change set enters it. Records leave in
/// the field vocabulary (the names `--where` and `--fields` use) or in their stored form;
/// changes enter in the stored form, through the store's one validation path.
enum ModelAccess {
    /// How many rows one `rows` message carries.
    static let batch = 2_000

    /// Answers a `get`: the records with these keys (null for a key with no record).
    static func get(_ request: IncomingMessage, in model: ClusterModel) throws -> [UInt8] {
        let kind = try self.kind(request.kind, in: model)
        var visitor = GetVisitor(model: model, keys: request.keys ?? [], stored: request.form == "stored", request: request.request ?? 0)
        return try kind.accept(&visitor)
    }

    /// Answers a `query`: a `fields` line, the matching records' values in `rows` batches,
    /// then `end` with the count; each is written with `send` as it is ready.
    static func query(_ request: IncomingMessage, in model: ClusterModel, send: ([UInt8]) throws -> Void) throws {
        let kind = try self.kind(request.kind, in: model)
        try withoutActuallyEscaping(send) { send in
            var visitor = QueryVisitor(model: model, request: request, send: send)
            try kind.accept(&visitor)
        }
    }

    static func kind(_ name: String?, in model: ClusterModel) throws -> any AnyRecordKind {
        guard let name, let table = model.table(named: name) else {
            let known = model.kindNames
            throw ValleyError.invalidValue(field: "kind", value: name ?? "", expected: "one of \(known.joined(separator: ", "))")
        }
        return table.kind
    }

    /// Writes one record's fields (in `fields` order) as a JSON array or object.
    static func append<R: Record>(_ record: R, fields: [RecordFields<R>.Field], asObject: Bool, to json: inout JSONBytes) {
        json.bytes.append(asObject ? 0x7B : 0x5B)
        for (index, field) in fields.enumerated() {
            if index > 0 { json.bytes.append(0x2C) }
            if asObject {
                json.string(field.name)
                json.bytes.append(0x3A)
            }
            switch field.value(record) {
            case .missing: json.raw("null")
            case let .text(text): json.string(text)
            case let .number(number): json.number(number)
            case let .date(date): json.string(date.description)
            case let .list(items):
                json.bytes.append(0x5B)
                for (position, item) in items.enumerated() {
                    if position > 0 { json.bytes.append(0x2C) }
                    json.string(item)
                }
                json.bytes.append(0x5D)
            }
        }
        json.bytes.append(asObject ? 0x7D : 0x5D)
    }

    private struct GetVisitor: RecordKindVisitor {
        let model: ClusterModel
        let keys: [String]
        let stored: Bool
        let request: Int

        func visit<R: Record>(_ kind: RecordKind<R>) throws -> [UInt8] {
            var json = JSONBytes()
            json.raw("{\"type\":\"records\",\"request\":")
            json.bytes.append(contentsOf: String(request).utf8)
            json.raw(",\"kind\":")
            json.string(kind.name)
            json.raw(",\"records\":[")
            let table = model[R.self]
            for (index, key) in keys.enumerated() {
                if index > 0 { json.bytes.append(0x2C) }
                guard let record = table[id: key] else { json.raw("null"); continue }
                // A plugin's own kinds are stored in their field vocabulary: one form, with its types.
                if let fields = kind.fields, !stored, DeclaredKinds.declaration(named: kind.name) == nil {
                    ModelAccess.append(record, fields: fields.fields, asObject: true, to: &json)
                } else {
                    json.bytes.append(contentsOf: try StreamingJSONEncoder().encode(record))
                }
            }
            json.raw("]}\n")
            return json.bytes
        }
    }

    private struct QueryVisitor: RecordKindVisitor {
        let model: ClusterModel
        let request: IncomingMessage
        let send: ([UInt8]) throws -> Void

        func visit<R: Record>(_ kind: RecordKind<R>) throws {
            guard let declared = kind.fields else {
                throw ValleyError.refused("\(kind.name) declares no fields to query; ask for records with get")
            }
            let fields = try (request.fields ?? declared.names).map { try declared.require($0, option: "fields") }
            let filter = try declared.whereFilter(request.where)
            let limit = request.limit ?? Int.max
            let number = request.request ?? 0
            try send(OutgoingMessage.line(OutgoingMessage.Fields(request: number, kind: kind.name, fields: fields.map(\.name))))
            let table = model[R.self]
            var json = JSONBytes()
            var inBatch = 0
            var count = 0
            func startBatch() {
                json.bytes.removeAll(keepingCapacity: true)
                json.raw("{\"type\":\"rows\",\"request\":")
                json.bytes.append(contentsOf: String(number).utf8)
                json.raw(",\"rows\":[")
            }
            startBatch()
            var failure: (any Error)?
            table.forEachRecord(while: { record in
                guard count < limit else { return false }
                if let filter, !filter.matches(record) { return true }
                if inBatch > 0 { json.bytes.append(0x2C) }
                ModelAccess.append(record, fields: fields, asObject: false, to: &json)
                inBatch += 1
                count += 1
                if inBatch == ModelAccess.batch {
                    json.raw("]}\n")
                    do { try send(json.bytes) } catch { failure = error; return false }
                    inBatch = 0
                    startBatch()
                    if count & 0xFFFF == 0, Interruption.isRequested { failure = ValleyError.interrupted; return false }
                }
                return true
            })
            if let failure { throw failure }
            if inBatch > 0 {
                json.raw("]}\n")
                try send(json.bytes)
            }
            try send(OutgoingMessage.line(OutgoingMessage.End(request: number, count: count)))
        }
    }

    // MARK: - Change sets

    /// Applies a plugin's change set through the store's validation. On any error the caller
    /// rolls the model back; the error names the change (`change 2 (add trials 't9')`).
    static func apply(_ changes: [ChangeMessage], to model: inout ClusterModel, plugin: String) throws -> [String] {
        var effects: [String] = []
        for (index, change) in changes.enumerated() {
            var key = change.key
            if key == nil, case let .object(fields)? = change.record {
                let keyName = DeclaredKinds.declaration(named: change.kind)?.key ?? "id"
                if case let .string(text)? = fields[keyName] { key = text }
            }
            let place = "change \(index + 1) (\(change.op) \(change.kind)\(key.map { " '\(ValleyError.clip($0))'" } ?? ""))"
            do {
                let kind = try self.kind(change.kind, in: model)
                var visitor = ApplyVisitor(change: change, model: model)
                model = ClusterModel(kinds: [])  // the visitor holds the only reference: no copy
                defer { model = visitor.model }
                effects += try kind.accept(&visitor)
            } catch {
                throw PluginError.failed(plugin: plugin, message: "\(place): \(ValleyError.describe(error)); nothing was changed")
            }
        }
        return effects
    }

    private struct ApplyVisitor: RecordKindVisitor {
        let change: ChangeMessage
        var model: ClusterModel

        mutating func visit<R: Record>(_ kind: RecordKind<R>) throws -> [String] {
            switch change.op {
            case "add", "update":
                guard let stored = change.record, case let .object(object) = stored else {
                    throw ValleyError.usage("'\(change.op)' needs a record (a JSON object in the kind's stored form)")
                }
                if let declared = DeclaredKinds.declaration(named: kind.name) {
                    let known = Set([declared.key] + declared.fields.map(\.name))
                    if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                        throw ValleyError.invalidValue(field: unknown, value: "", expected: "one of the fields of \(kind.name): \(([declared.key] + declared.fields.map(\.name)).joined(separator: ", "))")
                    }
                }
                let record: R
                do {
                    record = try JSONDecoder().decode(R.self, from: try JSONEncoder().encode(stored))
                } catch let error as DecodingError {
                    throw ValleyError.refused("not a \(kind.label) record: \(Workspace.describe(error))")
                }
                // A field the record type does not read would be dropped without a word: refuse it.
                let kept = try JSONDecoder().decode([String: JSONValue].self, from: try JSONEncoder().encode(record))
                if let unknown = object.filter({ $0.value != .null && kept[$0.key] == nil }).keys.sorted().first {
                    throw ValleyError.invalidValue(field: unknown, value: "", expected: "a field of a \(kind.label)'s stored form (\(kept.keys.sorted().joined(separator: ", ")))")
                }
                if change.op == "add" { try model.insert(record) } else { try model.update(record) }
                return []
            case "remove":
                guard let key = change.key else { throw ValleyError.usage("'remove' needs a key") }
                return try model.remove(R.self, id: key, cascade: change.cascade ?? false)
            default:
                throw ValleyError.usage("unknown op '\(change.op)' (add, update or remove)")
            }
        }
    }
}
