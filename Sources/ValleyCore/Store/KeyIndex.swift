/// The key index of a record table: from a record's key to its slot, in 8 bytes a bucket.
///
/// An open-addressing hash table (linear probing, at most three quarters full) whose buckets
/// hold a slot and 32 bits of the key's hash, not the key: a probe whose hash bits match reads
/// the key from the record in that slot (`matches`). A `[String: Int]` kept key and slot, 24
/// bytes a bucket: 50 MB for a million enterprises, against 17 MB here with a power of two of
/// buckets, and 11 MB with as many buckets as the entries reserved need (a key's home bucket
/// is its hash scaled to the bucket count, not masked, so any count works).
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

    /// The bucket where a probe for `hash` starts among `size` buckets: the hash scaled to the
    /// size (a multiply and a shift, where a modulo would divide).
    @inlinable @inline(__always)
    static func home(_ hash: UInt32, size: Int) -> Int { Int(truncatingIfNeeded: (UInt64(hash) &* UInt64(size)) >> 32) }

    /// The bucket a probe looks at after `bucket` among `size` buckets (the first after the last).
    @inlinable @inline(__always)
    static func bucket(after bucket: Int, size: Int) -> Int { bucket + 1 == size ? 0 : bucket + 1 }

    /// The slot of the entry with `hash` for which `matches` (given a slot) is true.
    /// - Complexity: O(1) on average.
    @inlinable
    func slot(hash: UInt32, matches: (Int) -> Bool) -> Int? {
        guard !buckets.isEmpty else { return nil }
        return buckets.withUnsafeBufferPointer { buckets in
            let size = buckets.count
            var bucket = Self.home(hash, size: size)
            while true {
                let entry = buckets[bucket]
                if entry == 0 { return nil }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let slot = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    if matches(slot) { return slot }
                }
                bucket = Self.bucket(after: bucket, size: size)
            }
        }
    }

    /// Adds an entry for `slot` unless an entry with `hash` matches (given its slot): then
    /// returns that entry's slot and changes nothing.
    /// - Complexity: O(1) on average; O(count) when the table doubles.
    @inlinable
    mutating func insert(hash: UInt32, slot: Int, unlessMatching matches: (Int) -> Bool) -> Int? {
        precondition(slot >= 0 && slot < Int(UInt32.max), "a table holds fewer than 2^32 slots")
        // Doubling: amortised O(1), as a power of two grew.
        if (count + 1) * 4 > buckets.count * 3 { grow(toHold: max(count + 1, 2 * count)) }
        let size = buckets.count
        var bucket = Self.home(hash, size: size)
        while true {
            let entry = buckets[bucket]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let existing = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if matches(existing) { return existing }
            }
            bucket = Self.bucket(after: bucket, size: size)
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
        let size = buckets.count
        /// How many steps of probing lead from `from` to `to`.
        func distance(_ from: Int, _ to: Int) -> Int { to >= from ? to - from : to - from + size }
        let wanted = UInt64(hash) << 32 | UInt64(slot + 1)
        var hole = Self.home(hash, size: size)
        while buckets[hole] != wanted {
            if buckets[hole] == 0 { return }
            hole = Self.bucket(after: hole, size: size)
        }
        count -= 1
        // Backward shift: each later entry of the run that may move into the hole (its home is
        // not between the hole and itself) does, so that no probe stops short at a hole.
        var next = Self.bucket(after: hole, size: size)
        while buckets[next] != 0 {
            let home = Self.home(UInt32(truncatingIfNeeded: buckets[next] >> 32), size: size)
            if distance(home, next) >= distance(hole, next) {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = Self.bucket(after: next, size: size)
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

    /// Rebuilds the table with the fewest buckets that hold `capacity` entries at most three
    /// quarters full (never fewer than it has), placing each entry by its stored hash bits (no
    /// key is read).
    /// - Complexity: O(count + buckets)
    @usableFromInline
    mutating func grow(toHold capacity: Int) {
        let size = max(16, (capacity * 4 + 2) / 3)
        guard size > buckets.count else { return }
        var grown = [UInt64](repeating: 0, count: size)
        for entry in buckets where entry != 0 {
            var bucket = Self.home(UInt32(truncatingIfNeeded: entry >> 32), size: size)
            while grown[bucket] != 0 { bucket = Self.bucket(after: bucket, size: size) }
            grown[bucket] = entry
        }
        buckets = grown
    }
}
