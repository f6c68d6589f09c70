import ValleyCore

/// Turns a plugin's kind declaration into the store's `RecordKind`: its fields for the filter
/// language, its names, its references and its validation, so that records of a plugin's kind
/// go through the same path as every built-in record.
enum DeclaredKindBuilder<Slot: DeclaredKindSlot> {
    typealias R = DeclaredRecord<Slot>

    /// The largest whole number a field holds: exact in every JSON reader, and far from
    /// overflowing a sum over a million records.
    static var integerLimit: Int { 1 << 53 }

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
            validate: { record in try validate(record, declaration) })
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

    /// The declared checks: required fields, types, ranges, allowed values, dates.
    static func validate(_ record: R, _ declaration: KindDeclaration) throws {
        for field in declaration.fields {
            guard let value = record.values[field.name], value != .null else {
                if field.required { throw ValleyError.invalidValue(field: field.name, value: "", expected: "a value (\(declaration.label) records must have it)") }
                continue
            }
            func bad(_ expected: String) -> ValleyError { .invalidValue(field: field.name, value: ValleyError.clip(value.text), expected: expected) }
            switch (field.type, value) {
            case let (.text, .string(text)):
                if let allowed = field.values, !allowed.contains(text) { throw bad("one of \(allowed.joined(separator: ", "))") }
                if field.required, text.isEmpty { throw bad("a value (\(declaration.label) records must have it)") }
            case let (.date, .string(text)):
                guard CalendarDate(text) != nil else { throw bad("a date like 2024, 2024-05 or 2024-05-17") }
            case let (.integer, .integer(number)):
                guard abs(number) <= integerLimit else { throw bad("a whole number of at most 2^53 in magnitude") }
                try checkRange(Double(number), field, bad)
            case let (.number, .number(number)):
                guard number.isFinite, abs(number) <= 1e15 else { throw bad("a finite number of at most 10^15 in magnitude") }
                try checkRange(number, field, bad)
            case (.list, .array), (.boolean, .bool): break
            default: throw bad("a \(field.type.rawValue)")
            }
        }
    }

    static func checkRange(_ number: Double, _ field: FieldDeclaration, _ bad: (String) -> ValleyError) throws {
        if let minimum = field.minimum, number < minimum { throw bad("at least \(JSONValue.number(minimum).text)") }
        if let maximum = field.maximum, number > maximum { throw bad("at most \(JSONValue.number(maximum).text)") }
    }
}
