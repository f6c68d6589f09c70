import CZlib
import ValleyCore

/// The ZIP container of an `.xlsx` workbook: entries read by name, and written.
///
/// Hand-written over zlib rather than ZIPFoundation 0.9.20: a workbook needs the central
/// directory read once and a few entries inflated or written, about 150 lines; zlib is what
/// ZIPFoundation itself links on Linux, and the package would add a dependency to every
/// clean CI build for features (archives on disk, streaming, ZIP64 writing) we do not use.
/// ZIP64 archives (entries over 4 GiB) are refused with a message.
struct ZIPArchive {
    /// One entry of the central directory.
    struct Entry {
        let name: String
        let method: UInt16
        let compressedSize: Int
        let size: Int
        let localHeaderOffset: Int
        let crc: UInt32
    }

    let bytes: [UInt8]
    let name: String
    /// The entries by name.
    let entries: [String: Entry]

    /// Reads the central directory of the archive in `bytes`; `name` is the file for errors.
    init(bytes: [UInt8], name: String) throws {
        self.bytes = bytes
        self.name = name
        func bad(_ reason: String) -> ValleyError { .file(path: name, reason: "not a readable .xlsx workbook (\(reason))") }
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var end = bytes.count - 22
        while end >= lowest, !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 0x05 && bytes[end + 3] == 0x06) { end -= 1 }
        guard end >= lowest, end >= 0 else { throw bad("no ZIP directory; is it a spreadsheet saved as .xlsx?") }
        let count = Int(Self.u16(bytes, end + 10))
        var offset = Int(Self.u32(bytes, end + 16))
        var entries: [String: Entry] = [:]
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, Self.u32(bytes, offset) == 0x0201_4B50 else { throw bad("a broken directory entry") }
            let nameLength = Int(Self.u16(bytes, offset + 28)), extraLength = Int(Self.u16(bytes, offset + 30)), commentLength = Int(Self.u16(bytes, offset + 32))
            guard offset + 46 + nameLength <= bytes.count else { throw bad("a broken directory entry") }
            let entryName = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            let compressed = Self.u32(bytes, offset + 20), size = Self.u32(bytes, offset + 24), local = Self.u32(bytes, offset + 42)
            guard compressed != 0xFFFF_FFFF, size != 0xFFFF_FFFF, local != 0xFFFF_FFFF else { throw bad("ZIP64 entries are not supported") }
            entries[entryName] = Entry(name: entryName, method: Self.u16(bytes, offset + 10), compressedSize: Int(compressed), size: Int(size),
                                       localHeaderOffset: Int(local), crc: Self.u32(bytes, offset + 16))
            offset += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The bytes of the entry `path`, or nil when the archive has none.
    func contents(of path: String) throws -> [UInt8]? {
        guard let entry = entries[path] else { return nil }
        func bad(_ reason: String) -> ValleyError { .file(path: name, reason: "entry \(path): \(reason)") }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, Self.u32(bytes, header) == 0x0403_4B50 else { throw bad("broken local header") }
        let start = header + 30 + Int(Self.u16(bytes, header + 26)) + Int(Self.u16(bytes, header + 28))
        guard start + entry.compressedSize <= bytes.count else { throw bad("truncated") }
        guard entry.size <= FileIO.readLimit else { throw FileIO.tooLarge("\(name) (\(path))") }
        // Deflate expands at most 1032:1; a header that claims more is damaged (or a bomb).
        guard entry.size <= entry.compressedSize * 1032 + 1024 else { throw bad("claims more data than it can hold") }
        let stored = bytes[start..<(start + entry.compressedSize)]
        let data: [UInt8]
        switch entry.method {
        case 0: data = Array(stored)
        case 8: data = try Self.inflate(stored, size: entry.size, error: bad)
        default: throw bad("compression method \(entry.method) is not supported")
        }
        guard Self.crc32(data) == entry.crc else { throw bad("checksum mismatch (the file is damaged)") }
        return data
    }

    // MARK: - Writing

    /// An archive of `files` (name, bytes), deflated, in the given order.
    static func archive(_ files: [(name: String, bytes: [UInt8])]) throws -> [UInt8] {
        var output: [UInt8] = []
        var directory: [UInt8] = []
        for file in files {
            let compressed = try deflate(file.bytes)
            let crc = crc32(file.bytes)
            let name = Array(file.name.utf8)
            let offset = output.count
            // Local header: version 2.0, UTF-8 names (bit 11), deflate, no time (1980-01-01).
            output += le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(8) + le16(0) + le16(0x21)
            output += le32(crc) + le32(UInt32(compressed.count)) + le32(UInt32(file.bytes.count)) + le16(UInt16(name.count)) + le16(0)
            output += name + compressed
            directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0x0800) + le16(8) + le16(0) + le16(0x21)
            directory += le32(crc) + le32(UInt32(compressed.count)) + le32(UInt32(file.bytes.count)) + le16(UInt16(name.count))
            directory += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(UInt32(offset)) + name
        }
        let directoryOffset = output.count
        output += directory
        output += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(files.count)) + le16(UInt16(files.count))
        output += le32(UInt32(directory.count)) + le32(UInt32(directoryOffset)) + le16(0)
        return output
    }

    // MARK: - zlib

    static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    static func inflate(_ input: ArraySlice<UInt8>, size: Int, error: (String) -> ValleyError) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var stream = z_stream()
        guard valley_inflate_init_raw(&stream) == Z_OK else { throw error("zlib could not start") }
        defer { inflateEnd(&stream) }
        var input = Array(input)
        let result = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END, Int(stream.total_out) == size else { throw error("cannot be inflated (the file is damaged)") }
        return size == 0 ? [] : output
    }

    static func deflate(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard valley_deflate_init_raw(&stream) == Z_OK else { throw ValleyError.refused("zlib could not start") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
        var input = input
        let result = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw ValleyError.refused("zlib could not compress the workbook") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    // MARK: - Little-endian fields

    static func u16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        offset + 2 <= bytes.count ? UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 : 0
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        offset + 4 <= bytes.count ? UInt32(u16(bytes, offset)) | UInt32(u16(bytes, offset + 2)) << 16 : 0
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
}
