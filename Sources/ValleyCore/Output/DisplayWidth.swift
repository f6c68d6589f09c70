/// The number of terminal columns a string takes: East Asian wide and fullwidth characters
/// take two, combining marks and zero-width characters none.
public func displayWidth(_ text: String) -> Int {
    // ASCII: a column per byte but the controls, on the contiguous bytes.
    if let ascii = text.utf8.withContiguousStorageIfAvailable({ bytes -> Int? in
        var width = 0
        for byte in bytes {
            if byte >= 0x80 { return nil }
            if byte >= 0x20 && byte != 0x7F { width += 1 }
        }
        return width
    }), let ascii { return ascii }
    var width = 0
    for scalar in text.unicodeScalars {
        width += columns(of: scalar)
    }
    return width
}

func columns(of scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
    if value < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    switch value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
         0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
         0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
        return 2
    default:
        return 1
    }
}
