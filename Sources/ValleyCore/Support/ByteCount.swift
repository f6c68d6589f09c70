/// Sizes as users type and read them: `256MB`, `2GB`, `512k`.
public enum ByteCount {
    /// Bytes for a size like `256MB`, `2G`, `64k` or a plain number of bytes (1024-based units).
    public static func parse(_ text: String) -> Int? {
        let units: [(suffix: String, shift: Int)] = [("gb", 30), ("g", 30), ("mb", 20), ("m", 20), ("kb", 10), ("k", 10), ("b", 0), ("", 0)]
        let lowered = text.lowercased()
        for unit in units where lowered.hasSuffix(unit.suffix) {
            guard let number = Int(lowered.dropLast(unit.suffix.count)), number >= 0, number <= Int.max >> unit.shift else { return nil }
            return number << unit.shift
        }
        return nil
    }

    /// A size for reading: `256 MB`, `1.5 GB`, `900 KB`.
    public static func format(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return trimmed(Double(bytes) / Double(1 << 30)) + " GB" }
        if bytes >= 1 << 20 { return trimmed(Double(bytes) / Double(1 << 20)) + " MB" }
        return trimmed(Double(bytes) / 1024) + " KB"
    }

    private static func trimmed(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
