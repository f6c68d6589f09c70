
/// A table's record names (its id and `RecordKind.names`), normalised by
/// `NameSearch.normalised`, with a trigram index over their UTF-8 bytes: which records have a
/// name containing a text, without reading every record.
///
/// A table builds one on first use (`ClusterModel.prepareNameSearch`); from then on every change
/// to the table updates it in O(names of the changed record), so no find or Tab after an edit
/// rebuilds it. A replaced or removed record leaves its postings behind: every candidate is
/// checked against the slot's current names, and the index compacts itself (O(n), so O(1)
/// amortized per change) once the text it no longer uses outgrows the text it does.
///
/// Byte trigrams serve every script: a name that contains a text contains every 3-byte window
/// of its UTF-8, and UTF-8 is self-synchronising, so a byte match is a character match.
///
/// The postings are one flat array grouped by trigram bucket (a hash of the trigram into 2^18
/// buckets; a bucket's other trigrams are weeded out by the same check), built in two counting
/// passes: a million records' names index in a fraction of a second where a dictionary of
/// arrays took seconds. Changes after the build go to a small dictionary, merged by the next
/// rebuild once it grows. Written here because no package offers an updatable n-gram index.
@usableFromInline
struct NameSearchIndex: Sendable {
    /// Per slot, where its names start in `text` (each followed by a 0 byte) and their length
    /// with the separators; 0 for an empty slot.
    var starts: [UInt32] = []
    var lengths: [UInt32] = []
    /// Per slot, a bit for each byte value in its names (`bit`): a name can hold a query's
    /// bytes in order only when the slot's mask covers the query's.
    var masks: [UInt64] = []
    /// Per slot, a bit for each character count (up to 63) a name of it may have: its length
    /// for a regular name (ASCII and CJK ideographs); every count up to its scalar count for
    /// another (a character may be several scalars).
    var lengthBits: [UInt64] = []
    /// The normalised names of every slot, each followed by a 0 byte (no normalised name has one).
    var text: [UInt8] = []
    /// Per slot, true when a name holds a letter beyond ASCII and the common CJK ideographs, or
    /// a combining mark (`isIrregular(name:)`): one that may be written in more than one
    /// canonically equivalent way (é as one scalar or
    /// two, 가 as a syllable or its jamo, 金 as a compatibility ideograph), which `String`
    /// comparison equates and a byte match does not. Such slots are scored as `String`s by
    /// every search, whatever the bytes say; `irregularSlots` lists them (with stale entries).
    var irregular: [Bool] = []
    var irregularSlots: [UInt32] = []
    /// Bytes of `text` no slot uses any more.
    var deadText = 0
    /// Per slot, the record's id as the record has it ("" for an empty slot), and its other
    /// names as numbers into `originals`: `nameNumbers[nameStarts[slot]...]`, `nameCounts[slot]`
    /// of them. Completion's sorted order (`CompletionOrder`) lists each distinct name once, by
    /// number, and finds a record holding it without reading a record: tens of thousands of
    /// records may share a few hundred names.
    ///
    /// Kept only once a completion asks (`numbered`, `numberNames`): `find` needs none of it,
    /// and numbering a million records' names takes half a second.
    var numbered = false
    var ids: [String] = []
    var nameStarts: [UInt32] = []
    var nameCounts: [UInt32] = []
    var nameNumbers: [UInt32] = []
    /// Every distinct name (not id) of the slots, as records have it, by number.
    var originals: [String] = []
    var originalNumbers: [String: UInt32] = [:]
    /// Entries of `nameNumbers` no slot uses any more.
    var deadNumbers = 0
    /// Per name number: how many slots hold it, and the lowest of them (`UInt32.max` once that
    /// slot has lost it while others hold it still: `completionOwner(of:)` finds one again).
    var useCounts: [UInt32] = []
    var firstSlots: [UInt32] = []
    /// Ids and names in completion order (`prepareCompletion`), nil until a completion asks.
    var completion: CompletionOrder?
    /// Bucket b's slots are `bucketSlots[bucketStarts[b]..<bucketStarts[b + 1]]`, ascending.
    var bucketStarts: [UInt32] = []
    var bucketSlots: [UInt32] = []
    /// Buckets → slots set since the last build (stale and repeated slots allowed).
    var recent: [UInt32: [UInt32]] = [:]
    var recentCount = 0

    static let bucketBits: UInt32 = 18

    @usableFromInline init() {}

    /// The number of slots covered.
    var slotCount: Int { starts.count }

    /// Sets the names of `slot` (the next slot, or one already covered).
    /// - Complexity: O(total length of `names`); amortized O(1) more for the rebuilds.
    @usableFromInline
    mutating func set(slot: Int, names: [String]) {
        let start = text.count
        for name in names { Self.appendNormalised(name, to: &text) }
        place(slot: slot, from: start, irregular: names.contains(where: Self.isIrregular(name:)))
        if numbered { placeOriginals(slot: slot, id: names.first ?? "", names: names.dropFirst()) }
        guard !bucketStarts.isEmpty else { return }
        for bucket in Self.buckets(of: text[start...]) {
            recent[bucket, default: []].append(UInt32(slot))
            recentCount += 1
        }
        if (deadText > text.count / 2 && text.count > 1 << 20) || (deadNumbers > nameNumbers.count / 2 && nameNumbers.count > 1 << 18) {
            compact()
        } else if recentCount > max(1 << 16, bucketSlots.count / 2) {
            buildPostings()
        }
    }

    /// Appends `NameSearch.normalised(name)` and a 0 byte when it is not empty, from the
    /// name's bytes: ASCII by the byte, other scalars of the Basic Multilingual Plane by
    /// `bmpClasses`; a name with a scalar that lowercasing changes, or beyond the BMP, goes
    /// through `NameSearch.normalisedByProperties` (the same answer, slower).
    static func appendNormalised(_ name: String, to text: inout [UInt8]) {
        let start = text.count
        var fast = true
        var utf8 = name.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): text.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): text.append(byte | 0x20)
            case 0..<0x80: continue
            case 0xC0..<0xE0:
                let second = utf8.next() ?? 0
                let value = Int(byte & 0x1F) << 6 | Int(second & 0x3F)
                switch bmpClasses[value] {
                case 0: continue
                case 1: text.append(byte); text.append(second)
                default: fast = false
                }
            case 0xE0..<0xF0:
                let second = utf8.next() ?? 0
                let third = utf8.next() ?? 0
                let value = Int(byte & 0x0F) << 12 | Int(second & 0x3F) << 6 | Int(third & 0x3F)
                switch bmpClasses[value] {
                case 0: continue
                case 1: text.append(byte); text.append(second); text.append(third)
                default: fast = false
                }
            default: fast = false
            }
            if !fast { break }
        }
        if !fast {
            text.removeLast(text.count - start)
            text.append(contentsOf: NameSearch.normalisedByProperties(name).utf8)
        }
        if text.count > start { text.append(0) }
    }

    /// Appends the letters and digits of lower-case UTF-8 `bytes` whose scalars are ASCII or
    /// in the BMP with `bmpClasses` below 2 (`NameSearch.lowercasedBytes` makes such bytes).
    static func appendNormalised(bytes: ArraySlice<UInt8>, to text: inout [UInt8]) {
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                text.append(byte)
                position += 1
            case 0..<0x80: position += 1
            case 0xC0..<0xE0:
                if bmpClasses[Int(byte & 0x1F) << 6 | Int(bytes[position + 1] & 0x3F)] == 1 { text.append(contentsOf: bytes[position..<position + 2]) }
                position += 2
            default:
                if bmpClasses[Int(byte & 0x0F) << 12 | Int(bytes[position + 1] & 0x3F) << 6 | Int(bytes[position + 2] & 0x3F)] == 1 {
                    text.append(contentsOf: bytes[position..<position + 3])
                }
                position += 3
            }
        }
    }

    /// Per scalar of the Basic Multilingual Plane, what `NameSearch.normalised` does with it
    /// when lowercasing leaves it alone: 0 drops it (not a letter or digit), 1 keeps it; 2
    /// marks the rest (lowercasing changes them; and surrogates, never scalars).
    /// Made once, on first use, from the Unicode properties that `normalised` reads.
    static let bmpClasses: [UInt8] = (0..<0x10000).map { (value: Int) -> UInt8 in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return 2 }
        let properties = scalar.properties
        guard properties.lowercaseMapping.unicodeScalars.elementsEqual([scalar]) else { return 2 }
        return properties.isAlphabetic || properties.numericType != nil ? 1 : 0
    }

    /// Empties `slot` (a removed record).
    /// - Complexity: O(1)
    @usableFromInline
    mutating func clear(slot: Int) {
        guard slot < starts.count else { return }
        deadText += Int(lengths[slot])
        if numbered {
            releaseNames(of: slot)
            nameCounts[slot] = 0
            ids[slot] = ""
        }
        lengths[slot] = 0
        masks[slot] = 0
        lengthBits[slot] = 0
        irregular[slot] = false
    }

    /// Drops the slots from `count` on (the table's last slots were taken off).
    /// - Complexity: O(slots dropped)
    @usableFromInline
    mutating func truncate(to count: Int) {
        if let order = completion, order.slotCount > count { completion!.slotCount = count }
        while starts.count > count {
            deadText += Int(lengths.removeLast())
            if numbered {
                releaseNames(of: starts.count - 1)
                nameCounts.removeLast()
                nameStarts.removeLast()
                ids.removeLast()
            }
            starts.removeLast()
            masks.removeLast()
            lengthBits.removeLast()
            irregular.removeLast()
        }
    }

    /// Numbers the names of every slot (`ids`, `nameNumbers`), unless done: from then on every
    /// change keeps them. `rows` are the table's slots, as the index has them.
    /// - Complexity: O(total names), a hash lookup each, the first time; then O(1).
    mutating func numberNames<R: Record>(_ rows: [R?]) {
        guard !numbered else { return }
        numbered = true
        ids.reserveCapacity(rows.count)
        nameStarts.reserveCapacity(rows.count)
        nameCounts.reserveCapacity(rows.count)
        let names = R.kind.names  // once: each read of `R.kind` copies the kind (a retain of each of its closures)
        rows.withUnsafeBufferPointer { buffer in
            for slot in buffer.indices {
                switch buffer[slot] {
                case .some(let record): placeOriginals(slot: slot, id: record.id, names: names(record))
                case .none: placeOriginals(slot: slot, id: "", names: [])
                }
            }
        }
    }

    /// Records `slot`'s id and other names as the record has them (`ids`, `nameNumbers`).
    /// - Complexity: O(names), a hash lookup each.
    private mutating func placeOriginals(slot: Int, id: String, names: some Collection<String>) {
        while ids.count <= slot {
            ids.append("")
            nameStarts.append(0)
            nameCounts.append(0)
        }
        // A slot the completion order left out (empty when it was made) that gets an id again
        // (undo of a removal) is read with those added after the order.
        if let order = completion, slot < order.slotCount, ids[slot].isEmpty, !id.isEmpty, !order.covers(slot) {
            completion!.addRestored(slot)
        }
        ids[slot] = id
        let old = Array(nameNumbers(of: slot))  // a copy: a slice would make the appends below copy the whole array
        let start = nameNumbers.count
        nameStarts[slot] = UInt32(start)
        for name in names {
            let number = number(of: name)
            // Each name once a slot (an alias may repeat the English name).
            guard !nameNumbers[start...].contains(number) else { continue }
            nameNumbers.append(number)
            // A name the slot keeps keeps its count and its first slot.
            guard !old.contains(number) else { continue }
            useCounts[Int(number)] += 1
            if useCounts[Int(number)] == 1 {
                firstSlots[Int(number)] = UInt32(slot)
                // The spelling shown is one a record has (canonically equivalent texts share a number).
                originals[Int(number)] = name
            } else if firstSlots[Int(number)] != .max, UInt32(slot) < firstSlots[Int(number)] {
                firstSlots[Int(number)] = UInt32(slot)
            }
        }
        let kept = nameNumbers[start...]
        for number in old where !kept.contains(number) { release(number, from: slot) }
        deadNumbers += old.count
        nameCounts[slot] = UInt32(nameNumbers.count - start)
    }

    /// Takes name `number` from `slot` (a holder fewer).
    private mutating func release(_ number: UInt32, from slot: Int) {
        useCounts[Int(number)] -= 1
        if firstSlots[Int(number)] == UInt32(slot) { firstSlots[Int(number)] = useCounts[Int(number)] == 0 ? 0 : .max }
    }

    /// Takes `slot`'s names from it (a holder fewer each).
    private mutating func releaseNames(of slot: Int) {
        for number in Array(nameNumbers(of: slot)) { release(number, from: slot) }
        deadNumbers += Int(nameCounts[slot])
    }

    /// The number of `name` in `originals`, added when new.
    private mutating func number(of name: String) -> UInt32 {
        if let number = originalNumbers[name] { return number }
        let number = UInt32(originals.count)
        originals.append(name)
        originalNumbers[name] = number
        useCounts.append(0)
        firstSlots.append(0)
        return number
    }

    /// The numbers of `slot`'s names other than its id (see `originals`).
    func nameNumbers(of slot: Int) -> ArraySlice<UInt32> {
        guard slot < nameStarts.count else { return [] }
        let start = Int(nameStarts[slot])
        return nameNumbers[start..<start + Int(nameCounts[slot])]
    }

    /// Records that `slot`'s names are `text[start...]` (just appended).
    private mutating func place(slot: Int, from start: Int, irregular isIrregular: Bool) {
        while starts.count <= slot {
            starts.append(0)
            lengths.append(0)
            masks.append(0)
            lengthBits.append(0)
            irregular.append(false)
        }
        deadText += Int(lengths[slot])
        starts[slot] = UInt32(start)
        irregular[slot] = isIrregular
        if isIrregular { irregularSlots.append(UInt32(slot)) }
        lengths[slot] = UInt32(text.count - start)
        var mask: UInt64 = 0
        var lengthsSeen: UInt64 = 0
        var scalars = 0
        var nameStart = start
        for position in start..<text.count {
            let byte = text[position]
            if byte == 0 {
                // A regular name (ASCII and CJK ideographs) has a character per scalar.
                let exact = !Self.isIrregular(text[nameStart..<position])
                lengthsSeen |= exact ? 1 << min(scalars, 63) : (scalars >= 63 ? .max : (1 << (scalars + 1)) - 1)
                scalars = 0
                nameStart = position + 1
                continue
            }
            mask |= Self.bit(byte)
            if byte & 0xC0 != 0x80 { scalars += 1 }
        }
        masks[slot] = mask
        lengthBits[slot] = lengthsSeen
    }

    /// The trigram buckets of a slot's names (windows never cross a name's end), repeated as
    /// often as they occur: a slot listed twice in a bucket is read once, as lists are in slot
    /// order, and sorting each slot's few dozen buckets cost more than the repeats.
    static func buckets(of bytes: ArraySlice<UInt8>) -> [UInt32] {
        var result: [UInt32] = []
        buckets(of: bytes, into: &result)
        return result
    }

    /// `buckets(of:)` into `result` (emptied first, its storage reused).
    static func buckets(of bytes: ArraySlice<UInt8>, into result: inout [UInt32]) {
        result.removeAll(keepingCapacity: true)
        var window: UInt32 = 0
        var filled = 0
        for byte in bytes {
            if byte == 0 { filled = 0; window = 0; continue }
            window = (window << 8 | UInt32(byte)) & 0xFF_FFFF
            filled += 1
            if filled >= 3 { result.append(bucket(window)) }
        }
    }

    /// A byte's bit in a slot's mask: its own for each ASCII letter and digit (what English
    /// names and ids are made of), the other bytes hashed over the remaining 28 (UTF-8 of
    /// Chinese fills those, and would fill all 64 if it shared them).
    static func bit(_ byte: UInt8) -> UInt64 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return 1 << UInt64(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return 1 << UInt64(26 + byte - UInt8(ascii: "0"))
        default: return 1 << UInt64(36 + byte % 28)
        }
    }

    /// The bucket of a trigram (its three bytes in the low 24 bits).
    static func bucket(_ trigram: UInt32) -> UInt32 { (trigram &* 0x9E37_79B1) >> (32 - bucketBits) }

    /// Builds the postings of every slot afresh, in two counting passes, each over pieces of at
    /// least `minimumPerPiece` slots, one per core: every piece counts its slots' trigrams per
    /// bucket, and then writes its slots after those of the pieces before it in each bucket,
    /// so a bucket's slots stay ascending.
    /// - Complexity: O(total length of the names + 2^18 × pieces), spread over the processors.
    mutating func buildPostings(minimumPerPiece: Int = 50_000) {
        let bucketCount = 1 << Int(Self.bucketBits)
        let ranges = Self.pieceRanges(count: starts.count, minimumPerPiece: minimumPerPiece)
        let pieceCount = ranges.count
        let (starts, lengths, text) = (self.starts, self.lengths, self.text)
        /// Calls `body` with the buckets of each filled slot of `range`, in slot order.
        @Sendable func forEachSlot(in range: Range<Int>, _ body: (Int, [UInt32]) -> Void) {
            var scratch: [UInt32] = []
            scratch.reserveCapacity(256)
            for slot in range where lengths[slot] > 0 {
                let start = Int(starts[slot])
                Self.buckets(of: text[start..<start + Int(lengths[slot])], into: &scratch)
                body(slot, scratch)
            }
        }
        // Pass 1: each piece's count of postings per bucket.
        let counts = Self.perPiece(pieceCount) { piece in
            var counts = [UInt32](repeating: 0, count: bucketCount)
            forEachSlot(in: ranges[piece]) { _, buckets in for bucket in buckets { counts[Int(bucket)] += 1 } }
            return counts
        }
        // Where each bucket starts, and where each piece's part of it does.
        var bucketStarts = [UInt32](repeating: 0, count: bucketCount + 1)
        var pieceStarts = [[UInt32]](repeating: [UInt32](repeating: 0, count: bucketCount), count: pieceCount)
        var total: UInt32 = 0
        for bucket in 0..<bucketCount {
            bucketStarts[bucket] = total
            for piece in 0..<pieceCount {
                pieceStarts[piece][bucket] = total
                total += counts[piece][bucket]
            }
        }
        bucketStarts[bucketCount] = total
        let firstPositions = pieceStarts
        // Pass 2: each piece writes its slots into its own positions of each bucket.
        var slots = [UInt32](repeating: 0, count: Int(total))
        slots.withUnsafeMutableBufferPointer { buffer in
            let shared = DisjointWrites(base: buffer.baseAddress)
            _ = Self.perPiece(pieceCount) { piece in
                var next = firstPositions[piece]
                forEachSlot(in: ranges[piece]) { slot, buckets in
                    for bucket in buckets {
                        shared.base?[Int(next[Int(bucket)])] = UInt32(slot)
                        next[Int(bucket)] += 1
                    }
                }
                return true
            }
        }
        self.bucketStarts = bucketStarts
        bucketSlots = slots
        recent = [:]
        recentCount = 0
    }

    /// `0..<count` in one range per processor, each of at least `minimumPerPiece` (one range
    /// when `count` is below twice that).
    private static func pieceRanges(count: Int, minimumPerPiece: Int) -> [Range<Int>] {
        let pieceCount = max(1, min(ParallelChunks.processors, count / max(1, minimumPerPiece)))
        return (0..<pieceCount).map { count * $0 / pieceCount..<count * ($0 + 1) / pieceCount }
    }

    /// `body` of each piece `0..<count`, each on its own thread when there are several; the
    /// results in piece order.
    private static func perPiece<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count == 1 { return [body(0)] }
        do {
            return try ParallelChunks.map(count: count, minimumPerChunk: 1) { pieces in pieces.map(body) }.flatMap { $0 }
        } catch {
            // `map` throws only what its body throws, and this body throws nothing.
            return (0..<count).map(body)
        }
    }

    /// Builds the index of a table's names: `names(slot)` for each slot (nil for an empty one).
    ///
    /// The names are normalised in pieces of at least `minimumPerPiece` slots, one per core,
    /// and the pieces joined (their text offsets and irregular slots moved by those before
    /// them): on one core this was 0.8 s of the 2.2 s a million records' first Tab took.
    /// - Complexity: O(total length of the names), the normalising spread over the processors.
    static func build<R: Record>(_ rows: [R?], minimumPerPiece: Int = 50_000) -> NameSearchIndex {
        let names = R.kind.names  // once: each read of `R.kind` copies the kind
        let ranges = Self.pieceRanges(count: rows.count, minimumPerPiece: minimumPerPiece)
        var pieces = perPiece(ranges.count) { piece(of: rows, ranges[$0], names: names) }
        // Joined into arrays made to size, each piece freed once copied: the build's peak is
        // the index's own size plus the last piece (at a million records 16–25 MB above the
        // build on one core, for 0.45 s less).
        var index = NameSearchIndex()
        index.text.reserveCapacity(pieces.reduce(0) { $0 + $1.text.count })
        index.starts.reserveCapacity(rows.count)
        index.lengths.reserveCapacity(rows.count)
        index.masks.reserveCapacity(rows.count)
        index.lengthBits.reserveCapacity(rows.count)
        index.irregular.reserveCapacity(rows.count)
        for position in pieces.indices {
            let piece = pieces[position]
            pieces[position] = NameSearchIndex()
            let textBase = UInt32(index.text.count), slotBase = UInt32(index.starts.count)
            index.text.append(contentsOf: piece.text)
            index.starts.append(contentsOf: piece.starts.lazy.map { $0 + textBase })
            index.lengths.append(contentsOf: piece.lengths)
            index.masks.append(contentsOf: piece.masks)
            index.lengthBits.append(contentsOf: piece.lengthBits)
            index.irregular.append(contentsOf: piece.irregular)
            index.irregularSlots.append(contentsOf: piece.irregularSlots.lazy.map { $0 + slotBase })
        }
        index.buildPostings(minimumPerPiece: minimumPerPiece)
        return index
    }

    /// The index of the slots `range` of `rows`, numbered from 0, without postings.
    private static func piece<R: Record>(of rows: [R?], _ range: Range<Int>, names: (R) -> [String]) -> NameSearchIndex {
        var index = NameSearchIndex()
        index.starts.reserveCapacity(range.count)
        index.lengths.reserveCapacity(range.count)
        index.masks.reserveCapacity(range.count)
        index.lengthBits.reserveCapacity(range.count)
        index.irregular.reserveCapacity(range.count)
        rows.withUnsafeBufferPointer { buffer in
            for slot in range {
                let start = index.text.count
                var irregular = false
                // Borrowed, not copied: a copy of a record retains every field.
                switch buffer[slot] {
                case .some(let record):
                    appendNormalised(record.id, to: &index.text)
                    irregular = isIrregular(name: record.id)
                    for name in names(record) {
                        appendNormalised(name, to: &index.text)
                        if !irregular { irregular = isIrregular(name: name) }
                    }
                case .none: break
                }
                index.place(slot: slot - range.lowerBound, from: start, irregular: irregular)
            }
        }
        return index
    }

    /// Rewrites `text` without dead bytes, and the postings.
    /// - Complexity: O(total length of the names)
    mutating func compact() {
        var fresh = NameSearchIndex()
        fresh.text.reserveCapacity(text.count - deadText)
        for slot in starts.indices {
            let start = fresh.text.count
            fresh.text.append(contentsOf: names(of: slot))
            fresh.place(slot: slot, from: start, irregular: irregular[slot])
            if numbered {
                fresh.numbered = true
                fresh.placeOriginals(slot: slot, id: ids[slot], names: nameNumbers(of: slot).map { originals[Int($0)] })
            }
        }
        fresh.buildPostings()
        self = fresh
    }

    /// True when a name (as the record has it) holds a scalar beyond ASCII and the CJK unified
    /// ideographs that normalising keeps or changes, or a combining mark (which normalising
    /// may drop, though `String` compares the name with it): such a name may match a text in
    /// another canonical form. Full-width punctuation, which normalising drops, does not count.
    static func isIrregular(name: String) -> Bool {
        var utf8 = name.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case 0..<0x80: continue
            case 0xC0..<0xE0:
                let second = utf8.next() ?? 0
                if bmpIrregular[Int(byte & 0x1F) << 6 | Int(second & 0x3F)] { return true }
            case 0xE0..<0xF0:
                let second = utf8.next() ?? 0
                let third = utf8.next() ?? 0
                if bmpIrregular[Int(byte & 0x0F) << 12 | Int(second & 0x3F) << 6 | Int(third & 0x3F)] { return true }
            default: return true
            }
        }
        return false
    }

    /// Per BMP scalar, whether it makes a name irregular (`isIrregular(name:)`).
    static let bmpIrregular: [Bool] = (0..<0x10000).map { (value: Int) -> Bool in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return true }
        if value < 0x80 || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value) { return false }
        return bmpClasses[value] != 0 || scalar.properties.canonicalCombiningClass != .notReordered
    }

    /// True when normalised UTF-8 holds a scalar beyond ASCII other than a CJK unified
    /// ideograph (U+3400–U+4DBF, U+4E00–U+9FFF), whose forms never differ canonically.
    static func isIrregular(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte >= 0x80 else { continue }
            guard byte & 0xF0 == 0xE0, let second = iterator.next(), let third = iterator.next() else { return true }
            let value = UInt32(byte & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
            if !(0x3400...0x4DBF).contains(value) && !(0x4E00...0x9FFF).contains(value) { return true }
        }
        return false
    }

    /// `text` in Normalization Form C when it is irregular (the same string to `String`
    /// comparison): a compatibility ideograph becomes the unified one (regular), a decomposed
    /// é the precomposed one. A composed irregular text holds a character that no ASCII or CJK
    /// character is canonically equivalent to.
    ///
    /// The standard library's NFC (`_nfcCodeUnits`, what `String`'s own `==` compares) rather
    /// than Foundation's `precomposedStringWithCanonicalMapping`: the same normalisation, without
    /// linking Foundation's ICU (30 MB of the binary) for it.
    static func composed(_ text: String) -> String {
        isIrregular(text.utf8) ? String(decoding: text._nfcCodeUnits, as: UTF8.self) : text
    }

    /// The slots whose names are irregular (see `irregular`), ascending.
    /// - Complexity: O(entries in `irregularSlots`), the slots ever set irregular since the
    ///   last compaction.
    func irregularSlotList() -> [Int] {
        var result: [Int] = []
        for slot in irregularSlots where Int(slot) < irregular.count && irregular[Int(slot)] { result.append(Int(slot)) }
        result.sort()
        var unique = 0
        for slot in result where unique == 0 || result[unique - 1] != slot {
            result[unique] = slot
            unique += 1
        }
        result.removeLast(result.count - unique)
        return result
    }

    // MARK: Reading

    /// The names of `slot`, normalised, each followed by a 0 byte (empty for an empty slot).
    func names(of slot: Int) -> ArraySlice<UInt8> {
        guard slot < starts.count else { return [] }
        let start = Int(starts[slot])
        return text[start..<start + Int(lengths[slot])]
    }

    /// The slots with a name that contains `query` (normalised, non-empty), ascending.
    /// - Complexity: O(k + m) for a query of 3 bytes or more, where k is the length of the
    ///   rarest of its trigrams' postings and m the bytes of those slots' names; O(total length
    ///   of the names) for a shorter one.
    func slots(containing query: [UInt8]) -> [Int] {
        guard !query.isEmpty else { return [] }
        var result: [Int] = []
        if query.count < 3 {
            for slot in starts.indices where Self.contains(names(of: slot), query) { result.append(slot) }
            return result
        }
        var rarest: (bucket: UInt32, count: Int)?
        for bucket in Self.buckets(of: query[...]) {
            let count = Int(bucketStarts[Int(bucket) + 1] - bucketStarts[Int(bucket)]) + (recent[bucket]?.count ?? 0)
            if count == 0 { return [] }
            if count < rarest?.count ?? .max { rarest = (bucket, count) }
        }
        guard let rarest else { return [] }
        let built = bucketSlots[Int(bucketStarts[Int(rarest.bucket)])..<Int(bucketStarts[Int(rarest.bucket) + 1])]
        var candidates = Array(built)
        if let more = recent[rarest.bucket] {
            candidates += more
            candidates.sort()
        }
        var previous = -1
        for slot in candidates where Int(slot) != previous {
            previous = Int(slot)
            if Self.contains(names(of: previous), query) { result.append(previous) }
        }
        return result
    }

    /// Calls `body` with each slot's normalised names (0-separated), in slot order.
    /// - Complexity: O(total length of the names)
    func forEachSlot(_ body: (Int, ArraySlice<UInt8>) throws -> Void) rethrows {
        for slot in starts.indices where lengths[slot] > 0 { try body(slot, names(of: slot)) }
    }

    /// True when `haystack` contains `needle` (which has no 0 byte, so no match crosses names).
    static func contains<Element: Equatable>(_ haystack: ArraySlice<Element>, _ needle: [Element]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var position = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while position <= last {
            if haystack[position] == first {
                var matched = 1
                while matched < needle.count, haystack[position + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            position += 1
        }
        return false
    }

    /// True when some name in `names` (0-separated) starts with `prefix`.
    static func hasName(_ names: ArraySlice<UInt8>, startingWith prefix: [UInt8]) -> Bool {
        var start = names.startIndex
        while start < names.endIndex {
            let end = names[start...].firstIndex(of: 0) ?? names.endIndex
            if end - start >= prefix.count, names[start..<start + prefix.count].elementsEqual(prefix) { return true }
            start = end + 1
        }
        return false
    }

    /// True when a name of `slot` could score above 0 (`NameSearch.score`) against a query
    /// with these bytes (`queryMask`) and character count (`nearLengths`: bits for one less,
    /// the same and one more, up to 40): it holds every byte of the query (exact, prefix,
    /// substring and subsequence matches all do) or may be one edit away. A necessary
    /// condition from two words per slot; the score decides.
    /// - Complexity: O(1)
    func mayMatch(slot: Int, queryMask: UInt64, nearLengths: UInt64) -> Bool {
        masks[slot] & queryMask == queryMask || lengthBits[slot] & nearLengths != 0
    }

    /// The best `NameSearch.score` of the names of one slot (0-separated) against an ASCII
    /// `query` (normalised; `queryText` the same as a `String`): ASCII names on their bytes; a
    /// name without ASCII scores 0 against a query of two characters or more (no common
    /// character, and at least two edits); another name as `String`s, where a character may
    /// be several bytes.
    /// - Complexity: O(length of the names), O(length²) for none.
    static func asciiBestScore(_ names: ArraySlice<UInt8>, query: [UInt8], queryText: String) -> Int {
        var best = 0
        var start = names.startIndex
        while start < names.endIndex {
            var end = start
            var asciiBytes = 0
            var otherBytes = 0
            while end < names.endIndex, names[end] != 0 {
                if names[end] < 0x80 { asciiBytes += 1 } else { otherBytes += 1 }
                end += 1
            }
            let score: Int
            if otherBytes == 0 {
                score = asciiScore(query: query, name: names[start..<end])
            } else if asciiBytes == 0 && query.count >= 2 {
                score = 0
            } else {
                score = NameSearch.score(query: queryText, name: String(decoding: names[start..<end], as: UTF8.self))
            }
            best = max(best, score)
            start = end + 1
        }
        return best
    }

    /// The best `NameSearch.score` of the names of one regular slot (ASCII and CJK ideographs
    /// only, see `irregular`) against a regular query given as scalars: there a character is
    /// a scalar, so the score is computed on scalars.
    static func regularBestScore(_ names: ArraySlice<UInt8>, query: [UInt32]) -> Int {
        var best = 0
        var scalars: [UInt32] = []
        var position = names.startIndex
        while position < names.endIndex {
            let byte = names[position]
            if byte == 0 {
                best = max(best, sequenceScore(query: query, name: scalars[...]))
                scalars.removeAll(keepingCapacity: true)
                position += 1
            } else if byte < 0x80 {
                scalars.append(UInt32(byte))
                position += 1
            } else {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (0x7F >> UInt32(length))
                for offset in 1..<length { value = value << 6 | UInt32(names[position + offset] & 0x3F) }
                scalars.append(value)
                position += length
            }
        }
        return best
    }

    /// The scalars of normalised UTF-8 `bytes`.
    static func scalars(_ bytes: [UInt8]) -> [UInt32] {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value)
    }

    /// `NameSearch.score` for ASCII `name` and `query` (a character is a byte).
    static func asciiScore(query: [UInt8], name: ArraySlice<UInt8>) -> Int {
        sequenceScore(query: query, name: name)
    }

    /// `NameSearch.score` where each element is one character.
    static func sequenceScore<Element: Equatable>(query: [Element], name: ArraySlice<Element>) -> Int {
        if name.isEmpty { return 0 }
        // A substring (and so an exact or prefix match) is a subsequence: look for that first,
        // in one pass that most names leave early.
        var gaps = 0
        var position = name.startIndex
        var matchedAll = true
        for element in query {
            var found = false
            while position < name.endIndex {
                let next = name[position]
                position += 1
                if next == element { found = true; break }
                gaps += 1
            }
            if !found { matchedAll = false; break }
        }
        if matchedAll {
            if name.count == query.count { return 100 }  // all of it, in order: the same
            if name.prefix(query.count).elementsEqual(query) { return 80 }
            if contains(name, query) { return 60 }
            return max(30, 50 - gaps)
        }
        if abs(name.count - query.count) <= 1, name.count <= 40, isOneEditAway(query[...], name) { return 25 }
        return 0
    }

    /// True when one substitution, insertion or deletion turns `a` into `b` (lengths within
    /// one of each other, not equal strings): Levenshtein distance 1.
    static func isOneEditAway<Element: Equatable>(_ a: ArraySlice<Element>, _ b: ArraySlice<Element>) -> Bool {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        var i = short.startIndex, j = long.startIndex
        while i < short.endIndex, short[i] == long[j] { i += 1; j += 1 }
        if short.count == long.count {
            guard i < short.endIndex else { return false }
            return short[(i + 1)...].elementsEqual(long[(j + 1)...])
        }
        return short[i...].elementsEqual(long[(j + 1)...])
    }
}

/// The postings buffer `buildPostings` fills from several threads at once.
// @unchecked: each piece writes only its own positions of the buffer (the counts of the first
// pass hand each piece a disjoint stretch of every bucket), and the buffer outlives the
// writers (`ParallelChunks.map` returns once every piece has ended).
private struct DisjointWrites: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt32>?
}
