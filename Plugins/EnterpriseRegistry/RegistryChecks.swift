import ArgumentParser
import ValleyCore

// MARK: - registry duplicates

struct RegistryDuplicates: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates", _superCommandName: "registry",
        abstract: "Find enterprises that share a credit code or a normalised name (merge them with 'registry merge').")



    /// One pass over the records, borrowed; a key seen once keeps only its first id (most
    /// keys of a large registry are), so the dictionaries hold no array per key.
    /// - Complexity: O(n × names) hashing, plus sorting the keys that repeat.
    mutating func run(in context: inout CommandContext) throws {
        var byCode = KeyGroups()
        var byName = KeyGroups()
        byCode.reserve(context.model.enterprises.count)
        byName.reserve(context.model.enterprises.count * 2)
        var read = 0
        var keys: [String] = []
        try context.model.enterprises.forEachRecord { (enterprise: borrowing Enterprise) throws -> Void in
            if read & 0xFFFF == 0 { try Interruption.check() }
            read += 1
            if let code = enterprise.creditCode { byCode.add(code, id: enterprise.id) }
            keys.removeAll(keepingCapacity: true)
            for name in enterprise.allNames {
                let key = NameMatching.key(name)
                if !key.isEmpty, !keys.contains(key) { keys.append(key) }
            }
            for key in keys { byName.add(key, id: enterprise.id) }
        }
        var table = Table(columns: ["reason", "key", "enterprises"])
        for (code, ids) in byCode.repeated {
            table.append(["same credit code", .text(code), .text(ids.joined(separator: ", "))])
        }
        var reported = Set<[String]>()
        for (key, ids) in byName.repeated where Set(ids).count > 1 {
            let group = Array(Set(ids)).sorted()
            guard reported.insert(group).inserted else { continue }
            table.append(["same name", .text(key), .text(group.joined(separator: ", "))])
        }
        context.emit(table)
    }
}

/// Ids by key, for keys that most records do not share: the first id of each key inline, the
/// rest only for keys that repeat.
struct KeyGroups {
    private var first: [String: String] = [:]
    private var rest: [String: [String]] = [:]

    /// Notes that record `id` has `key`.
    /// - Complexity: O(1) on average.
    mutating func add(_ key: String, id: String) {
        // One hash for a new key (most are): put the id, and put the first back if there was one.
        if let earlier = first.updateValue(id, forKey: key) {
            first[key] = earlier
            rest[key, default: []].append(id)
        }
    }

    /// Room for `count` keys without growing.
    mutating func reserve(_ count: Int) { first.reserveCapacity(count) }

    /// The keys with more than one id, in key order, each with its ids in the order added.
    var repeated: [(key: String, ids: [String])] {
        rest.keys.sorted().map { key in (key, [first[key]!] + rest[key]!) }
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
