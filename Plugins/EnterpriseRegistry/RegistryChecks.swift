import ArgumentParser
import ValleyCore
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
    /// strings, the keys are made a range of records per core, each key's hash is packed with
    /// its position into one integer and the integers sorted; only keys in a run of equal
    /// hashes are compared, by their bytes (a hash collision joins nothing; two spellings of
    /// one text in different Unicode forms are two keys, as their hashes already made them).
    /// - Complexity: O(n × names) to make the keys (spread over the cores), O(k log k) to sort
    ///   the k keys, O(keys that share a hash) to confirm.
    static func groups(in table: RecordTable<Enterprise>) throws -> [(reason: String, key: String, ids: [String])] {
        struct Keys: Sendable {
            var codes: [String] = [], codeIDs: [String] = [], codeHashes: [UInt64] = []
            var names: [String] = [], nameIDs: [String] = [], nameHashes: [UInt64] = []
        }
        let parts = try ParallelChunks.map(count: table.slotCount) { slots in
            var keys = Keys()
            var own: [String] = []
            try table.forEachRecord(inSlots: slots) { (slot: Int, enterprise: borrowing Enterprise) throws -> Void in
                if slot & 0xFFFF == 0 { try Interruption.check() }
                if let code = enterprise.creditCode {
                    keys.codes.append(code)
                    keys.codeIDs.append(enterprise.id)
                    keys.codeHashes.append(hash(code))
                }
                own.removeAll(keepingCapacity: true)
                // The names of `allNames`, without making its array for each record.
                func add(_ name: String) {
                    let key = NameMatching.key(name)
                    guard !key.isEmpty, !own.contains(key) else { return }
                    own.append(key)
                    keys.names.append(key)
                    keys.nameIDs.append(enterprise.id)
                    keys.nameHashes.append(hash(key))
                }
                if let name = enterprise.nameEN { add(name) }
                if let name = enterprise.nameZH { add(name) }
                for name in enterprise.aliases { add(name) }
            }
            return keys
        }
        // Positions run over the parts' keys one after the other; the parts stay as made
        // (joining them copied two million strings).
        struct Located: Sendable {
            let lists: [[String]]
            let offsets: [Int]
            init(_ lists: [[String]]) {
                self.lists = lists
                var offsets = [0]
                for list in lists { offsets.append(offsets.last! + list.count) }
                self.offsets = offsets
            }
            subscript(position: Int) -> String {
                var part = 0
                while position >= offsets[part + 1] { part += 1 }
                return lists[part][position - offsets[part]]
            }
        }
        /// The groups of texts with the same bytes among those whose hashes repeat, with their
        /// positions in ascending order. Entries sort by hash, then position, so a run's
        /// positions are already in order; a run is nearly always one text (two texts share a
        /// hash about once in 2^40 pairs), checked on the bytes before any dictionary is made.
        func shared(_ texts: [[String]], _ hashes: [UInt64]) throws -> [(text: String, positions: [Int])] {
            let text = Located(texts)
            let indexBits = max(1, UInt64.bitWidth - UInt64(max(1, hashes.count)).leadingZeroBitCount)
            let entries = try sortedInParallel(hashes.enumerated().map { index, hash in pack(hash, low: UInt64(index), lowBits: indexBits) })
            let mask: UInt64 = (1 << UInt64(indexBits)) - 1
            var groups: [(text: String, positions: [Int])] = []
            try forEachRun(entries, startingIn: 0..<entries.count, lowBits: indexBits) { run in
                let positions = run.map { Int($0 & mask) }
                let first = text[positions[0]]
                if positions.dropFirst().allSatisfy({ sameBytes(text[$0], first) }) {
                    groups.append((first, positions))
                    return
                }
                var byText: [[UInt8]: (text: String, positions: [Int])] = [:]
                var order: [[UInt8]] = []
                for position in positions {
                    let value = text[position]
                    let bytes = Array(value.utf8)
                    if byText[bytes] == nil { order.append(bytes) }
                    byText[bytes, default: (value, [])].positions.append(position)
                }
                for bytes in order where byText[bytes]!.positions.count > 1 { groups.append(byText[bytes]!) }
            }
            return groups
        }
        var result: [(reason: String, key: String, ids: [String])] = []
        let codeID = Located(parts.map(\.codeIDs))
        for group in try shared(parts.map(\.codes), parts.flatMap(\.codeHashes)).sorted(by: { $0.text < $1.text }) {
            result.append(("same credit code", group.text, group.positions.map { codeID[$0] }))
        }
        let nameID = Located(parts.map(\.nameIDs))
        let byName = try shared(parts.map(\.names), parts.flatMap(\.nameHashes)).sorted(by: { $0.text < $1.text })
        // Each group's ids in order, groups split over the cores. An enterprise gives a key
        // once (`own`), so a group's ids are distinct.
        let idLists = try ParallelChunks.map(count: byName.count, minimumPerChunk: 2_000) { range in
            try range.map { index in
                if index & 0x3FFF == 0 { try Interruption.check() }
                return byName[index].positions.map { nameID[$0] }.sorted()
            }
        }.joined()
        var reported = Set<[String]>()
        for (group, ids) in zip(byName, idLists) {
            guard reported.insert(ids).inserted else { continue }
            result.append(("same name", group.text, ids))
        }
        return result
    }

    /// `values` sorted: split by their top bits into one bucket per core, each sorted on its
    /// own core (a million-row `duplicates` sorts two million keys).
    /// - Complexity: O(n log n) spread over the processors.
    static func sortedInParallel(_ values: [UInt64], processors: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [UInt64] {
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
                return buckets[bucket].sorted()
            }
        }
        var result: [UInt64] = []
        result.reserveCapacity(values.count)
        for part in sorted { for bucket in part { result.append(contentsOf: bucket) } }
        return result
    }

    /// Whether two texts have the same UTF-8 bytes.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && x.elementsEqual(y) } }
    }

    /// FNV-1a over the UTF-8 of `text`.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
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
            if let code = e.creditCode, let problem = CreditCode.problem(with: code) {
                table.append([.text(e.id), "credit code", .text("\(code) \(problem)")])
            }
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
