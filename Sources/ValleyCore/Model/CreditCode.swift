/// The 18-character unified social credit code (GB 32100-2015) and its check character.
public enum CreditCode {
    /// The 31 characters a code may use (no I, O, S, V or Z).
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let alphabetBytes = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why a code is invalid, or nil when it is valid.
    public static func problem(with code: String) -> String? {
        // Fast path over the UTF-8 bytes, without allocating: a valid code is 18 ASCII bytes
        // (it runs for every imported row, twice: the CSV reader and the kind's validation).
        let utf8 = code.utf8
        if utf8.count == 18 {
            var sum = 0, offset = 0, valid = true, last: UInt8 = 0
            for byte in utf8 {
                let value = byte < 128 ? byteValues[Int(byte)] : -1
                if value < 0 { valid = false; break }
                if offset < 17 { sum += value * weights[offset] } else { last = byte }
                offset += 1
            }
            if valid {
                let check = (31 - sum % 31) % 31
                if alphabetBytes[check] == last { return nil }
                let expected = alphabet[check]
                return "check character is '\(Character(Unicode.Scalar(last)))', expected '\(expected)'"
            }
        }
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
