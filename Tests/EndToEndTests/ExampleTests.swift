import Foundation
import XCTest

/// Every `Examples/*.valley` prints exactly its `.expected` file, run from any directory
/// (issue 15: paths in a script resolve against the script's folder): from `Examples/`, from
/// the repository root and from an unrelated temporary folder. Where an `.expected-stderr`
/// file exists, the errors must match it and the status be 1.
final class ExampleTests: XCTestCase {
    func testEveryExampleMatchesItsExpectedOutput() throws {
        let examples = ValleyProcess.packageRoot.appendingPathComponent("Examples")
        let elsewhere = NSTemporaryDirectory() + "valley-examples-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let scripts = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".valley") }.sorted()
        XCTAssertFalse(scripts.isEmpty)
        let runs = scripts.flatMap { script in
            [(script, script, examples.path), ("Examples/" + script, script, ValleyProcess.packageRoot.path),
             (examples.appendingPathComponent(script).path, script, elsewhere)]
        }
        for (argument, script, directory) in runs {
            let expectedPath = examples.appendingPathComponent(script.replacingOccurrences(of: ".valley", with: ".expected"))
            let expected = try String(contentsOf: expectedPath, encoding: .utf8)
            let result = try ValleyProcess.run(["--no-rc", argument], directory: directory)
            let stderrPath = examples.appendingPathComponent(script.replacingOccurrences(of: ".valley", with: ".expected-stderr"))
            if let expectedErrors = try? String(contentsOf: stderrPath, encoding: .utf8) {
                // The script's name in error lines is as it was given on the command line.
                XCTAssertEqual(result.stderr, expectedErrors.replacingOccurrences(of: script + ":", with: argument + ":"), "\(argument) in \(directory)")
                XCTAssertEqual(result.status, 1, script)
            } else {
                XCTAssertEqual(result.status, 0, "\(script): \(result.stderr)")
            }
            XCTAssertEqual(result.stdout, expected, "\(argument) in \(directory)")
            if result.stdout != expected {
                try? result.stdout.write(toFile: NSTemporaryDirectory() + script + ".actual", atomically: true, encoding: .utf8)
            }
        }
    }
}
