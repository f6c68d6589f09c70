extension ZoneRules {
    /// Reads a TZif file (RFC 8536): the 64-bit data of version 2 and later, with its POSIX
    /// footer for instants after the last transition; the 32-bit data of version 1.
    /// - Throws: `Failure.malformed` naming what is wrong.
    /// - Complexity: O(size of the file).
    init(identifier: String, tzif bytes: [UInt8]) throws(Failure) {
        var reader = TZifReader(bytes: bytes)
        let first = try reader.header()
        guard first.version >= 2 else {
            let block = try reader.block(first, timeSize: 4)
            self.init(identifier: identifier, block: block, rule: nil)
            return
        }
        try reader.skip(first.blockSize(timeSize: 4))
        let second = try reader.header()
        let block = try reader.block(second, timeSize: 8)
        // The footer: "\n" TZ-string "\n" (empty string: no rule).
        guard try reader.byte() == UInt8(ascii: "\n") else { throw .malformed("no footer") }
        var footer: [UInt8] = []
        while true {
            let byte = try reader.byte()
            if byte == UInt8(ascii: "\n") { break }
            footer.append(byte)
        }
        let rule = footer.isEmpty ? nil : try PosixRule(String(decoding: footer, as: UTF8.self))
        self.init(identifier: identifier, block: block, rule: rule)
    }

    private init(identifier: String, block: TZifReader.Block, rule: PosixRule?) {
        self.identifier = identifier
        self.transitions = block.times
        self.offsets = block.indices.map { block.offsets[Int($0)] }
        // RFC 8536 3.2: local time before the first transition is that of type 0.
        self.initialOffset = block.offsets[0]
        self.rule = rule
    }
}

/// A cursor over a TZif file's bytes.
private struct TZifReader {
    struct Header {
        let version: Int
        let isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount: Int

        func blockSize(timeSize: Int) -> Int {
            timeCount * timeSize + timeCount + typeCount * 6 + characterCount + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
        }
    }

    struct Block {
        var times: [Int64] = []
        var indices: [UInt8] = []
        var offsets: [Int32] = []
    }

    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() throws(ZoneRules.Failure) -> UInt8 {
        guard position < bytes.count else { throw .malformed("truncated") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func skip(_ count: Int) throws(ZoneRules.Failure) {
        guard count >= 0, count <= bytes.count - position else { throw .malformed("truncated") }
        position += count
    }

    mutating func integer(size: Int) throws(ZoneRules.Failure) -> Int64 {
        var value: UInt64 = 0
        for _ in 0..<size { value = value << 8 | UInt64(try byte()) }
        // Sign-extend a 32-bit value.
        return size == 4 ? Int64(Int32(truncatingIfNeeded: value)) : Int64(bitPattern: value)
    }

    mutating func header() throws(ZoneRules.Failure) -> Header {
        guard bytes.count - position >= 44, bytes[position..<position + 4].elementsEqual("TZif".utf8) else { throw .malformed("not a TZif file") }
        let versionByte = bytes[position + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        guard (1...9).contains(version) else { throw .malformed("unknown version") }
        position += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let count = try integer(size: 4)
            // Counts of a real zone are small; the bound keeps every size below in Int range.
            guard (0...1_000_000).contains(count) else { throw .malformed("bad count") }
            counts.append(Int(count))
        }
        let header = Header(version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
                            timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
        guard header.typeCount >= 1 else { throw .malformed("no local time types") }
        return header
    }

    mutating func block(_ header: Header, timeSize: Int) throws(ZoneRules.Failure) -> Block {
        var block = Block()
        let end = position + header.blockSize(timeSize: timeSize)
        guard end <= bytes.count else { throw .malformed("truncated") }
        block.times.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount {
            let time = try integer(size: timeSize)
            guard block.times.last.map({ $0 < time }) ?? true else { throw .malformed("transitions out of order") }
            block.times.append(time)
        }
        for _ in 0..<header.timeCount {
            let index = try byte()
            guard Int(index) < header.typeCount else { throw .malformed("bad type index") }
            block.indices.append(index)
        }
        for _ in 0..<header.typeCount {
            let offset = try integer(size: 4)
            // RFC 8536: -2^31 is not allowed; real offsets are within a day.
            guard (-89_999...93_599).contains(offset) else { throw .malformed("bad offset") }
            block.offsets.append(Int32(offset))
            try skip(2)  // is-DST flag and designation index
        }
        position = end  // designations, leap seconds and the indicators are not needed
        return block
    }
}
