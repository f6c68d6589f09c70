extension ZoneRules {
    /// Reads a TZif file (RFC 8536): the 64-bit data of version 2 and later, with its POSIX
    /// footer for instants after the last transition; the 32-bit data of version 1.
    /// - Throws: `Failure.malformed` naming what is wrong.
    /// - Complexity: O(size of the file).
    init(identifier: String, tzif bytes: [UInt8]) throws(Failure) {
        let result = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in Result { () throws(Failure) -> (block: TZifBlock, footer: [UInt8]?) in
            let first = try TZifHeader(raw, at: 0)
            guard first.version >= 2 else { return (try TZifBlock(raw, header: first, at: 44, timeSize: 4), nil) }
            let secondStart = 44 + first.blockSize(timeSize: 4)
            let second = try TZifHeader(raw, at: secondStart)
            let block = try TZifBlock(raw, header: second, at: secondStart + 44, timeSize: 8)
            // The footer: "\n" TZ-string "\n" (empty string: no rule).
            var position = secondStart + 44 + second.blockSize(timeSize: 8)
            guard position < raw.count, raw[position] == UInt8(ascii: "\n") else { throw .malformed("no footer") }
            position += 1
            guard let end = raw[position...].firstIndex(of: UInt8(ascii: "\n")) else { throw .malformed("no footer") }
            return (block, Array(raw[position..<end]))
        } }
        let parsed = try result.get()
        self.identifier = identifier
        self.transitions = parsed.block.times
        self.offsets = parsed.block.indices.map { parsed.block.offsets[Int($0)] }
        // RFC 8536 3.2: local time before the first transition is that of type 0.
        self.initialOffset = parsed.block.offsets[0]
        if let footer = parsed.footer, !footer.isEmpty {
            self.rule = try PosixRule(String(decoding: footer, as: UTF8.self))
        } else {
            self.rule = nil
        }
    }
}

/// A TZif header: the version and the counts that size the data block after it.
private struct TZifHeader {
    let version: Int
    let isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount: Int

    init(_ raw: UnsafeRawBufferPointer, at start: Int) throws(ZoneRules.Failure) {
        guard start >= 0, raw.count - start >= 44 else { throw .malformed(start == 0 ? "not a TZif file" : "truncated") }
        guard raw[start..<start + 4].elementsEqual("TZif".utf8) else { throw .malformed(start == 0 ? "not a TZif file" : "no second header") }
        let versionByte = raw[start + 4]
        version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        guard (1...9).contains(version) else { throw .malformed("unknown version") }
        var counts: [Int] = []
        for index in 0..<6 {
            let count = Int(UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: start + 20 + 4 * index, as: UInt32.self)))
            // Counts of a real zone are small; the bound keeps every size below in Int range.
            guard count <= 1_000_000 else { throw .malformed("bad count") }
            counts.append(count)
        }
        (isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount) = (counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])
        guard typeCount >= 1 else { throw .malformed("no local time types") }
        // The `right/` zones count leap seconds: their instants are not POSIX time.
        guard leapCount == 0 else { throw .malformed("a zone with leap seconds (right/…); use the zone without right/") }
    }

    func blockSize(timeSize: Int) -> Int {
        timeCount * timeSize + timeCount + typeCount * 6 + characterCount + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
    }
}

/// What Valley reads of a TZif data block: the transitions, the type of each, the types' offsets.
private struct TZifBlock {
    var times: [Int64] = []
    var indices: [UInt8] = []
    var offsets: [Int32] = []

    init(_ raw: UnsafeRawBufferPointer, header: TZifHeader, at start: Int, timeSize: Int) throws(ZoneRules.Failure) {
        guard header.blockSize(timeSize: timeSize) <= raw.count - start else { throw .malformed("truncated") }
        times.reserveCapacity(header.timeCount)
        for index in 0..<header.timeCount {
            let offset = start + index * timeSize
            let time = timeSize == 4 ? Int64(Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                : Int64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
            guard times.last.map({ $0 < time }) ?? true else { throw .malformed("transitions out of order") }
            times.append(time)
        }
        let typeIndices = start + header.timeCount * timeSize
        indices = Array(raw[typeIndices..<typeIndices + header.timeCount])
        guard indices.allSatisfy({ Int($0) < header.typeCount }) else { throw .malformed("bad type index") }
        let types = typeIndices + header.timeCount
        offsets.reserveCapacity(header.typeCount)
        for index in 0..<header.typeCount {
            let offset = Int32(bigEndian: raw.loadUnaligned(fromByteOffset: types + 6 * index, as: Int32.self))
            // RFC 8536: -2^31 is not allowed; real offsets are within a day.
            guard (-89_999...93_599).contains(offset) else { throw .malformed("bad offset") }
            offsets.append(offset)
        }
        // The designations, leap seconds and indicators that follow are not needed.
    }
}
