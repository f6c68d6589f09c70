/// Any JSON value: how a workspace section of an absent plugin's kind is kept, untouched,
/// until it is written back.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    /// A whole number that fits 64 bits (kept exactly).
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Reads any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Writes the value back as it was read.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .integer(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(fields):
            // Keys sorted: a kept record is written the same way every time (a dictionary's
            // order changes from one run to the next).
            var object = encoder.container(keyedBy: AnyCodingKey.self)
            for key in fields.keys.sorted() { try object.encode(fields[key]!, forKey: AnyCodingKey(key)) }
        }
    }

    /// The number of elements of an array (the records of a kept section).
    public var count: Int {
        if case let .array(items) = self { return items.count }
        return 0
    }
}
