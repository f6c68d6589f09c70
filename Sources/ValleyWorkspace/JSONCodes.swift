#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import ValleyCore

// A workspace stores each distinct JSON value of its list and nested columns once, in
// `valley_json(id INTEGER PRIMARY KEY, json TEXT NOT NULL)`; the rows hold the value's code in
// an `INTEGER REFERENCES valley_json(id)` column. Rows repeat few values (a sector list, the
// file an import cited, no designation): at a million imported companies the JSON text was
// 68 MB of a 169 MB file (1.39× the CSV), its codes take 4 MB. Code 0 is always `[]`, which
// SQLite stores in no bytes at all. Codes rather than text mixed with codes in one column:
// DuckDB's SQLite reader refuses a column whose values are of two types.

/// Gives each JSON value written to a workspace its code, adding the value to `valley_json`
/// the first time it is seen. Codes are handed out in the order values first appear, so the
/// same model always makes the same file.
final class JSONCodeWriter {
    private let insert: SQLiteStatement
    private var table = ByteTable()
    /// The codes of lists of strings by the address of their elements: the model shares one
    /// array among the rows that repeat a list, so most rows find theirs here without making
    /// or hashing its JSON. A slot keeps its array, so the address cannot be reused by another
    /// list while it names this one.
    private var listAddresses: [UnsafeRawPointer?]
    private var listKept: [[String]]
    private var listCodes: [Int]
    private static let listSlots = 1 << 14

    /// Creates `valley_json` in `database`, with `[]` as code 0.
    init(database: SQLiteDatabase) throws {
        try database.execute("CREATE TABLE valley_json (id INTEGER PRIMARY KEY, json TEXT NOT NULL)")
        insert = try database.prepare("INSERT INTO valley_json VALUES (?, ?)")
        listAddresses = Array(repeating: nil, count: Self.listSlots)
        listKept = Array(repeating: [], count: Self.listSlots)
        listCodes = Array(repeating: 0, count: Self.listSlots)
        var empty = "[]"
        _ = try empty.withUTF8 { try code(UnsafeRawBufferPointer($0)) }
    }

    /// The code of the JSON text `bytes`.
    /// - Complexity: O(length of the text), amortized.
    func code(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        let hash = hasher.finalize()
        switch table.find(bytes, hash: hash) {
        case let .found(code):
            return code
        case let .absent(slot):
            let code = table.count
            insert.bind(.integer(code), at: 1)
            insert.bindStatic(bytes, at: 2)
            try insert.run()
            return table.insert(bytes, hash: hash, at: slot)
        }
    }

    /// The code of the JSON text `text`.
    func code(text: String) throws -> Int {
        var text = text
        return try text.withUTF8 { try code(UnsafeRawBufferPointer($0)) }
    }

    /// The code of the list `list` if an earlier row gave the same array (its code is then
    /// known without its JSON).
    /// - Complexity: O(1).
    func knownCode(of list: [String]) -> Int? {
        if list.isEmpty { return 0 }
        let address = list.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        let slot = Self.slot(of: address)
        return listAddresses[slot] == address ? listCodes[slot] : nil
    }

    /// Remembers that `list`'s JSON has `code`.
    func remember(_ list: [String], code: Int) {
        let address = list.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        let slot = Self.slot(of: address)
        listAddresses[slot] = address
        listKept[slot] = list
        listCodes[slot] = code
    }

    private static func slot(of address: UnsafeRawPointer?) -> Int {
        let bits = UInt(bitPattern: address)
        return Int(truncatingIfNeeded: (bits >> 4) ^ (bits >> 18)) & (listSlots - 1)
    }
}

/// A set of byte strings, each numbered in the order it was added: the texts in one buffer,
/// found by open addressing. Hand-written because a `Dictionary` keyed by `[UInt8]` makes an
/// array for every lookup (a million-row save looks up four million values) and hashes it a
/// byte at a time.
struct ByteTable {
    private var bytes: [UInt8] = []
    /// Where each text ends in `bytes` (it starts where the one before ends).
    private var ends: [Int] = []
    private var hashes: [Int] = []
    /// Each slot: the number of a text plus one, or 0 when empty.
    private var slots = [Int32](repeating: 0, count: 1024)

    enum Lookup {
        case found(Int)
        case absent(slot: Int)
    }

    var count: Int { ends.count }

    /// The number of `key`, or the slot to add it at.
    func find(_ key: UnsafeRawBufferPointer, hash: Int) -> Lookup {
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return .absent(slot: slot) }
            let number = entry - 1
            if hashes[number] == hash {
                let start = number == 0 ? 0 : ends[number - 1]
                let length = ends[number] - start
                if length == key.count, bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress! + start, key.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, length) == 0 }) {
                    return .found(number)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `key` at `slot` (from `find`), returning its number.
    mutating func insert(_ key: UnsafeRawBufferPointer, hash: Int, at slot: Int) -> Int {
        let number = ends.count
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        hashes.append(hash)
        slots[slot] = Int32(number + 1)
        if ends.count * 2 > slots.count { grow() }
        return number
    }

    private mutating func grow() {
        var larger = [Int32](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for (number, hash) in hashes.enumerated() {
            var slot = hash & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = Int32(number + 1)
        }
        slots = larger
    }
}

/// The `valley_json` table of a workspace being read: the JSON text of each code.
final class JSONCodes: Sendable {
    /// By code, when the codes are 0 ..< count (as Valley writes them).
    private let dense: [String?]
    /// Otherwise (a file made by hand), by code.
    private let sparse: [Int: String]
    /// False when the file has no `valley_json` (layout version 1, whose JSON columns hold their text).
    let loaded: Bool

    /// No codes: a file of layout version 1, whose JSON columns hold their text.
    init() {
        dense = []
        sparse = [:]
        loaded = false
    }

    /// Reads `valley_json` from `database`.
    init(database: SQLiteDatabase, path: String) throws {
        func bad(_ reason: String) -> ValleyError { .badWorkspace(path: path, reason: "valley_json: \(reason)") }
        let statement: SQLiteStatement
        do {
            statement = try database.prepare("SELECT id, json FROM valley_json")
        } catch {
            throw bad("expected the columns id and json (\(ValleyError.describe(error)))")
        }
        var texts: [Int: String] = [:]
        var row = 0
        while try statement.step() {
            row += 1
            guard statement.type(0) == SQLITE_INTEGER else { throw bad("row \(row): the id is not a whole number") }
            let code = statement.integer(0)
            guard statement.type(1) == SQLITE_TEXT else { throw bad("code \(code): expected JSON text") }
            guard texts.updateValue(statement.text(1), forKey: code) == nil else { throw bad("code \(code) appears twice") }
        }
        loaded = true
        if texts.keys.allSatisfy({ (0..<texts.count).contains($0) }) {
            var dense = [String?](repeating: nil, count: texts.count)
            for (code, text) in texts { dense[code] = text }
            self.dense = dense
            sparse = [:]
        } else {
            dense = []
            sparse = texts
        }
    }

    /// The JSON text of `code`, nil when `valley_json` has none.
    /// - Complexity: O(1).
    func text(_ code: Int) -> String? {
        if code >= 0, code < dense.count { return dense[code] }
        return sparse[code]
    }
}
