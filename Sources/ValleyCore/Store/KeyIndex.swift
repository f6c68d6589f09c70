/// The key index of a record table: from a record's key to its slot, in 8 bytes a bucket.
///
/// An open-addressing hash table (linear probing, at most three quarters full) whose buckets
/// hold a slot and 32 bits of the key's hash, not the key: a probe whose hash bits match reads
/// the key from the record in that slot (`matches`). A `[String: Int]` kept key and slot, 24
/// bytes a bucket: 50 MB for a million enterprises, against 17 MB here.
///
/// Written here, not taken from a package: swift-collections has no hash table that leaves
/// its keys elsewhere, and the one this replaces is the standard library's.
///
/// The caller keeps the index and its records in step: an entry is added for a slot that
/// holds (or is about to hold) its record, and removed, by slot, while it is known which.
@usableFromInline
struct KeyIndex: Sendable {
    /// Each bucket: 0 when empty, else the hash bits in the high half and the slot + 1 in the low.
    @usableFromInline var buckets: [UInt64] = []
    /// The number of entries.
    @usableFromInline var count = 0

    @inlinable init() {}

    /// The 32 bits of `key`'s hash that place and tag it (the process's seeded hash, as
    /// `Dictionary`'s, so crafted keys cannot pile up).
    /// - Complexity: O(length of the key)
    @inlinable @inline(__always)
    static func hash(_ key: String) -> UInt32 { UInt32(truncatingIfNeeded: key.hashValue) }

    /// The slot of the entry with `hash` for which `matches` (given a slot) is true.
    /// - Complexity: O(1) on average.
    @inlinable
    func slot(hash: UInt32, matches: (Int) -> Bool) -> Int? {
        guard !buckets.isEmpty else { return nil }
        return buckets.withUnsafeBufferPointer { buckets in
            let mask = buckets.count - 1
            var bucket = Int(hash) & mask
            while true {
                let entry = buckets[bucket]
                if entry == 0 { return nil }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let slot = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    if matches(slot) { return slot }
                }
                bucket = (bucket + 1) & mask
            }
        }
    }

    /// Adds an entry for `slot` unless an entry with `hash` matches (given its slot): then
    /// returns that entry's slot and changes nothing.
    /// - Complexity: O(1) on average; O(count) when the table doubles.
    @inlinable
    mutating func insert(hash: UInt32, slot: Int, unlessMatching matches: (Int) -> Bool) -> Int? {
        precondition(slot >= 0 && slot < Int(UInt32.max), "a table holds fewer than 2^32 slots")
        if (count + 1) * 4 > buckets.count * 3 { grow(toHold: count + 1) }
        let mask = buckets.count - 1
        var bucket = Int(hash) & mask
        while true {
            let entry = buckets[bucket]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let existing = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if matches(existing) { return existing }
            }
            bucket = (bucket + 1) & mask
        }
        buckets[bucket] = UInt64(hash) << 32 | UInt64(slot + 1)
        count += 1
        return nil
    }

    /// Removes the entry for `slot`, whose key has `hash`; nothing when there is none.
    /// - Complexity: O(1) on average.
    @inlinable
    mutating func remove(hash: UInt32, slot: Int) {
        guard !buckets.isEmpty else { return }
        let mask = buckets.count - 1
        let wanted = UInt64(hash) << 32 | UInt64(slot + 1)
        var hole = Int(hash) & mask
        while buckets[hole] != wanted {
            if buckets[hole] == 0 { return }
            hole = (hole + 1) & mask
        }
        count -= 1
        // Backward shift: each later entry of the run that may move into the hole (its home is
        // not between the hole and itself) does, so that no probe stops short at a hole.
        var next = (hole + 1) & mask
        while buckets[next] != 0 {
            let home = Int(truncatingIfNeeded: buckets[next] >> 32) & mask
            if (next - home) & mask >= (next - hole) & mask {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole] = 0
    }

    /// Makes room for `capacity` entries without growing.
    /// - Complexity: O(count) when the table grows, else O(1).
    @inlinable
    mutating func reserveCapacity(_ capacity: Int) {
        if capacity * 4 > buckets.count * 3 { grow(toHold: capacity) }
    }

    /// Removes every entry, keeping the buckets.
    /// - Complexity: O(buckets)
    @inlinable
    mutating func removeAll() {
        for bucket in buckets.indices { buckets[bucket] = 0 }
        count = 0
    }

    /// Rebuilds the table with a power of two of buckets that holds `capacity` entries at most
    /// three quarters full, placing each entry by its stored hash bits (no key is read).
    /// - Complexity: O(count + buckets)
    @usableFromInline
    mutating func grow(toHold capacity: Int) {
        var size = max(16, buckets.count)
        while capacity * 4 > size * 3 { size *= 2 }
        guard size != buckets.count else { return }
        var grown = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for entry in buckets where entry != 0 {
            var bucket = Int(truncatingIfNeeded: entry >> 32) & mask
            while grown[bucket] != 0 { bucket = (bucket + 1) & mask }
            grown[bucket] = entry
        }
        buckets = grown
    }
}
