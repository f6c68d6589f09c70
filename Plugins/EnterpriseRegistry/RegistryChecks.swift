import ArgumentParser
import ValleyCore

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
    /// strings, each key's 64-bit hash and its record's slot are packed into one integer, a
    /// range of slots per core, and sorted; only records in a run of equal hashes have their
    /// keys made again and compared as strings (a hash collision joins nothing).
    /// - Complexity: O(n × names) to make the keys (spread over the cores), O(k log k) to sort
    ///   the k keys, O(names of the records that share a hash) to confirm.
    static func groups(in table: RecordTable<Enterprise>) throws -> [(reason: String, key: String, ids: [String])] {
        let slotBits = max(1, UInt64.bitWidth - UInt64(max(1, table.slotCount)).leadingZeroBitCount)
        let parts = try ParallelChunks.map(count: table.slotCount) { slots in
            var codes: [UInt64] = []
            var names: [UInt64] = []
            var keys: [String] = []
            try table.forEachRecord(inSlots: slots) { (slot: Int, enterprise: borrowing Enterprise) throws -> Void in
                if slot & 0xFFFF == 0 { try Interruption.check() }
                let packedSlot = UInt64(slot)
                if let code = enterprise.creditCode { codes.append(pack(hash(code), slot: packedSlot, slotBits: slotBits)) }
                keys.removeAll(keepingCapacity: true)
                for name in enterprise.allNames {
                    let key = NameMatching.key(name)
                    if !key.isEmpty, !keys.contains(key) { keys.append(key) }
                }
                for key in keys { names.append(pack(hash(key), slot: packedSlot, slotBits: slotBits)) }
            }
            return (codes.sorted(), names.sorted())
        }
        var result: [(reason: String, key: String, ids: [String])] = []
        // Credit codes: equal hashes confirmed by the codes themselves.
        var byCode: [String: [String]] = [:]
        try forEachRun(parts.map(\.0), slotBits: slotBits) { _, slots in
            for slot in slots {
                guard let enterprise = table.record(atSlot: slot), let code = enterprise.creditCode else { continue }
                byCode[code, default: []].append(enterprise.id)
            }
        }
        for (code, ids) in byCode.sorted(by: { $0.key < $1.key }) where ids.count > 1 { result.append(("same credit code", code, ids)) }
        // Names: equal hashes confirmed by making the keys again.
        var byName: [String: [String]] = [:]
        try forEachRun(parts.map(\.1), slotBits: slotBits) { runHash, slots in
            // Only the keys of this run's hash: a key is confirmed in its own run, once.
            var local: [String: [String]] = [:]
            var previous = -1
            for slot in slots where slot != previous {
                previous = slot
                guard let enterprise = table.record(atSlot: slot) else { continue }
                for key in Set(enterprise.allNames.map(NameMatching.key))
                where !key.isEmpty && pack(hash(key), slot: 0, slotBits: slotBits) >> UInt64(slotBits) == runHash {
                    local[key, default: []].append(enterprise.id)
                }
            }
            for (key, ids) in local where ids.count > 1 { byName[key, default: []] += ids }
        }
        var reported = Set<[String]>()
        for (key, ids) in byName.sorted(by: { $0.key < $1.key }) where Set(ids).count > 1 {
            let group = Array(Set(ids)).sorted()
            guard reported.insert(group).inserted else { continue }
            result.append(("same name", key, group))
        }
        return result
    }

    /// FNV-1a over the UTF-8 of `text`.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// The hash's high bits above the slot's `slotBits` low ones.
    static func pack(_ hash: UInt64, slot: UInt64, slotBits: Int) -> UInt64 {
        (slotBits >= 64 ? 0 : hash << UInt64(slotBits)) | slot
    }

    /// Calls `body` with the hash and the slots (ascending) of each run of two or more equal
    /// hashes in the sorted `parts`.
    static func forEachRun(_ parts: [[UInt64]], slotBits: Int, _ body: (UInt64, [Int]) throws -> Void) throws {
        var merged = parts.count == 1 ? parts[0] : parts.flatMap { $0 }
        if parts.count > 1 { merged.sort() }
        let mask: UInt64 = slotBits >= 64 ? .max : (1 << UInt64(slotBits)) - 1
        var start = 0
        while start < merged.count {
            if start & 0xFFFF == 0 { try Interruption.check() }
            let hash = merged[start] >> UInt64(slotBits)
            var end = start + 1
            while end < merged.count, merged[end] >> UInt64(slotBits) == hash { end += 1 }
            if end - start > 1 { try body(hash, merged[start..<end].map { Int($0 & mask) }) }
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
