/// Text made safe to print on a terminal: control characters from data (a CSV cell, a name in
/// an error) are shown as escapes instead of being sent to the terminal, where `ESC [ … m`
/// would recolour the screen and `ESC ] 0 ; … BEL` retitle the window.
///
/// Applied to every rendered table and markdown cell, every prose line and every message;
/// csv and json output carry the data exactly (their own escaping applies).
public enum TerminalText {
    /// `text` with C0 controls, DEL and C1 controls escaped (`\e`, `\a`, `\u{7F}`, …); line breaks
    /// and tabs are kept when `keepingLines` (prose), escaped otherwise.
    /// - Complexity: O(n); text without control characters is returned as it is, after one scan of its bytes.
    public static func escapingControls(_ text: String, keepingLines: Bool = false) -> String {
        func isControlLead(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F || byte == 0xC2 }
        // On the contiguous bytes when the string has them (native strings do): a plain loop
        // over a buffer instead of the String.UTF8View iterator (5 % of rendering a big table).
        let needsEscape = text.utf8.withContiguousStorageIfAvailable { $0.contains(where: isControlLead) }
            ?? text.utf8.contains(where: isControlLead)
        guard needsEscape else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where keepingLines, 0x09 where keepingLines: output.unicodeScalars.append(scalar)
            case 0x1B: output += "\\e"
            case 0x07: output += "\\a"
            case 0x08: output += "\\b"
            case 0x09: output += "\\t"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x00..<0x20, 0x7F, 0x80..<0xA0: output += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
