#if canImport(Glibc)
import Glibc
#endif

// Completion lists the first names that start with what was typed, in order, and counts the
// rest. Read from the trigram postings, a prefix that 50,000 records' names start with (a
// common syllable) meant 50,000 slots read at random to find their 840 distinct names: 40 ms a
// Tab at a million records. Here ids and distinct names are kept sorted by their completion
// key, so a Tab reads only the matching stretch of each; what changed since they were sorted
// is read one by one, and the order is made again once that grows (`prepareCompletion`).

/// Keys in ascending byte order, one after another in one buffer.
struct SortedKeys: Sendable {
    var bytes: [UInt8] = []
    /// Where each key ends in `bytes` (it starts where the one before ends).
    var ends: [UInt32] = []

    var count: Int { ends.count }

    /// The first position whose key is not below `key`.
    /// - Complexity: O(log count) key comparisons.
    func lowerBound(_ key: [UInt8]) -> Int {
        var low = 0, high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if compare(middle, key) < 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// True when the key at `position` starts with `prefix`.
    func hasPrefix(_ position: Int, _ prefix: [UInt8]) -> Bool {
        let range = self.range(position)
        guard range.count >= prefix.count else { return false }
        return bytes[range.lowerBound..<range.lowerBound + prefix.count].elementsEqual(prefix)
    }

    private func range(_ position: Int) -> Range<Int> {
        (position == 0 ? 0 : Int(ends[position - 1]))..<Int(ends[position])
    }

    private func compare(_ position: Int, _ key: [UInt8]) -> Int {
        let range = self.range(position)
        for (offset, byte) in key.enumerated() {
            guard range.lowerBound + offset < range.upperBound else { return -1 }
            let mine = bytes[range.lowerBound + offset]
            if mine != byte { return mine < byte ? -1 : 1 }
        }
        return range.count == key.count ? 0 : 1
    }
}

/// Ids and distinct names in completion order: by their completion key (`completionKey`),
/// then as text.
struct CompletionOrder: Sendable {
    /// Slots by their id's key, and those keys.
    var idSlots: [UInt32]
    var idKeys: SortedKeys
    /// Name numbers (`NameSearchIndex.originals`) by their key, and those keys.
    var names: [UInt32]
    var nameKeys: SortedKeys
    /// Slots from here on, and name numbers from `nameCount` on, came after the order was
    /// made (or a slot's id may have changed: slots taken off and appended again).
    var slotCount: Int
    var nameCount: Int
    /// Slots below `slotCount` that were empty when the order was made and hold a record again
    /// (undo of a removal), and a bit per slot below `slotCount` in `idSlots` or `restored`.
    var restored: [UInt32] = []
    var covered: [UInt64] = []

    /// How many slots and names may come after the order before it is made again.
    static let tailLimit = 4_096

    /// True when `slot` is in `idSlots` or `restored`.
    func covers(_ slot: Int) -> Bool {
        slot >> 6 < covered.count && covered[slot >> 6] & (1 << UInt64(slot & 63)) != 0
    }

    /// Reads `slot` (below `slotCount`, not covered) with the slots that came after the order.
    mutating func addRestored(_ slot: Int) {
        restored.append(UInt32(slot))
        covered[slot >> 6] |= 1 << UInt64(slot & 63)
    }
}

extension NameSearchIndex {
    /// What completion compares a prefix with: the lower-case text, composed (NFC), as UTF-8.
    /// Text whose key starts with a prefix's key holds every text that starts with the prefix
    /// (lower case, by character), and keys in byte order are in `String`'s order.
    static func completionKey(_ text: String, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 { key.append((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte) }
        } else {
            key.append(contentsOf: String(decoding: text.lowercased()._nfcCodeUnits, as: UTF8.self).utf8)
        }
    }

    /// Sorts the ids and distinct names for completion, unless a recent order serves.
    /// - Complexity: O(1) when the order has fewer than `CompletionOrder.tailLimit` slots and
    ///   names after it; else O(n log n) key comparisons over the ids and names.
    mutating func prepareCompletion() {
        precondition(numbered, "names are numbered (numberNames) before they are ordered")
        if let order = completion, starts.count - order.slotCount + order.restored.count <= CompletionOrder.tailLimit,
           originals.count - order.nameCount <= CompletionOrder.tailLimit { return }
        let (idSlots, idKeys) = Self.sorted(count: ids.count, text: { ids[$0] })
        let (names, nameKeys) = Self.sorted(count: originals.count, text: { originals[$0] })
        var order = CompletionOrder(idSlots: idSlots, idKeys: idKeys, names: names, nameKeys: nameKeys,
                                    slotCount: ids.count, nameCount: originals.count)
        order.covered = [UInt64](repeating: 0, count: (ids.count + 63) / 64)
        for slot in idSlots { order.covered[Int(slot) >> 6] |= 1 << UInt64(slot & 63) }
        completion = order
    }

    /// The positions `0..<count` whose text is not empty, in completion order, with their keys.
    private static func sorted(count: Int, text: (Int) -> String) -> ([UInt32], SortedKeys) {
        var all: [UInt8] = []
        var starts: [UInt32] = []
        starts.reserveCapacity(count + 1)
        var key: [UInt8] = []
        var positions: [UInt32] = []
        for position in 0..<count {
            starts.append(UInt32(all.count))
            let value = text(position)
            guard !value.isEmpty else { continue }
            completionKey(value, into: &key)
            all.append(contentsOf: key)
            positions.append(UInt32(position))
        }
        starts.append(UInt32(all.count))
        all.withUnsafeBufferPointer { bytes in
            positions.sort { a, b in
                let (a, b) = (Int(a), Int(b))
                let lengthA = Int(starts[a + 1] - starts[a]), lengthB = Int(starts[b + 1] - starts[b])
                let order = memcmp(bytes.baseAddress! + Int(starts[a]), bytes.baseAddress! + Int(starts[b]), min(lengthA, lengthB))
                if order != 0 { return order < 0 }
                if lengthA != lengthB { return lengthA < lengthB }
                return text(a) < text(b)
            }
        }
        var keys = SortedKeys()
        keys.bytes.reserveCapacity(all.count)
        keys.ends.reserveCapacity(positions.count)
        for position in positions {
            keys.bytes.append(contentsOf: all[Int(starts[Int(position)])..<Int(starts[Int(position) + 1])])
            keys.ends.append(UInt32(keys.bytes.count))
        }
        return (positions, keys)
    }

    /// The id of a record that holds name `number` (its lowest slot). `irregular` is
    /// `irregularSlotList()`, made by the caller once for all its lookups.
    /// - Complexity: O(1) unless that slot lost the name while other slots kept it; then
    ///   O(the postings of the name's rarest trigram + the irregular slots), or O(n) for a name
    ///   with no letter or digit.
    func completionOwner(of number: Int, irregular: () -> [Int]) -> String? {
        let first = firstSlots[number]
        if first != .max, Int(first) < ids.count { return ids[Int(first)] }
        var key: [UInt8] = []
        Self.appendNormalised(originals[number], to: &key)
        if key.last == 0 { key.removeLast() }
        let slots = key.isEmpty ? Array(0..<ids.count) : self.slots(containing: key) + irregular()
        let owner = slots.filter { nameNumbers(of: $0).contains(UInt32(number)) }.min()
        return owner.map { ids[$0] }
    }
}
