import ValleyCore

/// Turns a plugin's kind declaration into the store's `RecordKind`: its fields for the filter
/// language, its names, its references and its validation, so that records of a plugin's kind
/// go through the same path as every built-in record.
enum DeclaredKindBuilder<Slot: DeclaredKindSlot> {
    typealias R = DeclaredRecord<Slot>

    static func kind(_ declaration: KindDeclaration, owner: String) -> RecordKind<R> {
        let key = declaration.key
        var fields: [RecordFields<R>.Field] = [.init(key, .text, "the key") { .text($0.id) }]
        for field in declaration.fields {
            let name = field.name
            let kind: RecordFields<R>.Field.Kind
            switch field.type {
            case .text, .boolean: kind = .text
            case .integer, .number: kind = .number
            case .date: kind = .date
            case .list: kind = .list
            }
            fields.append(.init(name, kind, field.help) { record in fieldValue(record.values[name], type: field.type) })
        }
        let names = declaration.names
        let references = declaration.fields.compactMap { field -> Reference<R>? in
            guard let target = field.references else { return nil }
            let name = field.name
            if field.type == .list {
                return Reference(field: name, target: target, isRequired: field.required, keys: { record in
                    if case let .array(items)? = record.values[name] { return items.map(\.text) }
                    return []
                }, replace: { record, old, new in
                    guard case let .array(items)? = record.values[name] else { return }
                    var seen = Set<String>()
                    record.values[name] = .array(items.map(\.text).compactMap { $0 == old ? new : $0 }.filter { seen.insert($0).inserted }.map(JSONValue.string))
                })
            }
            return Reference(field: name, target: target, isRequired: field.required, keys: { record in
                if case let .string(text)? = record.values[name] { return [text] }
                return []
            }, replace: { record, old, new in
                guard case let .string(text)? = record.values[name], text == old else { return }
                record.values[name] = new.map(JSONValue.string)
            })
        }
        return RecordKind<R>(
            name: declaration.name, label: declaration.label, owner: owner, schemaVersion: declaration.schemaVersion,
            fields: RecordFields(fields), names: { record in
                names.flatMap { name -> [String] in
                    switch record.values[name] {
                    case let .string(text)?: [text]
                    case let .array(items)?: items.map(\.text)
                    default: []
                    }
                }
            }, references: references,
            // A record stored at an older schema version is read as it is and checked against
            // the current declaration (a plugin runs no code in the host to migrate it).
            migrate: { _, _ in },
            validate: { record in try declaration.validate(values: record.values) })
    }

    static func fieldValue(_ value: JSONValue?, type: FieldDeclaration.FieldType) -> FieldValue {
        switch value {
        case nil, .null?: return .missing
        case let .string(text)?: return type == .date ? CalendarDate(text).map(FieldValue.date) ?? .text(text) : .text(text)
        case let .integer(number)?: return .number(Double(number))
        case let .number(number)?: return .number(number)
        case let .bool(flag)?: return .text(flag ? "true" : "false")
        case let .array(items)?: return .list(items.map(\.text))
        case .object?: return .missing
        }
    }

}

extension KindDeclaration {
    /// The declared checks on a record's field values: required fields, types, ranges,
    /// allowed values, dates (references are the store's to check).
    /// - Throws: `ValleyError.invalidValue` naming the field.
    func validate(values: [String: JSONValue]) throws {
        for field in fields {
            guard let value = values[field.name], value != .null else {
                if field.required { throw ValleyError.invalidValue(field: field.name, value: "", expected: "a value (\(label) records must have it)") }
                continue
            }
            func bad(_ expected: String) -> ValleyError { .invalidValue(field: field.name, value: ValleyError.clip(value.text), expected: expected) }
            func checkRange(_ number: Double) throws {
                if let minimum = field.minimum, number < minimum { throw bad("at least \(JSONValue.number(minimum).text)") }
                if let maximum = field.maximum, number > maximum { throw bad("at most \(JSONValue.number(maximum).text)") }
            }
            switch (field.type, value) {
            case let (.text, .string(text)):
                if let allowed = field.values, !allowed.contains(text) { throw bad("one of \(allowed.joined(separator: ", "))") }
                if field.required, text.isEmpty { throw bad("a value (\(label) records must have it)") }
            case let (.date, .string(text)):
                guard CalendarDate(text) != nil else { throw bad("a date like 2024, 2024-05 or 2024-05-17") }
            case let (.integer, .integer(number)):
                guard abs(number) <= 1 << 53 else { throw bad("a whole number of at most 2^53 in magnitude") }
                try checkRange(Double(number))
            case let (.number, .number(number)):
                guard number.isFinite, abs(number) <= 1e15 else { throw bad("a finite number of at most 10^15 in magnitude") }
                try checkRange(number)
            case let (.number, .integer(number)):
                guard abs(number) <= 1_000_000_000_000_000 else { throw bad("a finite number of at most 10^15 in magnitude") }
                try checkRange(Double(number))
            case let (.list, .array(items)):
                guard items.allSatisfy({ if case .string = $0 { true } else { false } }) else { throw bad("a list of texts") }
            case (.boolean, .bool): break
            default: throw bad("a \(field.type.rawValue)")
            }
        }
    }

    /// Checks a record in its stored form (a JSON object: the key and the fields) against this
    /// declaration: a record saved by an earlier version of the plugin, before the new one is
    /// trusted with it.
    /// - Throws: `ValleyError.invalidValue` naming the field (an unknown one included).
    public func validate(stored object: [String: JSONValue]) throws {
        let known = Set([key] + fields.map(\.name))
        if let unknown = object.filter({ $0.value != .null }).keys.sorted().first(where: { !known.contains($0) }) {
            throw ValleyError.invalidValue(field: unknown, value: "", expected: "one of the fields of \(name): \(([key] + fields.map(\.name)).joined(separator: ", "))")
        }
        guard case .string? = object[key] else { throw ValleyError.invalidValue(field: key, value: "", expected: "the record's key, as text") }
        try validate(values: object)
    }
}
