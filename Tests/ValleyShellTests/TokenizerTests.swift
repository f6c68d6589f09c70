import XCTest
import ValleyCore
@testable import ValleyShell

final class TokenizerTests: XCTestCase {
    let tokenizer = Tokenizer(variables: ["who": "IASO Bio", "n": "3"], arguments: ["first", "two words"])

    func words(_ text: String) throws -> [String] {
        guard case let .words(words) = try tokenizer.tokenize(text) else {
            XCTFail("incomplete: \(text)")
            return []
        }
        return words
    }

    func testWhitespaceAndQuotes() throws {
        XCTAssertEqual(try words("registry  show\t'IASO Bio'"), ["registry", "show", "IASO Bio"])
        XCTAssertEqual(try words(#"a "b c" '' """#), ["a", "b c", "", ""])
        XCTAssertEqual(try words("a'b'\"c\"d"), ["abcd"])
        XCTAssertEqual(try words("驯鹿生物 '驯鹿 生物'"), ["驯鹿生物", "驯鹿 生物"])
    }

    func testEscapes() throws {
        XCTAssertEqual(try words(#""say \"hi\"\n" a\ b"#), ["say \"hi\"\n", "a b"])
        XCTAssertEqual(try words(#"'it\'s' '\n'"#), ["it's", "\\n"])
        XCTAssertEqual(try words(#""\$who""#), ["$who"])
    }

    func testComments() throws {
        XCTAssertEqual(try words("model # counts"), ["model"])
        XCTAssertEqual(try words("# only a comment"), [])
        XCTAssertEqual(try words("a#b '#'"), ["a#b", "#"])
    }

    func testVariablesAndArguments() throws {
        XCTAssertEqual(try words("show $who ${n}x \"$who!\" '$who'"), ["show", "IASO Bio", "3x", "IASO Bio!", "$who"])
        XCTAssertEqual(try words("$1 \"$2\" $"), ["first", "two words", "$"])
    }

    func testContinuation() throws {
        XCTAssertEqual(try tokenizer.tokenize("registry list \\"), .incomplete(openQuoteColumn: nil))
        XCTAssertEqual(try words("registry list \\\n--limit 3"), ["registry", "list", "--limit", "3"])
        XCTAssertEqual(try tokenizer.tokenize("show 'IASO"), .incomplete(openQuoteColumn: 6))
        XCTAssertEqual(try words("show 'IASO\nBio'"), ["show", "IASO\nBio"])
    }

    func testErrorsPointAtTheColumn() {
        XCTAssertThrowsError(try tokenizer.tokenize("registry show $nobody")) {
            XCTAssertEqual($0 as? ValleyError, .syntax(message: "unknown variable $nobody; set it with 'set var nobody VALUE'", column: 15))
        }
        XCTAssertThrowsError(try tokenizer.tokenize("echo $3")) {
            guard case .syntax(_, 6)? = $0 as? ValleyError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try tokenizer.tokenize("a ${who")) {
            guard case .syntax(_, 3)? = $0 as? ValleyError else { return XCTFail("\($0)") }
        }
    }

    func testQuoteRoundTrips() throws {
        for word in ["plain", "two words", "驯鹿 生物", "it's", "say \"hi\"", "$x", "a\\b", "", "#tag", "line\nbreak"] {
            XCTAssertEqual(try words(Tokenizer.quote(word)), [word], word)
        }
    }
}
