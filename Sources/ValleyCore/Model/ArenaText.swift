/// Text kept as UTF-8 bytes in a chunk that many records share: 16 bytes in the record, like a
/// `String`, but no heap object of its own.
///
/// A `String` of more than 15 bytes is a heap object: a 22-byte English company name takes 64
/// bytes of it (32 of header, the text, malloc's rounding), 51 MB of a million-row import. A
/// reader of many rows (an import, an open) appends the names to a `TextArena` instead, whose
/// chunks hold hundreds of names each, and the record keeps the chunk, an offset and a length.
///
/// A chunk lives while any record refers to it: the bytes of a record removed stay until the
/// last record of its chunk is gone (undoing an import frees them all).
///
/// Equal when the texts are equal as `String`s are (canonically equivalent), and hashed as
/// the `String` is.
///
/// `@unchecked Sendable` (its chunk, which an arena keeps filling, is not): the bytes a text
/// points to are written once, before the text exists, and never again; a `TextArena` appends
/// only past them, and only the arena's thread reads or writes the chunk's fill count. A text
/// handed to another thread goes with its record, after its bytes were written, through
/// whatever hands the record over (a queue, a join).
public struct ArenaText: Hashable, @unchecked Sendable, CustomStringConvertible {
    @usableFromInline let chunk: TextChunk
    @usableFromInline let offset: UInt32
    @usableFromInline let count: UInt32

    @usableFromInline init(chunk: TextChunk, offset: UInt32, count: UInt32) {
        self.chunk = chunk
        self.offset = offset
        self.count = count
    }

    /// Text in a chunk of its own, exactly its size: how a record keeps a name set alone (an
    /// edit, a record decoded one by one). Two allocations, the chunk and its bytes (80 bytes
    /// for a 22-byte name, against a `String`'s 64; a `String` of 15 bytes or fewer needs none).
    /// A chunk that held its bytes itself (`ManagedBuffer`) made one, but a million-row
    /// import's peak 1–2 MB higher.
    /// - Complexity: O(length of the text).
    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { TextChunk.make(capacity: $0.count).appending($0) }
    }

    /// The text's UTF-8 bytes, where they are.
    /// - Complexity: O(1) besides `body`.
    @inlinable public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(chunk) { try body(UnsafeBufferPointer(start: chunk.base + Int(offset), count: Int(count))) }
    }

    /// The bytes when they are all ASCII, given to `body`; nil without calling it otherwise.
    /// - Complexity: O(length of the text).
    @inlinable func withASCII<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        try withUTF8 { bytes in bytes.allSatisfy({ $0 < 0x80 }) ? try body(bytes) : nil }
    }

    /// The text as a `String` (an allocation when longer than 15 bytes).
    /// - Complexity: O(length of the text).
    public var string: String { withUTF8 { String(decoding: $0, as: UTF8.self) } }

    /// The length in UTF-8 bytes.
    /// - Complexity: O(1)
    var utf8Count: Int { Int(count) }

    /// The text.
    /// - Complexity: O(length of the text).
    public var description: String { string }

    /// True when the texts are equal as `String`s: the same bytes, or canonically equivalent.
    /// - Complexity: O(length of the texts); two strings made when the bytes differ and either
    ///   is not ASCII.
    public static func == (lhs: ArenaText, rhs: ArenaText) -> Bool {
        let sameBytes = lhs.withUTF8 { a in rhs.withUTF8 { b in a.elementsEqual(b) } }
        // Bytes that differ may still be the same text (a precomposed é and e + U+0301; the
        // Kelvin sign U+212A and K): never when both are ASCII.
        return sameBytes || ((lhs.hasNonASCII || rhs.hasNonASCII) && lhs.string == rhs.string)
    }

    /// Hashes the text as its `String` hashes.
    /// - Complexity: O(length of the text), and a string made.
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }

    /// True when some byte is not ASCII.
    private var hasNonASCII: Bool { withUTF8 { $0.contains { $0 >= 0x80 } } }
}

/// A block of UTF-8 bytes that `ArenaText`s point into: appended to by one `TextArena`, or
/// made for one text, and never changed where a text points. Not `Sendable` itself: its fill
/// count changes as an arena appends (see `ArenaText`).
@usableFromInline final class TextChunk {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var used = 0

    private init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(capacity, 1))
    }

    deinit { base.deallocate() }

    /// A chunk with room for `capacity` bytes.
    static func make(capacity: Int) -> TextChunk { TextChunk(capacity: capacity) }

    /// Copies `bytes` in after the used bytes, nil when they do not fit.
    /// - Complexity: O(bytes)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> ArenaText? {
        let start = used
        guard capacity - start >= bytes.count else { return nil }
        precondition(start + bytes.count <= Int(UInt32.max), "a text chunk holds less than 4 GiB")
        if let source = bytes.baseAddress { (base + start).initialize(from: source, count: bytes.count) }
        used = start + bytes.count
        return ArenaText(chunk: self, offset: UInt32(start), count: UInt32(bytes.count))
    }

    /// `append(_:)` into a chunk made with room for `bytes`.
    func appending(_ bytes: UnsafeBufferPointer<UInt8>) -> ArenaText {
        guard let text = append(bytes) else { preconditionFailure("a chunk made for \(bytes.count) bytes holds them") }
        return text
    }
}

/// Appends texts to chunks of `chunkSize` bytes, so that hundreds of records share each chunk
/// (see `ArenaText`). Used by one thread at a time.
public struct TextArena {
    /// Bytes a chunk holds: hundreds of names, and little left empty in the last chunk of a
    /// run (64 KB chunks left 2 MB of a million-row import's names unused).
    static let chunkSize = 16 * 1024

    private var chunk: TextChunk?

    /// An arena with no chunk yet.
    public init() {}

    /// The text, appended to the current chunk (a new chunk when it does not fit; a text of
    /// more than a quarter of a chunk gets a chunk of its own).
    /// - Complexity: O(length of the text).
    public mutating func append(_ text: String) -> ArenaText {
        var text = text
        return text.withUTF8 { append(validUTF8: $0) }
    }

    /// `append(_:)` for bytes the caller knows to be valid UTF-8 (ASCII, or a string's): what
    /// the writers copy out as they are.
    /// - Complexity: O(bytes)
    package mutating func append(validUTF8 bytes: UnsafeBufferPointer<UInt8>) -> ArenaText {
        if let chunk, let text = chunk.append(bytes) { return text }
        if bytes.count > Self.chunkSize / 4 { return TextChunk.make(capacity: bytes.count).appending(bytes) }
        let fresh = TextChunk.make(capacity: Self.chunkSize)
        chunk = fresh
        return fresh.appending(bytes)
    }

    /// Starts a new chunk at the next text: the texts before it and after it share none (a
    /// reader of many rows gives each run of rows chunks of its own, so that two cores scanning
    /// neighbouring runs do not both count references to one chunk).
    /// - Complexity: O(1)
    public mutating func startChunk() { chunk = nil }
}
