
/// A record found by its name: `ClusterModel.searchNames`.
public struct NameMatch: Sendable, Equatable {
    /// The record's key.
    public var id: String
    /// The name (or the id) that matched best, as the record has it.
    public var name: String
    /// `NameSearch.score` of that name: 100 exact … 25 one edit away.
    public var score: Int
}

/// Names that start with a typed prefix: `AnyRecordTable.names(startingWith:limit:)`.
public struct NamePrefixMatches: Sendable, Equatable {
    /// The first names in order of their lower-case form (at most the limit asked for).
    public var names: [String]
    /// The id each of `names` belongs to.
    public var ids: [String]
    /// How many more distinct names matched.
    public var more: Int
}

extension RecordTable {
    /// The records with a name that matches `text`, best first: each record's best-scoring name
    /// among its `RecordKind.names` and its id (`NameSearch.score`; the first of equal scores),
    /// ordered by score, then id; at most `limit`.
    ///
    /// Names that contain the query (score 60 or more) come from the trigram index; the rest
    /// of the table is read, through two words per record, only when they are fewer than
    /// `limit`.
    /// - Complexity: O(k + m log limit) when `limit` records contain the query, where k is the
    ///   length of the rarest of the query's trigram postings and m the records found;
    ///   otherwise O(n) with a small constant. Builds the index first if there is none (O(total
    ///   length of the names), once).
    mutating func searchNames(for text: String, limit: Int) throws -> [NameMatch] {
        let query = NameSearchIndex.composed(NameSearch.normalised(text))
        guard !query.isEmpty, limit > 0 else { return [] }
        prepareNameSearch()
        guard let search = nameSearch else { return [] }
        let queryBytes = Array(query.utf8)
        let asciiQuery = queryBytes.allSatisfy { $0 < 0x80 }
        let queryIrregular = NameSearchIndex.isIrregular(queryBytes)
        let queryScalars = NameSearchIndex.scalars(queryBytes)
        func score(_ slot: Int) -> Int {
            if asciiQuery { return NameSearchIndex.asciiBestScore(search.names(of: slot), query: queryBytes, queryText: query) }
            if !queryIrregular, !search.irregular[slot] { return NameSearchIndex.regularBestScore(search.names(of: slot), query: queryScalars) }
            return rows[slot].map { bestName(of: $0, query: query)?.score ?? 0 } ?? 0
        }
        // Scores are 0…100: a bucket of slots per score, so that only the last bucket needed
        // is ordered by id. Slots that contain the query's bytes come from the index; slots
        // with irregular names (`NameSearchIndex.irregular`) are scored whatever their bytes.
        var buckets = [[Int]](repeating: [], count: 101)
        var strong = 0
        var scored = 0
        func add(_ slot: Int) throws {
            if scored & 0xFFFF == 0 { try Interruption.check() }
            scored += 1
            let score = score(slot)
            buckets[score].append(slot)
            if score >= 60 { strong += 1 }
        }
        let containing = search.slots(containing: queryBytes)
        for slot in containing { try add(slot) }
        let irregular = search.irregularSlotList()
        var found = irregular.isEmpty ? [] : Set(containing)
        for slot in irregular where found.insert(slot).inserted { try add(slot) }
        // Any other record scores 50 at most (a regular name holds a regular query exactly
        // when its bytes do): read them only to fill the list. A regular name holds no
        // character of an irregular query (composed, see `composed`), so it can only be one
        // edit away from it: of those, only names of a near length are read.
        if strong < limit {
            if found.isEmpty { found = Set(containing) }
            var queryMask: UInt64 = 0
            for byte in queryBytes { queryMask |= NameSearchIndex.bit(byte) }
            // One edit away from an irregular query, a regular name lacks exactly its one
            // irregular character and holds the rest; with two, none is.
            let irregularCharacters = queryIrregular ? query.reduce(0) { $0 + (NameSearchIndex.isIrregular(String($1).utf8) ? 1 : 0) } : 0
            var regularMask: UInt64 = 0
            if queryIrregular {
                for character in query where !NameSearchIndex.isIrregular(String(character).utf8) {
                    for byte in character.utf8 { regularMask |= NameSearchIndex.bit(byte) }
                }
            }
            var nearLengths: UInt64 = 0
            for length in (query.count - 1)...(query.count + 1) where (1...40).contains(length) { nearLengths |= 1 << length }
            for slot in 0..<search.slotCount {
                if slot & 0xFFFF == 0 { try Interruption.check() }
                guard search.lengths[slot] > 0, !found.contains(slot) else { continue }
                if queryIrregular {
                    guard irregularCharacters == 1, search.lengthBits[slot] & nearLengths != 0,
                          search.masks[slot] & regularMask == regularMask else { continue }
                } else {
                    guard search.mayMatch(slot: slot, queryMask: queryMask, nearLengths: nearLengths) else { continue }
                }
                try add(slot)
            }
        }
        var chosen: [Int] = []
        for score in stride(from: 100, to: 0, by: -1) where chosen.count < limit && !buckets[score].isEmpty {
            chosen += smallestIDs(buckets[score], count: limit - chosen.count)
        }
        return chosen.compactMap { slot in
            rows[slot].flatMap { record in bestName(of: record, query: query).map { NameMatch(id: record.id, name: $0.name, score: $0.score) } }
        }
    }

    /// The best-scoring of a record's names and id against normalised `query` (the first of
    /// equal scores), nil when none scores.
    private func bestName(of record: R, query: String) -> (name: String, score: Int)? {
        var best: (name: String, score: Int)?
        for name in R.kind.names(record) + [record.id] {
            let score = NameSearch.score(query: query, name: NameSearch.normalised(name))
            if score > (best?.score ?? 0) { best = (name, score) }
        }
        return best
    }

    /// The `count` slots of `slots` with the smallest ids, in id order.
    /// - Complexity: O(m log count) comparisons for m slots.
    private func smallestIDs(_ slots: [Int], count: Int) -> [Int] {
        func id(_ slot: Int) -> String { rows[slot]?.id ?? "" }
        if slots.count <= count { return slots.sorted { id($0) < id($1) } }
        var kept: [(id: String, slot: Int)] = []
        kept.reserveCapacity(count + 1)
        for slot in slots {
            let key = id(slot)
            if kept.count == count, let last = kept.last, key >= last.id { continue }
            var low = 0, high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if kept[middle].id < key { low = middle + 1 } else { high = middle }
            }
            kept.insert((key, slot), at: low)
            if kept.count > count { kept.removeLast() }
        }
        return kept.map(\.slot)
    }

    /// Ids and names whose lower-case form starts with `prefix` (lower case): the first `limit`
    /// distinct names in order of their lower-case form (then the name), with the id each names
    /// (its first record; a name that is also a record's id counts once, as that id), and how
    /// many more there are. With the name index's completion order (`prepareCompletion`) it
    /// reads the stretch of sorted ids and names that start with the prefix; with the index
    /// alone, the records whose names hold the prefix; else every record.
    /// - Complexity: with the completion order, O(log n + m log limit + t) where m is the ids
    ///   and distinct names that start with the prefix and t (at most 2 × 4,096) those added
    ///   since the order was made. With the index alone, O(k + c + m log limit) for a prefix of
    ///   three letters or more, where k is the length of the rarest of its trigram postings and
    ///   c the records found; O(n + c + m log limit) for a shorter one.
    public func names(startingWith prefix: String, limit: Int) -> NamePrefixMatches {
        /// The slots that may hold a matching name, ascending (without a completion order).
        func candidateSlots() -> [Int] {
            let key = Array(NameSearchIndex.composed(NameSearch.normalised(prefix)).utf8)
            var candidates: [Int]
            if let search = nameSearch, key.isEmpty {
                // A prefix with no letter or digit (nothing typed yet, say): every record.
                candidates = Array(0..<search.slotCount)
            } else if let search = nameSearch {
                if key.count >= 3 {
                    candidates = search.slots(containing: key)
                } else {
                    candidates = []
                    search.forEachSlot { slot, _ in candidates.append(slot) }
                }
                candidates.removeAll { !NameSearchIndex.hasName(search.names(of: $0), startingWith: key) }
                // Irregular names may start with the prefix in another canonical form; a regular
                // name cannot start with an irregular (composed) prefix.
                let irregular = search.irregularSlotList()
                if NameSearchIndex.isIrregular(key) {
                    candidates = irregular
                } else if !irregular.isEmpty {
                    candidates = Array(Set(candidates).union(irregular)).sorted()
                }
            } else {
                candidates = Array(rows.indices)
            }
            return candidates
        }
        let asciiPrefix = prefix.utf8.allSatisfy { $0 < 0x80 }
        let limit = Swift.max(0, limit)
        var seen = Set<String>()
        var matched = 0
        // The first `limit` names so far, in order: most matches are compared with the last
        // and left, so a short prefix over a million names sorts only what it lists.
        var listed: [(name: String, id: String)] = []
        func consider(_ name: String, id: String, isID: Bool = true) {
            guard Self.lowercased(name, startsWith: prefix, asciiPrefix: asciiPrefix), isID || slot(of: name) == nil,
                  seen.insert(name).inserted else { return }
            list(name, id: id)
        }
        /// Counts a distinct matching name and keeps it when it is among the first `limit` (true then).
        @discardableResult
        func list(_ name: String, id: String) -> Bool {
            matched += 1
            guard limit > 0 else { return false }
            if listed.count == limit, !Self.precedes(name, listed[limit - 1].name) { return false }
            var low = 0, high = listed.count
            while low < high {
                let middle = (low + high) / 2
                if Self.precedes(listed[middle].name, name) { low = middle + 1 } else { high = middle }
            }
            listed.insert((name, id), at: low)
            if listed.count > limit { listed.removeLast() }
            return true
        }
        if let search = nameSearch, let order = search.completion {
            // The stretch of each sorted list that starts with the prefix's key, and what came
            // after the lists were sorted.
            var key: [UInt8] = []
            NameSearchIndex.completionKey(prefix, into: &key)
            func consider(slot: Int) {
                guard slot < search.ids.count else { return }
                let id = search.ids[slot]
                if !id.isEmpty, Self.lowercased(id, startsWith: prefix, asciiPrefix: asciiPrefix) { list(id, id: id) }
            }
            // A name's owner is looked up only for the names listed (the id left empty until then).
            var numbers: [String: Int] = [:]
            func consider(number: Int) {
                guard search.useCounts[number] > 0 else { return }
                let name = search.originals[number]
                guard Self.lowercased(name, startsWith: prefix, asciiPrefix: asciiPrefix), slot(of: name) == nil else { return }
                if list(name, id: "") { numbers[name] = number }
            }
            var position = order.idKeys.lowerBound(key)
            while position < order.idSlots.count, order.idKeys.hasPrefix(position, key) {
                let slot = Int(order.idSlots[position])
                if slot < order.slotCount { consider(slot: slot) }
                position += 1
            }
            for slot in order.restored { consider(slot: Int(slot)) }
            for slot in order.slotCount..<Swift.max(order.slotCount, search.ids.count) { consider(slot: slot) }
            position = order.nameKeys.lowerBound(key)
            while position < order.names.count, order.nameKeys.hasPrefix(position, key) {
                consider(number: Int(order.names[position]))
                position += 1
            }
            for number in order.nameCount..<Swift.max(order.nameCount, search.originals.count) { consider(number: number) }
            var irregular: [Int]?
            for (position, entry) in listed.enumerated() where entry.id.isEmpty {
                let owner = numbers[entry.name].flatMap { number in
                    search.completionOwner(of: number) {
                        if irregular == nil { irregular = search.irregularSlotList() }
                        return irregular!
                    }
                }
                listed[position].id = owner ?? ""
            }
            return NamePrefixMatches(names: listed.map(\.name), ids: listed.map(\.id), more: matched - listed.count)
        }
        let candidates = candidateSlots()
        let names = R.kind.names  // once: each read of `R.kind` copies the kind
        rows.withUnsafeBufferPointer { buffer in
            for slot in candidates {
                switch buffer[slot] {
                case .some(let record):
                    consider(record.id, id: record.id)
                    // A name that is also a record's id is left to that record.
                    for name in names(record) { consider(name, id: record.id, isID: false) }
                case .none: continue
                }
            }
        }
        return NamePrefixMatches(names: listed.map(\.name), ids: listed.map(\.id), more: matched - listed.count)
    }

    /// True when `name.lowercased()` starts with `prefix` (lower case); ASCII names are
    /// checked on their bytes, without making a `String`.
    private static func lowercased(_ name: String, startsWith prefix: String, asciiPrefix: Bool) -> Bool {
        if asciiPrefix, name.utf8.allSatisfy({ $0 < 0x80 }) {
            guard name.utf8.count >= prefix.utf8.count else { return false }
            for (byte, wanted) in zip(name.utf8, prefix.utf8) where lowerASCII(byte) != wanted { return false }
            return true
        }
        return name.lowercased().hasPrefix(prefix)
    }

    private static func lowerASCII(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// Completion order: by `lowercased()`, then by the name; on the bytes when both are ASCII
    /// (where `String` order is byte order).
    static func precedes(_ a: String, _ b: String) -> Bool {
        if a.utf8.allSatisfy({ $0 < 0x80 }), b.utf8.allSatisfy({ $0 < 0x80 }) {
            var tie: Bool?
            var first = a.utf8.makeIterator(), second = b.utf8.makeIterator()
            while true {
                switch (first.next(), second.next()) {
                case (nil, nil): return tie ?? false
                case (nil, _): return true
                case (_, nil): return false
                case let (x?, y?):
                    let (lowerX, lowerY) = (lowerASCII(x), lowerASCII(y))
                    if lowerX != lowerY { return lowerX < lowerY }
                    if tie == nil, x != y { tie = x < y }
                }
            }
        }
        let (lowerA, lowerB) = (a.lowercased(), b.lowercased())
        return lowerA < lowerB || (lowerA == lowerB && a < b)
    }
}
