import ArgumentParser
import ValleyCore
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// MARK: - registry duplicates

struct RegistryDuplicates: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates", _superCommandName: "registry",
        abstract: "Find enterprises that share a credit code or a normalised name (merge them with 'registry merge').")



    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["reason", "key", "enterprises"])
        for group in try Self.groups(in: context.model.enterprises) {
            table.append([.text(group.reason), .text(group.key), .text(group.ids.joined(separator: ", "))])
        }
        context.emit(table)
    }

    /// Records that share a credit code (ids in record order, by code), then records that share
    /// a name key (`NameMatching.key`; ids sorted, by key; a set of ids reported once).
    ///
    /// A million records have three million keys, nearly all unique: instead of a dictionary of
    /// strings, the keys are made a range of records per core, as bytes one after another (no
    /// `String` per key), each key's hash is packed with its position into one integer and the
    /// integers radix-sorted; only keys in a run of equal hashes are compared, by their bytes (a
    /// hash collision joins nothing; two spellings of one text in different Unicode forms are
    /// two keys, as their hashes already made them).
    /// - Complexity: O(n × names) to make the keys (spread over the cores), O(k) to sort the k
    ///   keys, O(length of the keys that share a hash) to confirm.
    static func groups(in table: RecordTable<Enterprise>) throws -> [(reason: String, key: String, ids: [String])] {
        struct Keys: Sendable {
            /// Codes packed: the model's codes are validated, all 18 characters of the alphabet
            /// (text that is not a code, which validation refuses, would be left out).
            var codes: [CreditCode.Packed] = [], codeIDs: [String] = [], codeHashes: [UInt64] = []
            /// The name keys' UTF-8 one after another: key `i` ends at `nameEnds[i]`. (A
            /// `String` per key was three million allocations, and their arrays' growth.)
            var nameBytes: [UInt8] = [], nameEnds: [Int] = [], nameIDs: [String] = [], nameHashes: [UInt64] = []

            /// Key `index`'s bytes.
            func name(_ index: Int) -> ArraySlice<UInt8> {
                nameBytes[(index == 0 ? 0 : nameEnds[index - 1])..<nameEnds[index]]
            }
        }
        let parts = try ParallelChunks.map(count: table.slotCount) { slots in
            var keys = Keys()
            keys.codes.reserveCapacity(slots.count)
            keys.codeIDs.reserveCapacity(slots.count)
            keys.codeHashes.reserveCapacity(slots.count)
            keys.nameBytes.reserveCapacity(slots.count * 40)
            keys.nameEnds.reserveCapacity(slots.count * 3)
            keys.nameIDs.reserveCapacity(slots.count * 3)
            keys.nameHashes.reserveCapacity(slots.count * 3)
            var scratch: [UInt8] = []
            try table.forEachRecord(inSlots: slots) { (slot: Int, enterprise: borrowing Enterprise) throws -> Void in
                if slot & 0xFFFF == 0 { try Interruption.check() }
                if let code = enterprise.packedCreditCode {
                    keys.codes.append(code)
                    keys.codeIDs.append(enterprise.id)
                    keys.codeHashes.append(code.withUTF8 { hash($0) })
                }
                let own = keys.nameEnds.count
                let id = enterprise.id
                // The names of `allNames`, each key once per enterprise.
                func add(_ name: String) {
                    let start = keys.nameBytes.count
                    NameMatching.appendKey(name, to: &keys.nameBytes, scratch: &scratch)
                    let end = keys.nameBytes.count
                    guard end > start else { return }
                    // No slice of the bytes is alive when they shrink (that would copy them all).
                    let repeated = (own..<keys.nameEnds.count).contains { sameBytes(keys.name($0), keys.nameBytes[start..<end]) }
                    if repeated {
                        keys.nameBytes.removeLast(end - start)
                        return
                    }
                    keys.nameHashes.append(hash(keys.nameBytes[start..<end]))
                    keys.nameEnds.append(end)
                    keys.nameIDs.append(id)
                }
                if let name = enterprise.nameEN { add(name) }
                if let name = enterprise.nameZH { add(name) }
                for name in enterprise.aliases { add(name) }
            }
            return keys
        }
        // Positions run over the parts' keys one after the other; the parts stay as made.
        struct Located: Sendable {
            let offsets: [Int]
            init(_ counts: [Int]) {
                var offsets = [0]
                for count in counts { offsets.append(offsets.last! + count) }
                self.offsets = offsets
            }
            /// The part holding `position`, and the position within it.
            func locate(_ position: Int) -> (part: Int, index: Int) {
                var part = 0
                while position >= offsets[part + 1] { part += 1 }
                return (part, position - offsets[part])
            }
        }
        let codes = Located(parts.map(\.codes.count))
        let code = { (position: Int) -> CreditCode.Packed in let (part, index) = codes.locate(position); return parts[part].codes[index] }
        let names = Located(parts.map(\.nameEnds.count))
        // The parts' name keys in one run of bytes (a copy of some 40 MB at 1M records), so
        // that confirming a run of equal hashes compares bytes in place.
        var nameBytes: [UInt8] = [], nameStarts: [Int] = [0]
        nameBytes.reserveCapacity(parts.reduce(0) { $0 + $1.nameBytes.count })
        nameStarts.reserveCapacity(names.offsets.last! + 1)
        for part in parts {
            let base = nameBytes.count
            nameBytes.append(contentsOf: part.nameBytes)
            for end in part.nameEnds { nameStarts.append(base + end) }
        }

        var result: [(reason: String, key: String, ids: [String])] = []
        let byCode = try shared(parts.flatMap(\.codeHashes), same: { code($0) == code($1) }, bytes: { code($0).withUTF8 { Array($0) } },
                                text: { code($0).string })
        for group in byCode.sorted(by: { $0.text < $1.text }) {
            result.append(("same credit code", group.text, group.positions.map { let (part, index) = codes.locate($0); return parts[part].codeIDs[index] }))
        }
        let byName = try nameBytes.withUnsafeBufferPointer { buffer in
            let name = { (position: Int) in UnsafeBufferPointer(rebasing: buffer[nameStarts[position]..<nameStarts[position + 1]]) }
            return try shared(parts.flatMap(\.nameHashes), same: { sameBytes(name($0), name($1)) }, bytes: { Array(name($0)) },
                              text: { String(decoding: name($0), as: UTF8.self) })
        }.sorted(by: { $0.text < $1.text })
        // Each group's ids in order, groups split over the cores. An enterprise gives a key
        // once, so a group's ids are distinct.
        let idLists = try ParallelChunks.map(count: byName.count, minimumPerChunk: 2_000) { range in
            try range.map { index in
                if index & 0x3FFF == 0 { try Interruption.check() }
                return byName[index].positions.map { let (part, index) = names.locate($0); return parts[part].nameIDs[index] }.sorted()
            }
        }.joined()
        var reported = Set<[String]>()
        for (group, ids) in zip(byName, idLists) {
            guard reported.insert(ids).inserted else { continue }
            result.append(("same name", group.text, ids))
        }
        return result
    }

    /// The groups of keys with the same bytes among those whose hashes repeat, with their
    /// positions (indices into `hashes`) in ascending order. Entries sort by hash, then
    /// position, so a run's positions are already in order; a run is nearly always one key
    /// (two keys share a hash about once in 2^40 pairs), checked on the bytes before any
    /// dictionary is made.
    /// - Complexity: O(k) to sort the k hashes (`sortedInParallel`), O(length of the keys in
    ///   runs) to confirm.
    static func shared(_ hashes: [UInt64], same: (Int, Int) -> Bool, bytes: (Int) -> [UInt8],
                       text: (Int) -> String) throws -> [(text: String, positions: [Int])] {
        let indexBits = max(1, UInt64.bitWidth - UInt64(max(1, hashes.count)).leadingZeroBitCount)
        let entries = try sortedInParallel(hashes.enumerated().map { index, hash in pack(hash, low: UInt64(index), lowBits: indexBits) })
        let mask: UInt64 = (1 << UInt64(indexBits)) - 1
        var groups: [(text: String, positions: [Int])] = []
        try forEachRun(entries, startingIn: 0..<entries.count, lowBits: indexBits) { run in
            let positions = run.map { Int($0 & mask) }
            if positions.dropFirst().allSatisfy({ same($0, positions[0]) }) {
                groups.append((text(positions[0]), positions))
                return
            }
            var byBytes: [[UInt8]: [Int]] = [:]
            var order: [[UInt8]] = []
            for position in positions {
                let key = bytes(position)
                if byBytes[key] == nil { order.append(key) }
                byBytes[key, default: []].append(position)
            }
            for key in order where byBytes[key]!.count > 1 { groups.append((text(byBytes[key]![0]), byBytes[key]!)) }
        }
        return groups
    }

    /// `values` sorted: split by their top bits into one bucket per core, each radix-sorted on
    /// its own core (a million-row `duplicates` sorts three million keys).
    /// - Complexity: O(n) spread over the processors; O(n log n) below 100,000 values.
    static func sortedInParallel(_ values: [UInt64], processors: Int = ParallelChunks.processors) throws -> [UInt64] {
        let processors = max(1, processors)
        guard processors > 1, values.count >= 100_000 else { return values.sorted() }
        let bucketBits = UInt64(min(6, UInt64.bitWidth - (processors - 1).leadingZeroBitCount))
        let bucketCount = 1 << bucketBits
        var split = Array(repeating: [UInt64](), count: bucketCount)
        for index in split.indices { split[index].reserveCapacity(values.count / bucketCount + values.count / (4 * bucketCount)) }
        for value in values { split[Int(value >> (64 - bucketBits))].append(value) }
        let buckets = split
        let sorted = try ParallelChunks.map(count: bucketCount, minimumPerChunk: 1) { range in
            try range.map { bucket in
                try Interruption.check()
                return radixSorted(buckets[bucket])
            }
        }
        var result: [UInt64] = []
        result.reserveCapacity(values.count)
        for part in sorted { for bucket in part { result.append(contentsOf: bucket) } }
        return result
    }

    /// `values` sorted by a least-significant-digit radix sort, a byte per pass; a pass whose
    /// byte is the same in every value is skipped. Written here because the standard library
    /// sorts by comparison only: this is a quarter of the time of `sorted()` on the 1.5 million
    /// packed keys a core sorts in a million-row `duplicates`.
    /// - Complexity: O(8 × n) time, O(n) extra space.
    static func radixSorted(_ values: [UInt64]) -> [UInt64] {
        var source = values
        var target = [UInt64](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt64(0), to: 64, by: 8) {
            for index in counts.indices { counts[index] = 0 }
            for value in source { counts[Int(truncatingIfNeeded: value >> shift) & 0xFF] += 1 }
            if counts.contains(source.count) { continue }
            var total = 0
            for index in counts.indices {
                let count = counts[index]
                counts[index] = total
                total += count
            }
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    counts.withUnsafeMutableBufferPointer { next in
                        for value in from {
                            let digit = Int(truncatingIfNeeded: value >> shift) & 0xFF
                            to[next[digit]] = value
                            next[digit] += 1
                        }
                    }
                }
            }
            swap(&source, &target)
        }
        return source
    }

    /// Whether two runs of bytes are equal, by `memcmp` (`elementsEqual` went byte by byte
    /// through iterators: a twelfth of a million-row `duplicates`).
    static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    static func sameBytes(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in sameBytes(x, y) } }
    }

    /// FNV-1a over `bytes` (a text's UTF-8).
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// The hash's high bits above `lowBits` low ones holding `low`.
    static func pack(_ hash: UInt64, low: UInt64, lowBits: Int) -> UInt64 {
        (lowBits >= 64 ? 0 : hash << UInt64(lowBits)) | low
    }

    /// Calls `body` with the entries of each run of two or more equal hashes (the bits above
    /// `lowBits`) in sorted `entries` that starts in `range` (a run that starts before it is
    /// left to the range it starts in; one that starts in it is followed past its end).
    static func forEachRun(_ entries: [UInt64], startingIn range: Range<Int>, lowBits: Int,
                           _ body: (ArraySlice<UInt64>) throws -> Void) throws {
        var start = range.lowerBound
        while start > 0, start < range.upperBound, entries[start - 1] >> UInt64(lowBits) == entries[start] >> UInt64(lowBits) { start += 1 }
        var checked = 0
        while start < range.upperBound {
            if checked & 0xFFFF == 0 { try Interruption.check() }
            let hash = entries[start] >> UInt64(lowBits)
            var end = start + 1
            while end < entries.count, entries[end] >> UInt64(lowBits) == hash { end += 1 }
            checked += end - start
            if end - start > 1 { try body(entries[start..<end]) }
            start = end
        }
    }
}

// MARK: - registry coverage

struct RegistryCoverage: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", _superCommandName: "registry",
        abstract: "Named enterprises in the registry against the totals the sources report.")



    mutating func run(in context: inout CommandContext) throws {
        var table = Table(columns: ["reported total", "region", "reported", "in registry", "coverage %", "source"])
        for indicator in context.model.indicators {
            guard let count = indicator.registryCount, let latest = indicator.observations.max(by: { $0.period < $1.period }) else { continue }
            let named = context.model.enterprises.filter { enterprise in
                (count.designation.map(enterprise.holds) ?? true) && (count.park.map { $0 == enterprise.park } ?? true)
            }.count
            let reported = Cell.bound(latest.value, digits: 0, limit: latest.isFloor ? .floor : .exact)
            table.append([.text(indicator.name), .text(indicator.region), reported, .integer(named),
                          .number(latest.value > 0 ? 100 * Double(named) / latest.value : 0, digits: 1), .text(latest.source)])
        }
        context.emit(table)
    }
}

// MARK: - registry validate

struct RegistryValidate: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", _superCommandName: "registry",
        abstract: "Check every credit code, date and link; one line per problem.")



    mutating func run(in context: inout CommandContext) throws {
        let model = context.model
        let sectors = Set(model.sectors.map(\.id))
        let sources = Set(model.sources.map(\.id))
        let ids = Set(model.enterprises.map(\.id))
        var table = Table(columns: ["record", "field", "problem"])
        for (index, e) in model.enterprises.enumerated() {
            if index & 0xFFFF == 0 { try Interruption.check() }
            if let wrong = e.creditCodeProblem { table.append([.text(e.id), "credit code", .text("\(wrong.code) \(wrong.problem)")]) }
            for sector in e.sectors where !sectors.contains(sector) { table.append([.text(e.id), "sectors", .text("unknown sector '\(sector)'")]) }
            for source in e.sources where !sources.contains(source) { table.append([.text(e.id), "sources", .text("unknown source '\(source)'")]) }
            if e.sources.isEmpty { table.append([.text(e.id), "sources", "no source"]) }
            for d in e.designations {
                if let granted = d.granted, let until = d.validUntil, until < granted {
                    table.append([.text(e.id), "designation", .text("\(d.name): valid until \(until) is before granted \(granted)")])
                }
                if !sources.contains(d.source) { table.append([.text(e.id), "designation", .text("\(d.name): unknown source '\(d.source)'")]) }
            }
            for listing in e.listings {
                if let date = listing.date, let founded = e.founded, date < founded {
                    table.append([.text(e.id), "listing", .text("\(listing.ticker) listed \(date), before founding \(founded)")])
                }
            }
        }
        // Links from every kind to enterprises (policies, sites, a plugin's own kinds): the
        // store refuses dangling ones on the way in, so this finds only what a bug let through.
        for other in model.allTables where other.kind.name != Enterprise.kind.name {
            for dangling in other.danglingReferences(in: model) where dangling.target == Enterprise.kind.name && !ids.contains(dangling.key) {
                table.append([.text(dangling.id), .text(dangling.field), .text("unknown enterprise '\(dangling.key)'")])
            }
        }
        context.emit(table)
        context.emit(text: table.rows.isEmpty ? "no problems in \(model.enterprises.count) enterprises" : "\(table.rows.count) problems")
    }
}
