import XCTest
@_spi(Shell) @testable import ValleyCore
import ValleyTestSupport
@testable import ValleyShell
@testable import EnterpriseRegistry

/// Golden ranking: `registry find` through the store's trigram index ranks exactly as the full
/// scan it replaced (kept below as the reference), on the built-in data, on a generated
/// registry, and after edits and undo that the index follows incrementally.
final class NameSearchTests: XCTestCase {
    // MARK: The reference: the scan `registry find` ran before the index, verbatim in effect.

    static func referenceNormalised(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }.map(Character.init))
    }

    static func referenceScore(query: String, name: String) -> Int {
        if name.isEmpty { return 0 }
        if name == query { return 100 }
        if name.hasPrefix(query) { return 80 }
        if name.contains(query) { return 60 }
        var gaps = 0
        var iterator = name.makeIterator()
        var matchedAll = true
        for character in query {
            var found = false
            while let next = iterator.next() {
                if next == character { found = true; break }
                gaps += 1
            }
            if !found { matchedAll = false; break }
        }
        if matchedAll { return max(30, 50 - gaps) }
        if abs(name.count - query.count) <= 1, name.count <= 40, Suggestion.editDistance(Array(query), Array(name)) <= 1 { return 25 }
        return 0
    }

    static func referenceFind(_ text: String, in model: ClusterModel, limit: Int) -> [NameMatch] {
        let query = referenceNormalised(text)
        var matches: [NameMatch] = []
        for enterprise in model.enterprises {
            var best: (Int, String)?
            for name in enterprise.allNames + [enterprise.id] {
                let score = referenceScore(query: query, name: referenceNormalised(name))
                if score > 0, score > (best?.0 ?? 0) { best = (score, name) }
            }
            if let best { matches.append(NameMatch(id: enterprise.id, name: best.1, score: best.0)) }
        }
        matches.sort { ($1.score, $0.id) < ($0.score, $1.id) }
        return Array(matches.prefix(limit))
    }

    func assertSameRanking(_ queries: [String], in model: inout ClusterModel, limits: [Int] = [1, 10, 60], file: StaticString = #filePath, line: UInt = #line) throws {
        for query in queries where !Self.referenceNormalised(query).isEmpty {  // `find` refuses those
            let reference = Self.referenceFind(query, in: model, limit: limits.max() ?? 10)
            for limit in limits {
                let found = try model.searchNames(Enterprise.self, for: query, limit: limit)
                XCTAssertEqual(found, Array(reference.prefix(limit)), "query '\(query)', limit \(limit)", file: file, line: line)
            }
        }
    }

    // MARK: Generated names

    static let syllables = ["ming", "zhong", "kang", "yao", "yuan", "tai", "rui", "xin", "hua", "jia", "nan", "bo", "sheng", "an", "li"]
    static let forms = ["Bio", "Cell", "Biologics", "Pharma", "Medical", "Gene", "Therapeutics"]
    static let hanzi = Array("康源明制药泰瑞科技细胞基因生物医药南京江北")
    static let oddNames = ["Café Gène", "ＡＢＣ Biotech", "Ōsaka Cell", "İstanbul Pharma", "Straße Bio", "naïve Labs", "Ǆemal Bio", "e\u{301}clair Bio"]

    static func generatedModel(count: Int, seed: UInt64) throws -> ClusterModel {
        var random = SeededGenerator(state: seed)
        var model = defaultModel()
        for index in 0..<count {
            let english = (0..<Int.random(in: 1...3, using: &random)).map { _ in syllables.randomElement(using: &random)! }.joined().capitalized
                + " " + forms.randomElement(using: &random)! + (Bool.random(using: &random) ? " Inc." : " Co., Ltd.")
            let chinese = String((0..<Int.random(in: 2...6, using: &random)).map { _ in hanzi.randomElement(using: &random)! })
            var aliases: [String] = []
            if index % 7 == 0 { aliases.append(oddNames.randomElement(using: &random)!) }
            if index % 11 == 0 { aliases.append(String(english.prefix(4)).uppercased()) }
            try model.insert(Enterprise(id: "g\(index)", nameEN: index % 13 == 0 ? nil : english, nameZH: index % 5 == 0 && index % 13 != 0 ? nil : chinese,
                                        aliases: aliases, sources: ["njbpv-overview"]))
        }
        _ = model.takeChanges()
        return model
    }

    static func queries(from model: ClusterModel, count: Int, seed: UInt64) -> [String] {
        var random = SeededGenerator(state: seed)
        let names = model.enterprises.flatMap { $0.allNames + [$0.id] }
        var queries = ["iaso", "hi tech", "nanjing", "细胞", "药", "bio", "a", "ia", "xyz", "Café", "gene", "ＡＢＣ", "eclair", "é", "straße", "Strasse", "ming zhong"]
        for _ in 0..<count {
            var name = Array(names.randomElement(using: &random)!)
            let start = Int.random(in: 0..<name.count, using: &random)
            name = Array(name[start..<min(name.count, start + Int.random(in: 1...12, using: &random))])
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where name.count > 2: name.remove(at: Int.random(in: 0..<name.count, using: &random))  // a typo
            case 1 where name.count > 2: name[Int.random(in: 0..<name.count, using: &random)] = "q"
            case 2: name.insert("x", at: Int.random(in: 0...name.count, using: &random))
            default: break
            }
            queries.append(String(name))
        }
        return queries
    }

    // MARK: Tests

    func testFindRanksAsTheFullScanOnTheBuiltInData() throws {
        var model = defaultModel()
        XCTAssertGreaterThan(model.enterprises.count, 5)
        try assertSameRanking(Self.queries(from: model, count: 150, seed: 7), in: &model)
    }

    func testFindRanksAsTheFullScanOnAGeneratedRegistry() throws {
        var model = try Self.generatedModel(count: 2500, seed: 42)
        try assertSameRanking(Self.queries(from: model, count: 100, seed: 9), in: &model)
        // A query found in many names fills the list from the index alone; one in none reads all.
        XCTAssertEqual(try model.searchNames(Enterprise.self, for: "kang", limit: 5).filter { $0.score >= 60 }.count, 5)
        XCTAssertEqual(try model.searchNames(Enterprise.self, for: "zzzzzzzzzzzz", limit: 5), [])
    }

    func testTheIndexFollowsEditsAndUndo() throws {
        var model = try Self.generatedModel(count: 1500, seed: 3)
        let queries = Self.queries(from: model, count: 25, seed: 5) + ["renamed", "fresh", "Fresh Cell"]
        _ = try model.searchNames(Enterprise.self, for: "kang", limit: 1)  // builds the index
        var random = SeededGenerator(state: 11)
        var levels: [ChangeSet] = []
        for round in 0..<40 {
            let id = "g\(Int.random(in: 0..<1500, using: &random))"
            switch round % 4 {
            case 0: try? model.update(Enterprise.self, id: id) { $0.nameEN = "Renamed \(round) Bio"; $0.aliases.append("细胞\(round)") }
            case 1: _ = try? model.remove(Enterprise.self, id: id)
            case 2: try model.insert(Enterprise(id: "new\(round)", nameEN: "Fresh Cell \(round)", nameZH: "新细胞", sources: ["njbpv-overview"]))
            default: try? model.update(Enterprise.self, id: id) { $0.nameZH = nil; $0.nameEN = "Kangkang" }
            }
            levels.append(model.takeChanges())
            if round % 10 == 9 {
                try assertSameRanking(queries, in: &model, limits: [10])
            }
        }
        // A bulk load (an import) into the indexed table: the new records are indexed after it.
        try model.bulkInsert(Enterprise.self) { inserter in
            for index in 0..<30 { try inserter.insert(Enterprise(id: "bulk\(index)", nameEN: "Bulk Kang \(index) Cell", nameZH: "康细胞\(index)", sources: ["njbpv-overview"])) }
        }
        levels.append(model.takeChanges())
        try assertSameRanking(queries + ["bulk kang", "康细胞"], in: &model, limits: [10])
        // Undo half of the levels, then check against a model that builds its index afresh.
        for level in levels.suffix(20).reversed() { _ = model.revert(level) }
        try assertSameRanking(queries, in: &model, limits: [10])
        // The index's own rebuilds (of its postings, and compaction) keep the same answers.
        var compacted = model
        compacted.withTable(Enterprise.self) { $0.nameSearch!.buildPostings() }
        try assertSameRanking(queries, in: &compacted, limits: [10])
        compacted.withTable(Enterprise.self) { $0.nameSearch!.compact() }
        try assertSameRanking(queries, in: &compacted, limits: [10])
        var rebuilt = Self.copyWithoutIndex(model)
        for query in queries {
            XCTAssertEqual(try model.searchNames(Enterprise.self, for: query, limit: 10),
                           try rebuilt.searchNames(Enterprise.self, for: query, limit: 10), query)
        }
    }

    /// The same model without its name index, which the next search builds from scratch.
    static func copyWithoutIndex(_ model: ClusterModel) -> ClusterModel {
        var copy = model
        copy.withTable(Enterprise.self) { $0.nameSearch = nil }
        return copy
    }

    /// Completion lists what a sorted scan of the records does, through the completion order
    /// (with what came after it) and through the index alone: first after the build, then after
    /// renames, removals, additions, a name that is another record's id (counted once, as that
    /// id) and adds taken back, then after the order is made again and the index compacts.
    func testCompletionListsTheSameNamesAsASortedScan() throws {
        var model = try Self.generatedModel(count: 3000, seed: 21)
        model.prepareCompletion(kind: "enterprises")
        func check(_ stage: String) throws {
            XCTAssertNotNil(model[Enterprise.self].nameSearch?.completion, stage)
            var indexOnly = model
            indexOnly.withTable(Enterprise.self) { $0.nameSearch!.completion = nil }
            for (path, model) in [("order", model), ("index", indexOnly), ("records", Self.copyWithoutIndex(model))] {
                try check("\(stage), \(path)", model)
            }
        }
        func check(_ stage: String, _ model: ClusterModel) throws {
            let ids = Set(model.enterprises.map(\.id))
            for prefix in ["kang", "k", "", "mingz", "g12", "康源", "café", "ａｂｃ", "kang ", "zz", "ō", "renamed", "g1", "share", "kangundone", "kangredone", "kang u", "kang"] {
                var seen = Set<String>()
                var expected: [(key: String, name: String, id: String)] = []
                for enterprise in model.enterprises {
                    for (position, name) in ([enterprise.id] + enterprise.allNames).enumerated()
                    where (position == 0 || !ids.contains(name)) && name.lowercased().hasPrefix(prefix) && seen.insert(name).inserted {
                        expected.append((name.lowercased(), name, position == 0 ? name : enterprise.id))
                    }
                }
                expected.sort { $0.key < $1.key || ($0.key == $1.key && $0.name < $1.name) }
                let found = try XCTUnwrap(model.table(named: "enterprises")).names(startingWith: prefix, limit: 50)
                XCTAssertEqual(found.names, expected.prefix(50).map(\.name), "\(stage): prefix '\(prefix)'")
                XCTAssertEqual(found.ids, expected.prefix(50).map(\.id), "\(stage): prefix '\(prefix)'")
                XCTAssertEqual(found.more, max(0, expected.count - 50), "\(stage): prefix '\(prefix)'")
            }
        }
        try check("built")
        for index in stride(from: 0, to: 3000, by: 7) {
            switch index % 4 {
            case 0: try model.update(Enterprise.self, id: "g\(index)") { $0.nameEN = "Renamed \(index % 50) Bio"; $0.aliases.append("Shared Alias") }
            case 1: _ = try model.remove(Enterprise.self, id: "g\(index)")
            case 2: try model.insert(Enterprise(id: "new\(index)", nameEN: "Kang New \(index % 9)", aliases: ["g1\(index % 30)"], sources: ["njbpv-overview"]))
            default: try model.update(Enterprise.self, id: "g\(index)") { $0.aliases = ["share \(index % 4)", "g12"] }
            }
        }
        // Adds the order holds, taken back (the last slots dropped), and others made in their
        // slots, with ids and names of the same prefix.
        let slots = model[Enterprise.self].slotCount
        for index in 0..<5 { try model.insert(Enterprise(id: "kangundone\(index)", nameEN: "Kang Undone", sources: ["njbpv-overview"])) }
        model.withTable(Enterprise.self) { $0.nameSearch!.completion = nil }
        model.prepareCompletion(kind: "enterprises")
        model.withTable(Enterprise.self) { _ = $0.removeLast($0.slotCount - slots) }
        for index in 0..<3 { try model.insert(Enterprise(id: "kangredone\(index)", nameEN: "Kang Redone", sources: ["njbpv-overview"])) }
        try check("edited")
        model.withTable(Enterprise.self) { $0.nameSearch!.completion = nil }
        model.prepareCompletion(kind: "enterprises")
        try check("ordered again")
        // A record removed before the order was made and put back after it (undo of the removal).
        let slot = try XCTUnwrap(model[Enterprise.self].slot(of: "g15"))
        let removed = model.withTable(Enterprise.self) { $0.vacate(slot) }
        model.withTable(Enterprise.self) { $0.nameSearch!.completion = nil }
        model.prepareCompletion(kind: "enterprises")
        model.withTable(Enterprise.self) { $0.restore(removed, at: slot) }
        try check("restored")
        XCTAssertTrue(try XCTUnwrap(model.table(named: "enterprises")).names(startingWith: "g15", limit: 50).names.contains("g15"))
        model.withTable(Enterprise.self) { $0.nameSearch!.compact() }
        model.prepareCompletion(kind: "enterprises")
        try check("compacted")
        XCTAssertEqual(model.table(named: "enterprises")?.names(startingWith: "g12", limit: 50).ids.first, "g12", "an alias equal to an id is that id")
    }
}

extension NameSearchTests {
    /// The index normalises names from their bytes; `NameSearch.normalised` through `String`
    /// and Unicode properties: the two agree, on every script and on random BMP text.
    func testTheIndexNormalisesAsNameSearch() {
        var random = SeededGenerator(state: 99)
        var names = Self.oddNames + ["Ǆemal", "ΣΊΣΥΦΟΣ", "İİ", "ﬁne", "南京（江北）生物医药谷", "〇々〆", "Ⅻ", "①②", "🧬 Gene", "Ａｂｃ１２３", "", " ", "a-b_c"]
        for _ in 0..<3000 {
            names.append(String(String.UnicodeScalarView((0..<Int.random(in: 1...6, using: &random)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: Bool.random(using: &random) ? 0x20...0x7F : 0xA0...0xFFFF, using: &random))
            })))
        }
        for name in names {
            var bytes: [UInt8] = []
            NameSearchIndex.appendNormalised(name, to: &bytes)
            let expected = Self.referenceNormalised(name)
            XCTAssertEqual(bytes, expected.isEmpty ? [] : Array(expected.utf8) + [0], "'\(name)' \(name.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}

extension NameSearchTests {
    static func referenceKey(_ name: String) -> String {
        var lowered = name.lowercased().trimmingCharacters(in: [" ", "\t"])
        var changed = true
        while changed {
            changed = false
            for suffix in NameMatching.suffixes where lowered.hasSuffix(suffix) {
                lowered = String(lowered.dropLast(suffix.count)).trimmingCharacters(in: [" ", "\t"])
                changed = true
            }
        }
        return referenceNormalised(lowered)
    }

    /// `registry duplicates` groups by a key made on bytes where it can be: the same key as
    /// through `String`, company forms stripped in any order and script.
    func testDuplicateKeysMatchTheStringPath() throws {
        var random = SeededGenerator(state: 5)
        var names = Self.oddNames + ["Nanjing Legend Biotech Co., Ltd.", "南京传奇生物科技有限公司", "GenScript Inc", "  Foo Ltd Inc  ", "股份有限公司",
                                     "ACME CORPORATION", "Acme Co Ltd", "金斯瑞集团", "Ｘ有限公司", "İstanbul Ltd", "Co., Ltd.", "ltd ltd ltd", "\tTab Ltd.\t"]
        let model = try Self.generatedModel(count: 300, seed: 8)
        names += model.enterprises.flatMap(\.allNames)
        for _ in 0..<500 {
            let base = names.randomElement(using: &random)!
            names.append(base + [" ", "", "  "].randomElement(using: &random)! + NameMatching.suffixes.randomElement(using: &random)!.uppercased())
        }
        var bytes: [UInt8] = [], scratch: [UInt8] = []
        for name in names {
            XCTAssertEqual(NameMatching.key(name), Self.referenceKey(name), "'\(name)'")
            // The bytes `duplicates` groups by, appended after other keys with a reused scratch.
            let start = bytes.count
            NameMatching.appendKey(name, to: &bytes, scratch: &scratch)
            XCTAssertEqual(Array(bytes[start...]), Array(Self.referenceKey(name).utf8), "'\(name)'")
        }
    }
}

extension NameSearchTests {
    /// The duplicates scan `registry duplicates` ran before it sorted packed hashes.
    static func referenceDuplicates(_ model: ClusterModel) -> [(reason: String, key: String, ids: [String])] {
        var byCode: [String: [String]] = [:]
        var byName: [String: [String]] = [:]
        for enterprise in model.enterprises {
            if let code = enterprise.creditCode { byCode[code, default: []].append(enterprise.id) }
            for key in Set(enterprise.allNames.map(referenceKey)) where !key.isEmpty { byName[key, default: []].append(enterprise.id) }
        }
        var result: [(reason: String, key: String, ids: [String])] = []
        for (code, ids) in byCode.sorted(by: { $0.key < $1.key }) where ids.count > 1 { result.append(("same credit code", code, ids)) }
        var reported = Set<[String]>()
        for (key, ids) in byName.sorted(by: { $0.key < $1.key }) where Set(ids).count > 1 {
            let group = Array(Set(ids)).sorted()
            guard reported.insert(group).inserted else { continue }
            result.append(("same name", key, group))
        }
        return result
    }

    /// The bucketed parallel sort of duplicate keys sorts as `sorted()`, at a size that splits.
    func testDuplicateKeysSortInParallelAsSorted() throws {
        var random = SeededGenerator(state: 5)
        var values = (0..<250_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &random) }
        values += values.prefix(1000) + [0, .max, 1 << 63, (1 << 63) - 1]
        for processors in [1, 2, 3, 8] {
            XCTAssertEqual(try RegistryDuplicates.sortedInParallel(values, processors: processors), values.sorted(), "\(processors)")
        }
        // The radix sort each bucket gets: skipped passes (bytes every value shares), repeats, ends.
        for sample in [[], [7], [UInt64](repeating: 42, count: 300), values.map { $0 & 0xFF00_0000_0000_FF00 }, Array(values.prefix(5000).reversed())] {
            XCTAssertEqual(RegistryDuplicates.radixSorted(sample), sample.sorted())
        }
    }

    func testDuplicatesGroupAsTheDictionaryScan() throws {
        var model = try Self.generatedModel(count: 3000, seed: 31)
        // Shared credit codes, and removed records (empty slots) between them.
        let code = "91320191MA1MCNXQ57"
        for id in ["g5", "g17", "g2999"] { try model.update(Enterprise.self, id: id) { $0.creditCode = code } }
        for id in ["g6", "g100", "g1500"] { _ = try model.remove(Enterprise.self, id: id) }
        // Aliases that give the same key as the name (once per enterprise), and as each other.
        for id in ["g7", "g8", "g9"] {
            let name = try XCTUnwrap(model.enterprises[id: id]?.nameEN)
            try model.update(Enterprise.self, id: id) { $0.aliases = [name + " Co., Ltd.", name.uppercased(), "Shared Alias Ltd", "shared alias"] }
        }
        let found = try RegistryDuplicates.groups(in: model.enterprises)
        let expected = Self.referenceDuplicates(model)
        XCTAssertGreaterThan(expected.count, 50)
        XCTAssertEqual(expected.first?.reason, "same credit code")
        XCTAssertEqual(found.map { "\($0.reason)|\($0.key)|\($0.ids)" }, expected.map { "\($0.reason)|\($0.key)|\($0.ids)" })
    }
}

extension NameSearchTests {
    /// Completion order on bytes agrees with `lowercased()`, then the name, as `String`s.
    func testCompletionOrderOnBytesAgreesWithStrings() {
        var random = SeededGenerator(state: 77)
        let alphabet = Array("aAbBzZ _-1é南")
        for _ in 0..<5000 {
            let a = String((0..<Int.random(in: 0...5, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let b = String((0..<Int.random(in: 0...5, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let expected = a.lowercased() < b.lowercased() || (a.lowercased() == b.lowercased() && a < b)
            XCTAssertEqual(RecordTable<Enterprise>.precedes(a, b), expected, "'\(a)' '\(b)'")
        }
    }
}

extension NameSearchTests {
    /// Names that `String` comparison equates in another canonical form (decomposed jamo and
    /// accents, a CJK compatibility ideograph) rank as the full scan ranks them, though their
    /// bytes differ, at every limit, and complete by either form.
    func testCanonicallyEquivalentNamesRankAsTheScan() throws {
        var model = defaultModel()
        let names = ["\u{1100}\u{1161}", "가가", "가", "e\u{301}clair", "éclair Bio", "\u{F90A}山", "金山", "金", "Kelvin \u{212A}", "Ka\u{301}ng",
                     "cafe", "cafes", "caf", "Café", "Cafe\u{301} Bio", "eclair"]
        for (index, name) in names.enumerated() {
            try model.insert(Enterprise(id: "c\(index)", nameEN: name, sources: ["njbpv-overview"]))
        }
        _ = model.takeChanges()
        try assertSameRanking(["가", "\u{1100}\u{1161}", "éclair", "e\u{301}clair", "金", "\u{F90A}", "\u{F90A}山", "金山", "kelvin k", "kang", "ká",
                               "café", "cafe\u{301}", "cafe", "cafés", "éclai"], in: &model, limits: [1, 2, 5, 20])
        model.prepareNameSearch(kind: "enterprises")
        let table = try XCTUnwrap(model.table(named: "enterprises"))
        XCTAssertEqual(Set(table.names(startingWith: "가", limit: 10).names), ["\u{1100}\u{1161}", "가가", "가"])
        XCTAssertEqual(Set(table.names(startingWith: "caf", limit: 10).names), ["cafe", "cafes", "caf", "Café", "Cafe\u{301} Bio"])
        XCTAssertEqual(Set(table.names(startingWith: "café", limit: 10).names), ["Café", "Cafe\u{301} Bio"])
        XCTAssertEqual(Set(table.names(startingWith: "\u{F90A}", limit: 10).names), ["\u{F90A}山", "金山", "金"])
        let golden: [String] = ["\u{F90A}山", "金山", "金"]
        let expected: Set<String> = Set(golden.filter { $0.lowercased().hasPrefix("金") })
        XCTAssertEqual(Set(table.names(startingWith: "金", limit: 10).names), expected)
    }
}
