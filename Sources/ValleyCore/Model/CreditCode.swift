/// The 18-character unified social credit code (GB 32100-2015) and its check character.
public enum CreditCode {
    /// The 31 characters a code may use (no I, O, S, V or Z).
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why a code is invalid, or nil when it is valid.
    public static func problem(with code: String) -> String? {
        let characters = Array(code)
        guard characters.count == 18 else { return "has \(characters.count) characters, expected 18" }
        var values: [Int] = []
        for (offset, character) in characters.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else {
                return "character \(offset + 1) '\(character)' is not in the GB 32100-2015 set (digits and A–Y without I, O, S, V, Z)"
            }
            values.append(value)
        }
        let expected = checkCharacter(values.prefix(17))
        guard characters[17] == expected else { return "check character is '\(characters[17])', expected '\(expected)'" }
        return nil
    }

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
