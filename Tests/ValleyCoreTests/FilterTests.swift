import XCTest
@testable import ValleyCore

final class FilterTests: XCTestCase {
    struct Company {
        var name: String
        var founded: CalendarDate?
        var staff: Int?
        var sectors: [String]
        var badges: [String]
    }

    let fields = RecordFields<Company>([
        .init("name", .text, "name") { .text($0.name) },
        .init("founded", .date, "founded") { $0.founded.map(FieldValue.date) ?? .missing },
        .init("staff", .number, "staff") { $0.staff.map { .number(Double($0)) } ?? .missing },
        .init("sector", .list, "sectors") { .list($0.sectors) },
    ], has: { $0.badges })

    let companies = [
        Company(name: "Alpha Bio", founded: CalendarDate("2015-03"), staff: 120, sectors: ["cell-therapy"], badges: ["high-tech enterprise"]),
        Company(name: "Beta Devices", founded: CalendarDate("2014-12-31"), staff: 40, sectors: ["medical-devices"], badges: []),
        Company(name: "驯鹿生物", founded: CalendarDate(year: 2017), staff: nil, sectors: ["cell-therapy", "gene-therapy"], badges: ["little giant"]),
        Company(name: "Gamma", founded: nil, staff: 5, sectors: [], badges: []),
    ]

    func names(_ expression: String) throws -> [String] {
        let filter = try fields.filter(expression)
        return companies.filter(filter.matches).map(\.name)
    }

    func testComparisonsByKind() throws {
        XCTAssertEqual(try names("founded >= 2015"), ["Alpha Bio", "驯鹿生物"])
        XCTAssertEqual(try names("founded < 2015"), ["Beta Devices"])
        XCTAssertEqual(try names("founded = 2015"), ["Alpha Bio"], "a year matches any date in it")
        XCTAssertEqual(try names("staff > 40"), ["Alpha Bio"])
        XCTAssertEqual(try names("staff <= 40"), ["Beta Devices", "Gamma"])
        XCTAssertEqual(try names("name ~ BIO"), ["Alpha Bio"])
        XCTAssertEqual(try names("name = '驯鹿生物'"), ["驯鹿生物"])
        XCTAssertEqual(try names("name != gamma"), ["Alpha Bio", "Beta Devices", "驯鹿生物"])
    }

    /// Found by the filter fuzzer (Tests/Fuzz/corpus/filter/huge-number): a number literal
    /// beyond Int.max trapped when the compiled filter formatted it.
    func testHugeNumbersCompareWithoutTrapping() throws {
        XCTAssertEqual(try names("staff != 4 or staff = 4 or staff != 666666666666666666666666666666666666666666666666666666666666421"),
                       ["Alpha Bio", "Beta Devices", "Gamma"], "a missing value is neither = nor != anything")
        XCTAssertEqual(try names("staff < 1e300"), ["Alpha Bio", "Beta Devices", "Gamma"])
        XCTAssertEqual(try names("name = 1e300"), [])
    }

    /// Issue 12: a flat chain of 30,000 `and` terms (570 KB) overflowed the stack while
    /// compiling; chains are one n-ary node now, so depth counts only parentheses and `not`.
    func testAChainOfAnyLengthCompilesAndMatches() throws {
        let chain = Array(repeating: "staff >= 1", count: 30_000).joined(separator: " and ")
        let filter = try fields.filter(chain)
        XCTAssertEqual(companies.filter(filter.matches).map(\.name), ["Alpha Bio", "Beta Devices", "Gamma"])
        let either = try fields.filter(Array(repeating: "staff > 100", count: 30_000).joined(separator: " or ") + " or name = Gamma")
        XCTAssertEqual(companies.filter(either.matches).map(\.name), ["Alpha Bio", "Gamma"])
        XCTAssertThrowsError(try fields.filter(String(repeating: "not ", count: 30_000) + "staff > 1")) { error in
            XCTAssertTrue(ValleyError.describe(error).contains("nested more than 100 deep"), ValleyError.describe(error))
        }
    }

    func testListsMembershipAndHas() throws {
        XCTAssertEqual(try names("sector = gene-therapy"), ["驯鹿生物"])
        XCTAssertEqual(try names("sector in (medical-devices, gene-therapy)"), ["Beta Devices", "驯鹿生物"])
        XCTAssertEqual(try names("has 'high-tech enterprise' or has \"little giant\""), ["Alpha Bio", "驯鹿生物"])
        XCTAssertEqual(try names("sector != cell-therapy"), ["Beta Devices"], "an empty list is missing: unknown, not selected")
    }

    /// Issue 15: SQL's three-valued logic, checked against a reference evaluation of every
    /// operator, with and without `not`, on a missing value, an empty list and present values.
    func testMissingValuesFollowThreeValuedLogic() throws {
        enum Truth { case yes, no, unknown }
        func not(_ t: Truth) -> Truth { t == .yes ? .no : (t == .no ? .yes : .unknown) }
        func and(_ a: Truth, _ b: Truth) -> Truth { a == .no || b == .no ? .no : (a == .unknown || b == .unknown ? .unknown : .yes) }
        func or(_ a: Truth, _ b: Truth) -> Truth { a == .yes || b == .yes ? .yes : (a == .unknown || b == .unknown ? .unknown : .no) }
        // staff: 120, 40, missing, 5 — a reference evaluation per company.
        let staff = companies.map(\.staff)
        func compare(_ value: Int?, _ op: (Int, Int) -> Bool, _ target: Int) -> Truth {
            guard let value else { return .unknown }
            return op(value, target) ? .yes : .no
        }
        let cases: [(String, (Int?) -> Truth)] = [
            ("staff = 40", { compare($0, ==, 40) }),
            ("staff != 40", { compare($0, !=, 40) }),
            ("not staff != 40", { not(compare($0, !=, 40)) }),
            ("staff < 100 or staff > 100", { or(compare($0, <, 100), compare($0, >, 100)) }),
            ("not (staff < 100 and staff > 10)", { not(and(compare($0, <, 100), compare($0, >, 10))) }),
            ("not (staff < 100 or staff > 1000)", { not(or(compare($0, <, 100), compare($0, >, 1000))) }),
            ("staff > 1000 or not staff > 1000", { or(compare($0, >, 1000), not(compare($0, >, 1000))) }),
            ("staff in (5, 40)", { compare($0, { a, _ in a == 5 || a == 40 }, 0) }),
            ("not staff in (5, 40)", { not(compare($0, { a, _ in a == 5 || a == 40 }, 0)) }),
        ]
        for (expression, reference) in cases {
            let expected = zip(companies, staff).filter { reference($0.1) == .yes }.map(\.0.name)
            XCTAssertEqual(try names(expression), expected, expression)
        }
        XCTAssertEqual(try names("staff is missing"), ["驯鹿生物"])
        XCTAssertEqual(try names("staff is not missing"), ["Alpha Bio", "Beta Devices", "Gamma"])
        XCTAssertEqual(try names("not staff is missing"), ["Alpha Bio", "Beta Devices", "Gamma"], "is missing is never unknown")
        XCTAssertEqual(try names("sector is missing"), ["Gamma"], "an empty list is missing")
        XCTAssertEqual(try names("not has 'little giant'"), ["Alpha Bio", "Beta Devices", "Gamma"], "has is never unknown")
        XCTAssertEqual(try names("staff != 40 or staff is missing"), ["Alpha Bio", "驯鹿生物", "Gamma"])
    }

    func testPrecedenceAndParentheses() throws {
        XCTAssertEqual(try names("staff > 100 or staff < 10 and name ~ gam"), ["Alpha Bio", "Gamma"])
        XCTAssertEqual(try names("(staff > 100 or staff < 10) and name ~ gam"), ["Gamma"])
        XCTAssertEqual(try names("not sector = cell-therapy and not (founded < 2015)"), [], "three-valued: not unknown is unknown")
        XCTAssertEqual(try names("NOT founded >= 2015"), ["Beta Devices"], "a missing date is unknown, and so is its negation")
    }

    func testErrorsNameTheColumnAndTheFields() {
        func error(_ expression: String) -> ValleyError? {
            do { _ = try fields.filter(expression); return nil } catch { return error as? ValleyError }
        }
        XCTAssertEqual(error("staff > 1 and colour = red"), .syntax(message: "unknown field 'colour'; valid fields: name, founded, staff, sector", column: 15))
        XCTAssertEqual(error("staff > many"), .syntax(message: "'staff' is a number; 'many' is not", column: 9))
        XCTAssertEqual(error("founded >= 2015-13"), .syntax(message: "'founded' is a date; expected YYYY, YYYY-MM or YYYY-MM-DD, got '2015-13'", column: 12))
        XCTAssertEqual(error("(staff > 1"), .syntax(message: "expected ')' to close the '(' at column 1", column: 11))
        XCTAssertEqual(error("name = 'open"), .syntax(message: "unbalanced quote", column: 8))
        XCTAssertEqual(error("staff ! 3"), .syntax(message: "'!' must be followed by '=' (use 'not' to negate)", column: 7))
        XCTAssertEqual(error("staff 3"), .syntax(message: "expected an operator (= != < <= > >= ~ in, is missing) after 'staff'", column: 7))
        XCTAssertEqual(error("staff > 1 staff"), .syntax(message: "unexpected 'staff'", column: 11))
        XCTAssertEqual(error(""), .syntax(message: "expected a field, 'not', 'has' or '(' but found the end of the expression", column: 1))
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + "staff > 1" + String(repeating: ")", count: 10_000)
        XCTAssertThrowsError(try fields.filter(deep)) { error in
            guard case let .syntax(message, _)? = error as? ValleyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("nested more than"))
        }
        let deepNot = String(repeating: "not ", count: 5_000) + "staff > 1"
        XCTAssertThrowsError(try fields.filter(deepNot))
        XCTAssertNoThrow(try fields.filter(String(repeating: "(", count: 50) + "staff > 1" + String(repeating: ")", count: 50)))
    }

    func testSortPutsMissingLast() {
        let sorted = fields.sort(companies, by: fields.field(named: "staff")!)
        XCTAssertEqual(sorted.map(\.name), ["Gamma", "Beta Devices", "Alpha Bio", "驯鹿生物"])
        let descending = fields.sort(companies, by: fields.field(named: "staff")!, descending: true)
        XCTAssertEqual(descending.map(\.name), ["Alpha Bio", "Beta Devices", "Gamma", "驯鹿生物"])
    }
}

final class CSVReaderTests: XCTestCase {
    func records(_ text: String, bom: Bool = false) throws -> [CSVReader.Record] {
        try CSVReader(bytes: (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8), path: "t.csv").records()
    }

    func testAwkwardButValidCSV() throws {
        let parsed = try records("id,name\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,驯鹿生物\r\n5,\r\n", bom: true)
        XCTAssertEqual(parsed.map(\.fields), [["id", "name"], ["1", "a, b"], ["2", "say \"hi\""], ["3", "two\nlines"], ["4", "驯鹿生物"], ["5", ""]])
        XCTAssertEqual(parsed.map(\.line), [1, 2, 3, 4, 6, 7], "a record starts on its own line, after quoted line breaks")
    }

    func testLastLineWithoutNewline() throws {
        XCTAssertEqual(try records("a,b\n1,2").map(\.fields), [["a", "b"], ["1", "2"]])
    }

    func testUnclosedQuoteNamesItsLine() {
        XCTAssertThrowsError(try records("a,b\n1,2\n3,\"open\n4,5\n")) { error in
            guard case let .located(file, line, _)? = error as? ValleyError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "t.csv")
            XCTAssertEqual(line, 3)
        }
        XCTAssertThrowsError(try records("a\n\"x\"y\n")) { error in
            guard case .located(_, 2, _)? = error as? ValleyError else { return XCTFail("\(error)") }
        }
    }

    func testInvalidUTF8NamesItsLine() {
        XCTAssertThrowsError(try CSVReader(bytes: Array("a\nb\n".utf8) + [0xFF, 0x0A], path: "t.csv").records()) { error in
            guard case .located(_, 3, _)? = error as? ValleyError else { return XCTFail("\(error)") }
        }
    }

    func testWriterRoundTrips() throws {
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "驯鹿", ""]
        let text = CSVWriter.record(fields)
        XCTAssertEqual(try records(text).map(\.fields), [fields])
    }
}

final class CreditCodeTests: XCTestCase {
    /// The example code printed in GB 32100-2015 itself.
    let published = "91350100M000100Y43"

    func testPublishedExampleIsValid() {
        XCTAssertNil(CreditCode.problem(with: published))
        XCTAssertEqual(CreditCode.withCheckCharacter(String(published.prefix(17))), published)
    }

    func testEveryWrongCheckCharacterIsCaught() {
        for character in CreditCode.alphabet where character != "3" {
            let code = String(published.prefix(17)) + String(character)
            XCTAssertNotNil(CreditCode.problem(with: code), code)
        }
    }

    func testLengthAndCharacterSet() {
        XCTAssertEqual(CreditCode.problem(with: "9135"), "has 4 characters, expected 18")
        XCTAssertTrue(CreditCode.problem(with: "91350100M0001I0Y43")?.contains("character 14 'I'") == true)
        XCTAssertNotNil(CreditCode.problem(with: "91350100m000100y43"), "lower case is not in the set; callers upper-case first")
    }

    /// Every character of the set packs and comes back in every position; what is not 18
    /// characters of the set does not pack; the packed check agrees with the text's.
    func testPackedCodesRoundTrip() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let first17 = String((0..<17).map { _ in CreditCode.alphabet.randomElement(using: &random)! })
            let valid = try XCTUnwrap(CreditCode.withCheckCharacter(first17))
            let packed = try XCTUnwrap(CreditCode.Packed(valid))
            XCTAssertEqual(packed.string, valid)
            XCTAssertNil(packed.problem)
            let wrong = first17 + String(CreditCode.alphabet.first { String($0) != String(valid.last!) }!)
            XCTAssertEqual(CreditCode.Packed(wrong)?.problem, "check character is '\(wrong.last!)', expected '\(valid.last!)'")
            XCTAssertEqual(CreditCode.Packed(valid.lowercased(), uppercasing: true), packed)
        }
        for character in CreditCode.alphabet {
            let code = String(repeating: character, count: 18)
            XCTAssertEqual(CreditCode.Packed(code)?.string, code)
        }
        XCTAssertNotEqual(CreditCode.Packed("000000000000000000"), CreditCode.Packed("000000000000000001"))
        for text in ["9135", "91350100M000100Y4", "91350100M000100Y433", "91350100M0001I0Y43", "91350100m000100y43", "91350100M000100Y4é"] {
            XCTAssertNil(CreditCode.Packed(text), text)
        }
        XCTAssertEqual(CreditCode.Packed(published)?.withUTF8 { Array($0) }, Array(published.utf8))
    }
}

/// The byte-level text tests agree with lowercasing both sides, on random texts mixing ASCII,
/// Chinese and cased non-ASCII letters (É, Σ, İ, ß, the Kelvin sign).
final class TextSearchTests: XCTestCase {
    func testAgreesWithLowercasingOnRandomTexts() {
        let alphabet = Array("aAbBcZz 01-细胞治疗驯鹿生物ÉéΣσςİiKß.")
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        func text(_ length: Int) -> String { String((0..<length).map { _ in alphabet[next(alphabet.count)] }) }
        var contained = 0
        for _ in 0..<20_000 {
            let haystack = text(next(12)), literal = text(1 + next(3))
            let search = TextSearch(lowered: literal.lowercased())
            let expected = haystack.lowercased().contains(literal.lowercased())
            XCTAssertEqual(search.isContained(in: haystack), expected, "'\(literal)' in '\(haystack)'")
            XCTAssertEqual(search.isEqual(to: haystack), haystack.lowercased() == literal.lowercased(), "'\(literal)' = '\(haystack)'")
            if expected { contained += 1 }
        }
        XCTAssertGreaterThan(contained, 1_000, "the test sees matches, not only misses")
        XCTAssertTrue(TextSearch(lowered: "细胞治疗").isContained(in: "江宁细胞治疗有限公司"))
        XCTAssertTrue(TextSearch(lowered: "apptec").isContained(in: "WuXi AppTec"))
    }
}
