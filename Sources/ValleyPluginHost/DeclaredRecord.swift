import Synchronization
import ValleyCore

/// A record of a kind an external plugin declared: its key and its field values, checked
/// against the declaration by the store's one validation path.
///
/// The store gives every kind its own Swift record type (`Record.kind` is static), while an
/// external plugin's kinds are only known at run time. Each declared kind therefore takes one
/// of a fixed set of *slots*, marker types that make `DeclaredRecord<Slot>` a distinct type
/// per kind; `DeclaredKinds` maps a slot to its declaration. This keeps the store's typed
/// tables, journal, undo and workspace code unchanged for external kinds.
public struct DeclaredRecord<Slot: DeclaredKindSlot>: Record {
    /// The key.
    public var id: String
    /// Field values by field name (absent: no value).
    public var values: [String: JSONValue]

    /// A record.
    public init(id: String, values: [String: JSONValue]) {
        self.id = id
        self.values = values
    }

    /// The kind declared for this slot.
    /// - Complexity: O(1): one lock and a cast.
    public static var kind: RecordKind<Self> { DeclaredKinds.kind(Slot.self) }

    /// Reads the stored form: an object with the key and each declared field under its name.
    public init(from decoder: any Decoder) throws {
        let declaration = DeclaredKinds.declaration(Slot.index)
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try container.decode(String.self, forKey: AnyCodingKey(declaration.key))
        values = [:]
        for field in declaration.fields {
            let key = AnyCodingKey(field.name)
            let value: JSONValue?
            switch field.type {
            case .text, .date: value = try container.decodeIfPresent(String.self, forKey: key).map(JSONValue.string)
            case .integer: value = try container.decodeIfPresent(Int.self, forKey: key).map(JSONValue.integer)
            case .number: value = try container.decodeIfPresent(Double.self, forKey: key).map(JSONValue.number)
            case .list: value = try container.decodeIfPresent([String].self, forKey: key).map { .array($0.map(JSONValue.string)) }
            case .boolean: value = try container.decodeIfPresent(Bool.self, forKey: key).map(JSONValue.bool)
            }
            if let value { values[field.name] = value }
        }
    }

    /// Writes the stored form, fields in declared order.
    public func encode(to encoder: any Encoder) throws {
        let declaration = DeclaredKinds.declaration(Slot.index)
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encode(id, forKey: AnyCodingKey(declaration.key))
        for field in declaration.fields {
            let key = AnyCodingKey(field.name)
            switch values[field.name] {
            case let .string(text)?: try container.encode(text, forKey: key)
            case let .integer(number)?: try container.encode(number, forKey: key)
            case let .number(number)?: try container.encode(number, forKey: key)
            case let .bool(flag)?: try container.encode(flag, forKey: key)
            case let .array(items)?: try container.encode(items.map(\.text), forKey: key)
            case .null?, .object?, nil: break
            }
        }
    }
}

extension JSONValue {
    /// The value as text (a list item, a message).
    var text: String {
        switch self {
        case .null: "null"
        case let .bool(flag): flag ? "true" : "false"
        case let .integer(number): String(number)
        case let .number(number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case let .string(text): text
        case let .array(items): items.map(\.text).joined(separator: ", ")
        case .object: "{…}"
        }
    }
}

/// A marker type that gives one declared kind its own record type (see `DeclaredRecord`).
public protocol DeclaredKindSlot: Sendable {
    /// The slot's position in `DeclaredKinds`.
    static var index: Int { get }
}

// The slots: how many external kinds one valley process can hold. Each is a marker type only.

/// Slot 0 of the declared kinds.
public enum DeclaredSlot0: DeclaredKindSlot { /** Its position. */ public static var index: Int { 0 } }
/// Slot 1 of the declared kinds.
public enum DeclaredSlot1: DeclaredKindSlot { /** Its position. */ public static var index: Int { 1 } }
/// Slot 2 of the declared kinds.
public enum DeclaredSlot2: DeclaredKindSlot { /** Its position. */ public static var index: Int { 2 } }
/// Slot 3 of the declared kinds.
public enum DeclaredSlot3: DeclaredKindSlot { /** Its position. */ public static var index: Int { 3 } }
/// Slot 4 of the declared kinds.
public enum DeclaredSlot4: DeclaredKindSlot { /** Its position. */ public static var index: Int { 4 } }
/// Slot 5 of the declared kinds.
public enum DeclaredSlot5: DeclaredKindSlot { /** Its position. */ public static var index: Int { 5 } }
/// Slot 6 of the declared kinds.
public enum DeclaredSlot6: DeclaredKindSlot { /** Its position. */ public static var index: Int { 6 } }
/// Slot 7 of the declared kinds.
public enum DeclaredSlot7: DeclaredKindSlot { /** Its position. */ public static var index: Int { 7 } }
/// Slot 8 of the declared kinds.
public enum DeclaredSlot8: DeclaredKindSlot { /** Its position. */ public static var index: Int { 8 } }
/// Slot 9 of the declared kinds.
public enum DeclaredSlot9: DeclaredKindSlot { /** Its position. */ public static var index: Int { 9 } }
/// Slot 10 of the declared kinds.
public enum DeclaredSlot10: DeclaredKindSlot { /** Its position. */ public static var index: Int { 10 } }
/// Slot 11 of the declared kinds.
public enum DeclaredSlot11: DeclaredKindSlot { /** Its position. */ public static var index: Int { 11 } }
/// Slot 12 of the declared kinds.
public enum DeclaredSlot12: DeclaredKindSlot { /** Its position. */ public static var index: Int { 12 } }
/// Slot 13 of the declared kinds.
public enum DeclaredSlot13: DeclaredKindSlot { /** Its position. */ public static var index: Int { 13 } }
/// Slot 14 of the declared kinds.
public enum DeclaredSlot14: DeclaredKindSlot { /** Its position. */ public static var index: Int { 14 } }
/// Slot 15 of the declared kinds.
public enum DeclaredSlot15: DeclaredKindSlot { /** Its position. */ public static var index: Int { 15 } }

/// The kinds external plugins declared in this process, one per slot, by kind name.
public enum DeclaredKinds {
    static let slots: [any DeclaredKindSlot.Type] = [
        DeclaredSlot0.self, DeclaredSlot1.self, DeclaredSlot2.self, DeclaredSlot3.self, DeclaredSlot4.self, DeclaredSlot5.self,
        DeclaredSlot6.self, DeclaredSlot7.self, DeclaredSlot8.self, DeclaredSlot9.self, DeclaredSlot10.self, DeclaredSlot11.self,
        DeclaredSlot12.self, DeclaredSlot13.self, DeclaredSlot14.self, DeclaredSlot15.self,
    ]

    struct Entry: Sendable {
        var declaration: KindDeclaration
        var kind: any AnyRecordKind
    }

    private static let entries = Mutex<[Entry?]>(Array(repeating: nil, count: slots.count))

    static func kind<Slot: DeclaredKindSlot>(_ slot: Slot.Type) -> RecordKind<DeclaredRecord<Slot>> {
        guard let entry = entries.withLock({ $0[Slot.index] }), let kind = entry.kind as? RecordKind<DeclaredRecord<Slot>> else {
            preconditionFailure("declared kind slot \(Slot.index) is used before a kind is registered in it")
        }
        return kind
    }

    static func declaration(_ index: Int) -> KindDeclaration {
        guard let entry = entries.withLock({ $0[index] }) else { preconditionFailure("declared kind slot \(index) is empty") }
        return entry.declaration
    }

    /// The kind named `name`, if a plugin declared one in this process.
    public static func kind(named name: String) -> (any AnyRecordKind)? {
        entries.withLock { $0.first { $0?.declaration.name == name } }??.kind
    }

    /// The declaration of the kind named `name`.
    public static func declaration(named name: String) -> KindDeclaration? {
        entries.withLock { $0.first { $0?.declaration.name == name } }??.declaration
    }

    /// Makes (or remakes, when the declaration changed) the store kind for a declared kind.
    /// A kind keeps its slot for the life of the process, so its records keep their type.
    /// - Throws: `PluginError.badDeclaration` when every slot is taken.
    public static func register(_ declaration: KindDeclaration, owner: String) throws -> any AnyRecordKind {
        try entries.withLock { entries in
            let index = entries.firstIndex { $0?.declaration.name == declaration.name } ?? entries.firstIndex { $0 == nil }
            guard let index else {
                throw PluginError.badDeclaration(namespace: owner, place: "kinds", problem: "this valley holds at most \(slots.count) plugin kinds in one session")
            }
            if let existing = entries[index], existing.declaration == declaration, existing.kind.owner == owner { return existing.kind }
            func make<Slot: DeclaredKindSlot>(_ slot: Slot.Type) -> any AnyRecordKind { DeclaredKindBuilder<Slot>.kind(declaration, owner: owner) }
            let kind = make(slots[index])
            entries[index] = Entry(declaration: declaration, kind: kind)
            return kind
        }
    }
}
