import ArgumentParser
import XCTest
import ValleyCore
import ValleyTestSupport
@testable import ValleyShell

/// The quick reading of `valley`'s command line gives what argument-parser gives, for every
/// command line it reads, and leaves every other one to argument-parser.
final class CommandLineParsingTests: XCTestCase {
    func summary(_ options: LaunchOptions) -> String {
        "\(options.empty)|\(options.workspace ?? "-")|\(options.settings.format)|\(options.settings.bail)|\(options.settings.echo)|"
            + "\(options.noRC)|\(options.commands)|\(options.script ?? "-")|\(options.scriptArguments)|\(options.readLimit ?? 0)"
    }

    func testQuickOptionsAgreeWithArgumentParser() throws {
        let words = ["--empty", "--bail", "--echo", "--no-rc", "--workspace", "w.sqlite", "--format", "csv", "json", "xlsx", "xml",
                     "-c", "model", "registry list --limit 3", "-x", "--help", "--version", "s.valley", "arg1", "-", "",
                     "--read-limit", "4GB", "--", "-c=model", "--format=csv", "--empty=1", "-h", "a b", "--no-rc"]
        var random = SeededGenerator(state: 3)
        var quick = 0, agreed = 0
        for _ in 0..<20_000 {
            let arguments = (0..<Int.random(in: 0...6, using: &random)).map { _ in words.randomElement(using: &random)! }
            guard let options = ValleyCommandLine.quickOptions(arguments) else { continue }
            quick += 1
            let parsed: ValleyCommandLine
            do {
                parsed = try XCTUnwrap(try ValleyCommandLine.parseAsRoot(arguments) as? ValleyCommandLine, "\(arguments)")
            } catch {
                XCTFail("argument-parser refuses \(arguments) (\(error)), the quick reading took it")
                continue
            }
            XCTAssertEqual(summary(options), summary(try parsed.launchOptions()), "\(arguments)")
            agreed += 1
        }
        // The generated set covers both paths.
        XCTAssertGreaterThan(quick, 1_000)
        XCTAssertLessThan(quick, 19_000)
        XCTAssertEqual(agreed, quick)

        // The usual ones are read quickly.
        for arguments in [[], ["--no-rc", "-c", "quit"], ["s.valley", "a", "b"], ["--workspace", "w", "--format", "json", "-c", "x", "-c", "y"]] {
            XCTAssertNotNil(ValleyCommandLine.quickOptions(arguments), "\(arguments)")
        }
        for arguments in [["--help"], ["--version"], ["-"], ["--format", "xlsx"], ["--bogus"], ["--echo", "--echo"]] {
            XCTAssertNil(ValleyCommandLine.quickOptions(arguments), "\(arguments)")
        }
    }
}
