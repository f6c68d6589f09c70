/// Counts by a text key, for `count --by`: the first 32 distinct keys live in two small
/// arrays searched linearly (comparing short strings is cheaper than hashing them, and a
/// grouping field such as sector or status has a handful of values); more spill to a dictionary.
struct GroupCounter {
    private var keys: [String] = []
    private var values: [Int] = []
    private var spill: [String: Int] = [:]

    mutating func add(_ key: String, count: Int = 1) {
        if let index = position(of: key) {
            values[index] += count
        } else if keys.count < 32 {
            keys.append(key)
            values.append(count)
        } else {
            spill[key, default: 0] += count
        }
    }

    /// The position of `key` among the first keys. Lengths are compared first: two different
    /// strings of a length go through the standard library's out-of-line comparison, which
    /// was a fifth of a million-row `count --by sector`.
    /// - Complexity: O(first keys)
    private func position(of key: String) -> Int? {
        let length = key.utf8.count
        return keys.firstIndex { $0.utf8.count == length && $0 == key }
    }

    /// Adds another counter's counts (a piece of a scan made on another core).
    /// - Complexity: O(keys of `other`) lookups.
    mutating func add(_ other: GroupCounter) {
        for (key, count) in other.counts { add(key, count: count) }
    }

    /// Every key with its count.
    var counts: [String: Int] {
        spill.merging(zip(keys, values)) { $0 + $1 }
    }
}
