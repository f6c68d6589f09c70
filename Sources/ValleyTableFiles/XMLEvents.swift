/// A forward-only reader of the XML parts of a workbook: start tags with their attributes,
/// end tags and text, entities decoded.
///
/// Written here rather than FoundationXML's `XMLParser`: that one links libxml2 at run time
/// (a shared library the static build would then need on every machine) and calls back per
/// event through Objective-C-style delegates; a workbook's parts use a small, regular subset
/// of XML (no DTDs, namespaces only as prefixes), which this reads in one pass over the bytes.
struct XMLEvents {
    enum Event {
        /// A start tag (also for an empty element, which is followed by its `end`).
        case start(name: String, attributes: [String: String])
        case end(name: String)
        case text(String)
    }

    private let bytes: [UInt8]
    private var index = 0
    private var pendingEnd: String?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next event, nil at the end. Names lose their namespace prefix (`x:c` → `c`).
    mutating func next() -> Event? {
        if let name = pendingEnd { pendingEnd = nil; return .end(name: name) }
        while index < bytes.count {
            if bytes[index] != 0x3C {
                let start = index
                while index < bytes.count, bytes[index] != 0x3C { index += 1 }
                return .text(Self.decodeEntities(bytes[start..<index]))
            }
            // "<"
            if starts(with: "<?") { skip(past: "?>"); continue }
            if starts(with: "<!--") { skip(past: "-->"); continue }
            if starts(with: "<![CDATA[") {
                let start = index + 9
                skip(past: "]]>")
                return .text(String(decoding: bytes[start..<max(start, index - 3)], as: UTF8.self))
            }
            if starts(with: "<!") { skip(past: ">"); continue }
            index += 1
            let closing = index < bytes.count && bytes[index] == 0x2F
            if closing { index += 1 }
            let name = readName()
            if closing { skip(past: ">"); return .end(name: name) }
            var attributes: [String: String] = [:]
            while index < bytes.count {
                skipSpace()
                guard index < bytes.count else { break }
                if bytes[index] == 0x3E { index += 1; break }
                if bytes[index] == 0x2F { index += 2; pendingEnd = name; break }
                let key = readName()
                skipSpace()
                guard index < bytes.count, bytes[index] == 0x3D else { index += 1; continue }
                index += 1
                skipSpace()
                guard index < bytes.count else { break }
                let quote = bytes[index]
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote { index += 1 }
                attributes[key] = Self.decodeEntities(bytes[start..<min(index, bytes.count)])
                index += 1
            }
            return .start(name: name, attributes: attributes)
        }
        return nil
    }

    private func starts(with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != prefix.utf8Start[offset] { return false }
        return true
    }

    private mutating func skip(past terminator: StaticString) {
        while index < bytes.count, !starts(with: terminator) { index += 1 }
        index = min(bytes.count, index + terminator.utf8CodeUnitCount)
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private mutating func readName() -> String {
        let start = index
        var localStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x3E || byte == 0x2F || byte == 0x3D || byte == 0x0A || byte == 0x0D || byte == 0x09 { break }
            if byte == 0x3A { localStart = index + 1 }
            index += 1
        }
        return String(decoding: bytes[(localStart > start ? localStart : start)..<index], as: UTF8.self)
    }

    /// Text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references decoded.
    static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
        guard slice.contains(0x26) else { return String(decoding: slice, as: UTF8.self) }
        var output = ""
        var text = Substring(String(decoding: slice, as: UTF8.self))
        while let ampersand = text.firstIndex(of: "&") {
            output += text[..<ampersand]
            guard let semicolon = text[ampersand...].firstIndex(of: ";"), text.distance(from: ampersand, to: semicolon) <= 10 else {
                output += "&"
                text = text[text.index(after: ampersand)...]
                continue
            }
            let entity = text[text.index(after: ampersand)..<semicolon]
            switch entity {
            case "amp": output += "&"
            case "lt": output += "<"
            case "gt": output += ">"
            case "quot": output += "\""
            case "apos": output += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { output.unicodeScalars.append(scalar) } else { output += "&\(entity);" }
            }
            text = text[text.index(after: semicolon)...]
        }
        return output + text
    }
}
