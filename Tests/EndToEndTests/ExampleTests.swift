import Foundation
import XCTest

/// Every `Examples/*.valley` runs (from `Examples/`) and prints exactly its `.expected` file;
/// where an `.expected-stderr` file exists, the errors must match it and the status be 1.
final class ExampleTests: XCTestCase {
    func testEveryExampleMatchesItsExpectedOutput() throws {
        let examples = ValleyProcess.packageRoot.appendingPathComponent("Examples")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".valley") }.sorted()
        XCTAssertFalse(scripts.isEmpty)
        for script in scripts {
            let expectedPath = examples.appendingPathComponent(script.replacingOccurrences(of: ".valley", with: ".expected"))
            let expected = try String(contentsOf: expectedPath, encoding: .utf8)
            let result = try ValleyProcess.run(["--no-rc", script], directory: examples.path)
            let stderrPath = examples.appendingPathComponent(script.replacingOccurrences(of: ".valley", with: ".expected-stderr"))
            if let expectedErrors = try? String(contentsOf: stderrPath, encoding: .utf8) {
                XCTAssertEqual(result.stderr, expectedErrors, script)
                XCTAssertEqual(result.status, 1, script)
            } else {
                XCTAssertEqual(result.status, 0, "\(script): \(result.stderr)")
            }
            XCTAssertEqual(result.stdout, expected, script)
            if result.stdout != expected {
                try? result.stdout.write(toFile: NSTemporaryDirectory() + script + ".actual", atomically: true, encoding: .utf8)
            }
        }
    }
}
