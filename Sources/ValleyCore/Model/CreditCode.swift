/// The 18-character unified social credit code (GB 32100-2015) and its check character.
public enum CreditCode {
    /// The 31 characters a code may use (no I, O, S, V or Z).
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let alphabetBytes = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why a code is invalid, or nil when it is valid.
    public static func problem(with code: String) -> String? {
        // 18 characters of the alphabet are packed, without allocating, and their check character
        // verified there; the rest is said character by character.
        if let packed = Packed(code) { return packed.problem }
        let characters = Array(code)
        guard characters.count == 18 else { return "has \(characters.count) characters, expected 18" }
        for (offset, character) in characters.enumerated() where !alphabet.contains(character) {
            return "character \(offset + 1) '\(character)' is not in the GB 32100-2015 set (digits and A–Y without I, O, S, V, Z)"
        }
        return nil
    }

    /// The value of each ASCII byte in the code alphabet, -1 when it is not in it.
    static let byteValues: [Int] = {
        var table = [Int](repeating: -1, count: 128)
        for (value, character) in alphabet.enumerated() { table[Int(character.asciiValue!)] = value }
        return table
    }()

    /// The check character for the first 17 character values.
    static func checkCharacter(_ values: ArraySlice<Int>) -> Character {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = (31 - sum % 31) % 31
        return alphabet[check]
    }

    /// Completes 17 characters with their check character (for tests and generators).
    public static func withCheckCharacter(_ first17: String) -> String? {
        let values = first17.compactMap { alphabet.firstIndex(of: $0) }
        guard values.count == 17, first17.count == 17 else { return nil }
        return first17 + String(checkCharacter(values[...]))
    }
}

extension CreditCode {
    /// A code of 18 characters of the code alphabet, in 12 bytes (its check character not verified:
    /// `problem` says whether it is right).
    ///
    /// An enterprise keeps its code so: as a `String` an 18-byte code is a heap object of 64
    /// bytes (80 with malloc's header) besides the record's 16, 53 MB of a million-row import's
    /// peak, and a dictionary keyed by it hashed it through `Hasher`'s string path.
    public struct Packed: Hashable, Sendable {
        // Five bits a character: characters 1–12 in `high`, 13–18 in `low`, the first in the
        // highest bits; each as its value in the alphabet plus one, so that no code is all zeros.
        // `low` needs 30 bits: as a UInt32 the code is 12 bytes, and a record's next field of
        // 4 bytes (its headcount) fills the rest of the 16.
        @usableFromInline var high: UInt64
        @usableFromInline var low: UInt32

        /// The value that stands for no code in a record (all zeros: no code packs to it).
        @usableFromInline static var absent: Packed { Packed(high: 0, low: 0) }

        /// True for `absent` (a code's first character is never zero bits).
        @inlinable var isAbsent: Bool { high == 0 }

        @usableFromInline init(high: UInt64, low: UInt32) {
            self.high = high
            self.low = low
        }

        /// Packs `code` when it is 18 characters of the alphabet (upper case, or any case when
        /// `uppercasing`); nil for anything else.
        /// - Complexity: O(1), no allocation.
        public init?(_ code: String, uppercasing: Bool = false) {
            let utf8 = code.utf8
            guard utf8.count == 18 else { return nil }
            var high: UInt64 = 0, low: UInt32 = 0, offset = 0
            for var byte in utf8 {
                if uppercasing, (0x61...0x7A).contains(byte) { byte -= 0x20 }
                let value = byte < 128 ? CreditCode.byteValues[Int(byte)] : -1
                guard value >= 0 else { return nil }
                if offset < 12 { high = high << 5 | UInt64(value + 1) } else { low = low << 5 | UInt32(value + 1) }
                offset += 1
            }
            self.init(high: high, low: low)
        }

        /// The value in the alphabet of character `offset` (0–17).
        func value(at offset: Int) -> Int {
            let bits = offset < 12 ? high >> UInt64(5 * (11 - offset)) : UInt64(low >> UInt32(5 * (17 - offset)))
            return Int(bits & 31) - 1
        }

        /// Calls `body` with the code's 18 ASCII bytes.
        /// - Complexity: O(1), no allocation.
        public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
            try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 18) { buffer in
                CreditCode.alphabetBytes.withUnsafeBufferPointer { alphabet in
                    for offset in 0..<18 { buffer[offset] = alphabet[value(at: offset)] }
                }
                return try body(UnsafeBufferPointer(buffer))
            }
        }

        /// The code as text.
        public var string: String { withUTF8 { String(decoding: $0, as: UTF8.self) } }

        /// Why the code is invalid (its check character is wrong), or nil when it is valid.
        /// - Complexity: O(1), no allocation when valid.
        public var problem: String? {
            var sum = 0
            for offset in 0..<17 { sum += value(at: offset) * CreditCode.weights[offset] }
            let check = (31 - sum % 31) % 31
            let last = value(at: 17)
            if check == last { return nil }
            return "check character is '\(CreditCode.alphabet[last])', expected '\(CreditCode.alphabet[check])'"
        }
    }
}
