#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A compact JSON encoder that writes bytes as `Encodable` values hand it their parts, with no
/// intermediate tree.
///
/// Written here because Foundation's `JSONEncoder` builds a tree of every value before it
/// serialises: the recovery journal of a 100,000-row import took 1.6 s with it (six times the
/// import), and no package on the approved list encodes `Codable` faster. Values are written in
/// the order the encoder is called, which is how synthesised `Codable` and every hand-written
/// `encode(to:)` in Valley work: a nested value is encoded completely before its container's
/// next key. A container is closed when an outer container writes again, or at the end.
///
/// Output is read back by Foundation's `JSONDecoder`. Non-finite numbers are refused, as
/// `JSONEncoder` refuses them. `Date`, `Data` and `URL` get no special form (no record has one).
package struct StreamingJSONEncoder {
    /// An encoder (it keeps no state between calls).
    package init() {}

    /// The compact JSON of `value`.
    package func encode(_ value: some Encodable) throws -> [UInt8] {
        let writer = JSONWriter()
        try value.encode(to: StreamingEncoder(writer: writer, depth: 0))
        writer.close(above: -1)
        if writer.state.pointee.outOfOrder {
            // A hand-written encode(to:) that goes back to a container after a sibling wrote:
            // legal for Codable, impossible to stream. Foundation's tree encoder handles it.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return Array(try encoder.encode(value))
        }
        return writer.bytes
    }
}

/// The bytes and the containers still open, outermost first.
///
/// The state lives behind a pointer rather than in `var` properties: a class's stored `var`s
/// are checked for exclusive access at run time on every access, which was a fifth of the
/// encoding time (one check per byte appended).
final class JSONWriter {
    struct State {
        var bytes: [UInt8] = []
        /// For each open container: whether it is an object, whether it has an element yet,
        /// and its identity (to catch a write to a container already closed).
        var open: [(isObject: Bool, hasElement: Bool, id: Int)] = []
        var nextID = 0
        /// Set when a value wrote out of order (to a container closed by a sibling): the
        /// output is then unusable and the caller falls back to `JSONEncoder`.
        var outOfOrder = false
    }

    let state: UnsafeMutablePointer<State>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        state.pointee.bytes.reserveCapacity(4096)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var bytes: [UInt8] { state.pointee.bytes }
    var openCount: Int { state.pointee.open.count }
    var byteCount: Int { state.pointee.bytes.count }

    /// Opens a container (`{` or `[`); returns its identity.
    func push(isObject: Bool) -> Int {
        state.pointee.bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        state.pointee.nextID += 1
        state.pointee.open.append((isObject, false, state.pointee.nextID))
        return state.pointee.nextID
    }

    /// The identity of the open container at `depth` (nil when none is open there).
    func id(at depth: Int) -> Int? { depth < state.pointee.open.count ? state.pointee.open[depth].id : nil }

    /// A key just written with no value after it (a `superEncoder` nobody wrote to) gets `{}`,
    /// as JSONEncoder writes it.
    private func fillEmptyValue() {
        if state.pointee.bytes.last == UInt8(ascii: ":") { state.pointee.bytes += [UInt8(ascii: "{"), UInt8(ascii: "}")] }
    }

    /// Closes the containers deeper than `depth` (a container at `depth` stays open).
    func close(above depth: Int) {
        fillEmptyValue()
        while state.pointee.open.count > depth + 1 {
            state.pointee.bytes.append(state.pointee.open.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            fillEmptyValue()
        }
    }

    /// Starts an element of the container `id` at `depth`: closes deeper ones, writes the
    /// comma. A container that is no longer open marks the output out of order.
    func startElement(at depth: Int, id: Int) {
        guard self.id(at: depth) == id else {
            state.pointee.outOfOrder = true
            return
        }
        close(above: depth)
        if state.pointee.open[depth].hasElement { state.pointee.bytes.append(UInt8(ascii: ",")) } else { state.pointee.open[depth].hasElement = true }
    }

    func key(_ key: String) {
        string(key)
        state.pointee.bytes.append(UInt8(ascii: ":"))
    }

    func string(_ text: String) {
        state.pointee.bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: copied in one piece.
        func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
        if !(text.utf8.withContiguousStorageIfAvailable { $0.contains(where: needsEscape) } ?? text.utf8.contains(where: needsEscape)) {
            state.pointee.bytes.append(contentsOf: text.utf8)
            state.pointee.bytes.append(UInt8(ascii: "\""))
            return
        }
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [0x5C, 0x22]
            case UInt8(ascii: "\\"): bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        state.pointee.bytes.append(contentsOf: bytes)
        state.pointee.bytes.append(UInt8(ascii: "\""))
    }

    func literal(_ text: String) { state.pointee.bytes.append(contentsOf: text.utf8) }

    func number(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "a number that is not finite cannot be written as JSON"))
        }
        if value.isZero {
            literal(value.sign == .minus ? "-0.0" : "0")  // -0 stays -0 (JSONDecoder reads "-0" as +0)
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            literal(String(Int64(value)))
        } else {
            literal("\(value)")
        }
    }
}

/// The encoder for one value at one depth.
struct StreamingEncoder: Encoder {
    let writer: JSONWriter
    /// The index in `writer.open` its container takes.
    let depth: Int
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Opens this value's container (once: a second request returns the same container).
    func openContainer(isObject: Bool) -> Int {
        if writer.openCount > depth, let id = writer.id(at: depth) { return id }
        if writer.openCount < depth { writer.state.pointee.outOfOrder = true }
        return writer.push(isObject: isObject)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let id = openContainer(isObject: true)
        return KeyedEncodingContainer(KeyedStreamingContainer<Key>(writer: writer, depth: depth, id: id, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let id = openContainer(isObject: false)
        return UnkeyedStreamingContainer(writer: writer, depth: depth, id: id, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleStreamingContainer(writer: writer, depth: depth, codingPath: codingPath)
    }
}

/// Writes primitives; shared by the three container kinds.
protocol StreamingPrimitives {
    var writer: JSONWriter { get }
    var depth: Int { get }
    var codingPath: [any CodingKey] { get }
}

extension StreamingPrimitives {
    /// A nested value: encoded by its own `encode(to:)` into a container one level deeper.
    /// `String`, `Int`, `Double` and `Bool` come back through the typed overloads of the
    /// single-value container, so no value is identified by a dynamic cast (a chain of casts
    /// per field was a third of the journal's time).
    func write(_ value: some Encodable) throws {
        let mark = writer.byteCount
        try value.encode(to: StreamingEncoder(writer: writer, depth: depth + 1, codingPath: codingPath))
        // A value that asked for no container and wrote nothing is an empty object, as in JSONEncoder.
        if writer.byteCount == mark { writer.literal("{}") }
    }
}

struct KeyedStreamingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol, StreamingPrimitives {
    let writer: JSONWriter
    let depth: Int
    /// The container's identity in the writer (a write after it closed is out of order).
    let id: Int
    var codingPath: [any CodingKey]

    func encodeNil(forKey key: Key) throws {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        writer.literal("null")
    }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        try write(value)
    }

    // The primitive overloads synthesised `Codable` calls: no dynamic cast.
    func encode(_ value: String, forKey key: Key) throws {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        writer.string(value)
    }

    func encode(_ value: Int, forKey key: Key) throws {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        writer.literal(String(value))
    }

    func encode(_ value: Bool, forKey key: Key) throws {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        writer.literal(value ? "true" : "false")
    }

    func encode(_ value: Double, forKey key: Key) throws {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        try writer.number(value)
    }

    func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        return StreamingEncoder(writer: writer, depth: depth + 1, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.startElement(at: depth, id: id)
        writer.key(key.stringValue)
        return StreamingEncoder(writer: writer, depth: depth + 1, codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { superEncoder(named: "super") }

    func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        writer.startElement(at: depth, id: id)
        writer.key(name)
        return StreamingEncoder(writer: writer, depth: depth + 1, codingPath: codingPath + [AnyCodingKey(name)])
    }
}

struct UnkeyedStreamingContainer: UnkeyedEncodingContainer, StreamingPrimitives {
    let writer: JSONWriter
    let depth: Int
    /// The container's identity in the writer (a write after it closed is out of order).
    let id: Int
    var codingPath: [any CodingKey]
    private(set) var count = 0

    init(writer: JSONWriter, depth: Int, id: Int, codingPath: [any CodingKey]) {
        self.writer = writer
        self.depth = depth
        self.id = id
        self.codingPath = codingPath
    }

    mutating func encodeNil() throws {
        writer.startElement(at: depth, id: id)
        writer.literal("null")
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.startElement(at: depth, id: id)
        try write(value)
        count += 1
    }

    mutating func encode(_ value: String) throws {
        writer.startElement(at: depth, id: id)
        writer.string(value)
        count += 1
    }

    mutating func encode(_ value: Int) throws {
        writer.startElement(at: depth, id: id)
        writer.literal(String(value))
        count += 1
    }

    mutating func encode(_ value: Double) throws {
        writer.startElement(at: depth, id: id)
        try writer.number(value)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.startElement(at: depth, id: id)
        count += 1
        return StreamingEncoder(writer: writer, depth: depth + 1, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.startElement(at: depth, id: id)
        count += 1
        return StreamingEncoder(writer: writer, depth: depth + 1, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        writer.startElement(at: depth, id: id)
        count += 1
        return StreamingEncoder(writer: writer, depth: depth + 1, codingPath: codingPath)
    }
}

struct SingleStreamingContainer: SingleValueEncodingContainer, StreamingPrimitives {
    let writer: JSONWriter
    /// The depth of the value's own container, were it to open one (a single value opens none).
    let depth: Int
    var codingPath: [any CodingKey]

    func encodeNil() throws { writer.literal("null") }
    func encode(_ value: String) throws { writer.string(value) }
    func encode(_ value: Int) throws { writer.literal(String(value)) }
    func encode(_ value: Double) throws { try writer.number(value) }
    func encode(_ value: Bool) throws { writer.literal(value ? "true" : "false") }

    func encode<T: Encodable>(_ value: T) throws {
        // The other fixed-width numbers reach here as themselves (their `encode(to:)` calls
        // this with their own type): found by comparing types, a pointer comparison.
        if Self.integers.contains(where: { $0 == T.self }), let integer = value as? any BinaryInteger {
            writer.literal(String(describing: integer))
        } else if T.self == Float.self, let number = value as? Float {
            try writer.number(Double(number))
        } else {
            // A single value's nested value sits at the same depth (it opens the container this value would have).
            try value.encode(to: StreamingEncoder(writer: writer, depth: depth, codingPath: codingPath))
        }
    }

    static let integers: [Any.Type] = [Int8.self, Int16.self, Int32.self, Int64.self, UInt.self, UInt8.self, UInt16.self, UInt32.self, UInt64.self]
}
