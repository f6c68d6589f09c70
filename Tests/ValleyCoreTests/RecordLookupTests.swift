import Foundation
import XCTest
@_spi(Shell) @testable import ValleyCore

/// The resolver's byte comparisons (`CaseInsensitiveText`) against `lowercased()` on `String`,
/// which they replace on the scan every unknown name costs (issue 16: a miss at 1M rows took
/// 4.6 s), and the resolver's answers on a table above the fuzzy-suggestion limit.
final class RecordLookupTests: XCTestCase {
    let samples = ["IASO Bio", "iaso bio", "IASO", "Iaso Bio (Nanjing) Co., Ltd.", "驯鹿生物", "驯鹿 IASO", "Café Genomics", "Cafe\u{301} Genomics",
                   "\u{212A}elvin Labs", "kelvin labs", "KELVIN", "İstanbul Bio", "istanbul bio", "ß-Pharma", "SS-Pharma", "e", "É", "",
                   "a-b_c", "A-B_C", "Geneseeq", "geneseeq", "GENESEEQ Technology", "x\u{0}y", "ǅ", "ǆ", "Ⅸ", "ⅸ", "ΣΑΣ", "σας"]

    func testEqualityIsLowercasedEquality() {
        for query in samples {
            let text = CaseInsensitiveText(query)
            for candidate in samples {
                XCTAssertEqual(text.equals(candidate), candidate.lowercased() == query.lowercased(), "'\(query)' vs '\(candidate)'")
            }
        }
    }

    func testContainmentFindsEveryLowercasedMatch() {
        for query in samples {
            let text = CaseInsensitiveText(query)
            for candidate in samples {
                let reference = candidate.lowercased().contains(query.lowercased())
                let found = text.isContained(in: candidate)
                if reference { XCTAssertTrue(found, "'\(query)' in '\(candidate)'") }
                // Bytes may also match inside a character (an `e` before a combining accent):
                // a wider net, never a narrower one, and only there.
                if found, !reference {
                    XCTAssertTrue(candidate.unicodeScalars.contains { $0.properties.generalCategory == .nonspacingMark } || query.isEmpty,
                                  "'\(query)' in '\(candidate)'")
                }
            }
        }
    }

    func testAMissInALargeTableSuggestsByContainmentAndResolvesNamesIgnoringCase() throws {
        var model = ClusterModel()
        try model.load { model in
            try model.insert(contentsOf: PublicSources.all)
            for index in 0..<(ClusterModel.fuzzySuggestionLimit + 10) {
                try model.insert(Enterprise(id: "g\(index)", nameEN: "Generated \(index) Biotech", nameZH: "生成\(index)", sources: ["seed-efec-2025"]))
            }
        }
        XCTAssertEqual(try model.resolve(Enterprise.self, "generated 77 BIOTECH").id, "g77")
        XCTAssertEqual(try model.resolve(Enterprise.self, "生成78").id, "g78")
        XCTAssertEqual(try model.resolve(Enterprise.self, "G79").id, "g79")
        XCTAssertThrowsError(try model.resolve(Enterprise.self, "Generated 5000 Biotec")) { error in
            XCTAssertEqual(ValleyError.describe(error), "no enterprise named 'Generated 5000 Biotec' (did you mean 'g5000' (Generated 5000 Biotech)?)")
        }
        XCTAssertThrowsError(try model.resolve(Enterprise.self, "nothing-like-it")) { error in
            XCTAssertEqual(ValleyError.describe(error), "no enterprise named 'nothing-like-it'")
        }

        // With the name index built (a Tab or a find did it), the same answers through it.
        var indexed = model
        indexed.prepareNameSearch(kind: Enterprise.kind.name)
        XCTAssertNotNil(indexed.enterprises.nameSearch)
        try indexed.update(Enterprise.self, id: "g12") { $0.aliases = ["Kelvin \u{212A}ilo"] }
        try model.update(Enterprise.self, id: "g12") { $0.aliases = ["Kelvin \u{212A}ilo"] }
        // A found record is the same; a miss suggests the same best record first (the index
        // also offers names a typo away, where the scan of a large table offers only names
        // that contain the text).
        for name in ["generated 77 BIOTECH", "生成78", "G79", "Generated 5000 Biotec", "nothing-like-it", "kelvin kilo", "GENERATED 9 biotech", "---", "g0"] {
            func answer(_ model: ClusterModel) -> String {
                do { return "found " + (try model.resolve(Enterprise.self, name).id) } catch {
                    guard case let ValleyError.notFound(_, _, suggestions) = error else { return "\(error)" }
                    return "missed; first suggestion " + (suggestions.first?.split(separator: "'").first.map(String.init) ?? "none")
                }
            }
            XCTAssertEqual(answer(indexed), answer(model), name)
        }
        XCTAssertEqual(try indexed.resolve(Enterprise.self, "kelvin kilo").id, "g12")
    }
}

/// The name index built in pieces, one per core, is the index built in one piece: the same
/// text, offsets, masks, irregular slots and postings.
final class NameSearchIndexBuildTests: XCTestCase {
    func testPiecesJoinToTheIndexBuiltWhole() throws {
        try XCTSkipIf(ParallelChunks.processors < 2, "one processor builds one piece")
        let names = ["IASO Bio", "驯鹿生物", "Cafe\u{301} Genomics", "Café Genomics", "", "x", "Kelvin \u{212A}", "南京 Geneseeq 世和"]
        var rows: [Enterprise?] = []
        for index in 0..<5_000 {
            // Empty slots (removed records), and irregular names in both pieces.
            if index % 97 == 3 { rows.append(nil); continue }
            let name = names[index % names.count]
            rows.append(Enterprise(id: "e\(index)", nameEN: name.isEmpty ? nil : name + " \(index % 13)", nameZH: index % 5 == 0 ? "细胞\(index)" : nil,
                                   aliases: index % 7 == 0 ? [names[(index + 1) % names.count], "alias"] : [], sources: ["s"]))
        }
        let whole = NameSearchIndex.build(rows, minimumPerPiece: rows.count)
        let pieces = NameSearchIndex.build(rows, minimumPerPiece: 1_000)
        XCTAssertTrue(pieces.text == whole.text, "text differ")
        XCTAssertTrue(pieces.starts == whole.starts, "starts differ")
        XCTAssertTrue(pieces.lengths == whole.lengths, "lengths differ")
        XCTAssertTrue(pieces.masks == whole.masks, "masks differ")
        XCTAssertTrue(pieces.lengthBits == whole.lengthBits, "lengthBits differ")
        XCTAssertTrue(pieces.irregular == whole.irregular, "irregular differ")
        XCTAssertTrue(pieces.irregularSlots == whole.irregularSlots, "irregularSlots differ")
        XCTAssertTrue(pieces.bucketStarts == whole.bucketStarts, "bucketStarts differ")
        XCTAssertTrue(pieces.bucketSlots == whole.bucketSlots, "bucketSlots differ")
        XCTAssertFalse(whole.irregularSlots.isEmpty, "the rows have irregular names")
        XCTAssertTrue(whole.irregularSlots.contains { $0 > 2_500 }, "in the second piece too")
        XCTAssertEqual(whole.starts.count, rows.count)
    }
}
