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

    /// The byte-level tokenizer agrees with the character-level one it replaced, words and
    /// errors (with columns), on 20,000 seeded random lines over the characters that matter.
    func testAgreesWithTheCharacterTokenizer() throws {
        let reference = CharacterTokenizer(variables: tokenizer.variables, arguments: tokenizer.arguments)
        let alphabet: [String] = [" ", "\t", "\n", "'", "\"", "\\", "#", "$", "{", "}", "_", "1", "2", "a", "n", "t", "who",
                                  "驯", "鹿", "é", "🧬", "$who", "${n}", "$1", "$3", "${x", "$nobody"]
        var state: UInt64 = 99
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        func outcome(_ body: () throws -> Tokenizer.Outcome) -> String {
            do { return "\(try body())" } catch { return "error \(error)" }
        }
        for _ in 0..<20_000 {
            let text = (0..<next(24)).map { _ in alphabet[next(alphabet.count)] }.joined()
            XCTAssertEqual(outcome { try tokenizer.tokenize(text) }, outcome { try reference.tokenize(text) }, text.debugDescription)
        }
    }

    func testALongLineKeepsEveryCharacter() throws {
        let line = "set var big \"" + String(repeating: "驯鹿 x", count: 1_000_000) + "\""
        XCTAssertEqual(try words(line).last?.count, 4_000_000)
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
